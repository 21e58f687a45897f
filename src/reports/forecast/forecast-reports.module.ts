import { Module } from '@nestjs/common';
import { ForecastReportsController } from './forecast-reports.controller';

/** GET /api/reports/forecast, read from the weighted-forecast projection. */
@Module({ controllers: [ForecastReportsController] })
export class ForecastReportsModule {}
