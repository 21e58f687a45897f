import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LeadAssignment } from './lead-assignment';
import { RotationFeed } from './rotation-feed';

@Module({
  imports: [UsersModule],
  providers: [RotationFeed, LeadAssignment],
  exports: [LeadAssignment],
})
export class AssignmentModule {}
