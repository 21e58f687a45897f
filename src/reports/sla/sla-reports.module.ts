import { Module } from '@nestjs/common';
import { SlaReportsController } from './sla-reports.controller';

/** `GET /api/reports/sla`. Needs ReadModels and CLOCK from the app. */
@Module({ controllers: [SlaReportsController] })
export class SlaReportsModule {}
