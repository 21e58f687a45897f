import { Module } from '@nestjs/common';
import { AddressBook } from './address-book';
import { AttachmentStore } from './attachment-store';
import { LeadImport } from './lead-import';
import { LeadImportController } from './lead-import.controller';
import { MailIngest } from './mail-ingest';
import { MailIngestController } from './mail-ingest.controller';

/** Lead lists (CSV, XLSX) and mail (.eml) turned into inquiries and filed conversations. */
@Module({
  controllers: [LeadImportController, MailIngestController],
  providers: [LeadImport, MailIngest, AddressBook, AttachmentStore],
})
export class IntakeModule {}
