import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { ConvertLeadHandler } from './convert-lead.handler';
import { LeadsController } from './leads.controller';

@Module({
  imports: [AssignmentModule],
  controllers: [LeadsController],
  providers: [ConvertLeadHandler],
})
export class LeadsModule {}
