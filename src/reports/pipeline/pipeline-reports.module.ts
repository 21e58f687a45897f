import { Module } from '@nestjs/common';
import { PipelineReportsController } from './pipeline-reports.controller';

/** GET /api/reports/pipeline, read from the pipeline-board projection. */
@Module({ controllers: [PipelineReportsController] })
export class PipelineReportsModule {}
