import { Module } from '@nestjs/common';
import { OwnershipAuditController } from './ownership-audit.controller';

/**
 * `/api/audit/ownership[/book|/:aggregate/:id]`: the ownership ledger. Needs ReadModels,
 * DirectoryFeed and RecordReader from the app.
 */
@Module({ controllers: [OwnershipAuditController] })
export class OwnershipAuditModule {}
