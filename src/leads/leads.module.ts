import { Module } from '@nestjs/common';
import { ConvertLeadHandler } from './convert-lead.handler';
import { LeadsController } from './leads.controller';

@Module({ controllers: [LeadsController], providers: [ConvertLeadHandler] })
export class LeadsModule {}
