import { Module } from '@nestjs/common';
import { PeopleReportsController } from './people-reports.controller';

/**
 * The people reports: `/api/reports/{reps,first-response,data-quality}`. Needs ReadModels,
 * DirectoryFeed and CLOCK from the app.
 */
@Module({ controllers: [PeopleReportsController] })
export class PeopleReportsModule {}
