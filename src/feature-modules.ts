import { Type } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { ErasureModule } from './audit/erasure/erasure.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { OwnershipAuditModule } from './audit/ownership/ownership-audit.module';
import { AccountsReportsModule } from './reports/accounts/accounts-reports.module';
import { DealReportsModule } from './reports/deals/deal-reports.module';
import { ForecastReportsModule } from './reports/forecast/forecast-reports.module';
import { LeadReportsModule } from './reports/leads/lead-reports.module';
import { PeopleReportsModule } from './reports/people/people-reports.module';
import { PipelineReportsModule } from './reports/pipeline/pipeline-reports.module';
import { SlaReportsModule } from './reports/sla/sla-reports.module';
import { SearchModule } from './search/search.module';
import { WhatIfModule } from './what-if/what-if.module';
import { DealsModule } from './deals/deals.module';
import { DedupModule } from './dedup/dedup.module';
import { IntakeModule } from './intake/intake.module';
import { LeadsModule } from './leads/leads.module';
import { PoliciesModule } from './policies/policies.module';
import { RecordsModule } from './records/records.module';
import { ReviewModule } from './review/review.module';
import { ScoringModule } from './scoring/scoring.module';
import { TasksModule } from './tasks/tasks.module';
import { TeamsModule } from './teams/teams.module';
import { UsersModule } from './users/users.module';

/** The HTTP feature slices, one module each. */
export const FEATURE_MODULES: Type[] = [
  DedupModule,
  RecordsModule,
  // Before LeadsModule: GET /api/leads/nurture-queue must be routed ahead of GET /api/leads/:id.
  ScoringModule,
  LeadsModule,
  // Before PoliciesModule: POST /api/policies/what-if is not a policy id.
  WhatIfModule,
  // Before AccountsModule: GET /api/accounts/:id/360 is its own route, not /:id.
  AccountsReportsModule,
  AccountsModule,
  DealsModule,
  TasksModule,
  PoliciesModule,
  UsersModule,
  TeamsModule,
  IntakeModule,
  ReviewModule,
  DealReportsModule,
  ForecastReportsModule,
  PipelineReportsModule,
  LeadReportsModule,
  PeopleReportsModule,
  SlaReportsModule,
  SearchModule,
  ErasureModule,
  OwnershipAuditModule,
  DashboardModule,
];
