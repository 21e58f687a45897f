import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LeadAssignment } from './lead-assignment';
import { ReassignLeadByRuleHandler } from './reassign-lead-by-rule.handler';
import { RotationFeed } from './rotation-feed';

@Module({
  imports: [UsersModule],
  providers: [RotationFeed, LeadAssignment, ReassignLeadByRuleHandler],
  exports: [LeadAssignment],
})
export class AssignmentModule {}
