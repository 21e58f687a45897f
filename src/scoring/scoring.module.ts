import { Module } from '@nestjs/common';
import { BacktestController } from './backtest.controller';
import { LeadScores } from './lead-scores';
import { ScoringController } from './scoring.controller';

/** Lead-scoring views: score history, the nurture queue, and backtests of candidate weights. */
@Module({
  controllers: [ScoringController, BacktestController],
  providers: [LeadScores],
})
export class ScoringModule {}
