import { Module } from '@nestjs/common';
import { DealReportsController } from './deal-reports.controller';

/**
 * The deal-side analytical reports: `/api/reports/{stage-conversion,dwell-time,loss-reasons}` and
 * `/api/reports/deal-facts[/:dealId]`. Needs ReadModels, DirectoryFeed and CLOCK from the app.
 */
@Module({ controllers: [DealReportsController] })
export class DealReportsModule {}
