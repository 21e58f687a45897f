import { Module } from '@nestjs/common';
import { ReviewQueueController } from './review-queue.controller';
import { ReviewQueue } from './review-queue';

/** The dedup review queue: possible duplicates by phone or company name, decided by a person. */
@Module({
  controllers: [ReviewQueueController],
  providers: [ReviewQueue],
  // Erasure makes the queue forget a person at once.
  exports: [ReviewQueue],
})
export class ReviewModule {}
