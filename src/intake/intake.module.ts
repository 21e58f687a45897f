import { Module } from '@nestjs/common';
import { AddressBook } from './address-book';
import { AttachmentStore } from './attachment-store';
import { CustomerImport } from './customer-import';
import { CustomerImportController } from './customer-import.controller';
import { LeadImport } from './lead-import';
import { LeadImportController } from './lead-import.controller';
import { MailIngest } from './mail-ingest';
import { MailIngestController } from './mail-ingest.controller';

/**
 * Lead lists (CSV, XLSX) and mail (.eml) turned into inquiries and filed conversations; customer
 * lists turned into accounts with their primary contacts.
 */
@Module({
  controllers: [LeadImportController, CustomerImportController, MailIngestController],
  providers: [LeadImport, CustomerImport, MailIngest, AddressBook, AttachmentStore],
  // Erasure makes the address book forget a person at once.
  exports: [AddressBook],
})
export class IntakeModule {}
