import { Type } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
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
  AccountsModule,
  DealsModule,
  TasksModule,
  PoliciesModule,
  UsersModule,
  TeamsModule,
  IntakeModule,
  ReviewModule,
];
