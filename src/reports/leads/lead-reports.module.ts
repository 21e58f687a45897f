import { Module } from '@nestjs/common';
import { LeadReportsController } from './lead-reports.controller';

/**
 * The lead-side reports: `/api/reports/{lead-queue,nurture-queue,channels}`. Needs ReadModels,
 * DirectoryFeed, POLICY_REGISTRY and CLOCK from the app.
 */
@Module({ controllers: [LeadReportsController] })
export class LeadReportsModule {}
