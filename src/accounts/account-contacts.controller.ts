import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { changedFields, writeOptions } from './account-writes';
import { ContactIdPipe } from './contact-id.pipe';
import { AddContactDto, RemoveContactDto, UpdateContactDto } from './dto/contact.dto';
import { Allow, SALES } from '../identity/access.decorators';

export interface ContactWriteResult extends WriteResult {
  contactId: string;
}

/** The people at a customer: each contact lives inside its account's history. */
@ApiTags('accounts')
@Allow(...SALES)
@Controller('api/accounts/:id/contacts')
export class AccountContactsController {
  constructor(private readonly sender: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Add a contact; retry-safe with Idempotency-Key' })
  async add(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: AddContactDto,
    @Write() headers: WriteHeaders,
  ): Promise<ContactWriteResult> {
    const commandId = this.sender.commandId(headers);
    // Scoped by account: one key reused on two accounts must not name one person twice.
    const contactId = this.sender.newId(headers, commandId, `contact:${id}`);
    const { name, email, phone, role, title } = body;
    const written = await this.sender.send(
      'account',
      id,
      {
        type: 'AddContact',
        data: JSON.parse(
          JSON.stringify({ accountId: id, contactId, name, email, phone, role, title }),
        ),
      },
      writeOptions(body),
      headers,
      commandId,
    );
    return { ...written, contactId };
  }

  @Patch(':contactId')
  @ApiOperation({ summary: 'Change contact details; send only what changes, null clears' })
  async update(
    @Param('id', RecordIdPipe) id: string,
    @Param('contactId', ContactIdPipe) contactId: string,
    @Body() body: UpdateContactDto,
    @Write() headers: WriteHeaders,
  ): Promise<ContactWriteResult> {
    const written = await this.sender.send(
      'account',
      id,
      { type: 'UpdateContact', data: { accountId: id, contactId, changes: changedFields(body) } },
      writeOptions(body),
      headers,
    );
    return { ...written, contactId };
  }

  @Post(':contactId/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a contact off the account; the history keeps them' })
  async remove(
    @Param('id', RecordIdPipe) id: string,
    @Param('contactId', ContactIdPipe) contactId: string,
    @Body() body: RemoveContactDto,
    @Write() headers: WriteHeaders,
  ): Promise<ContactWriteResult> {
    const written = await this.sender.send(
      'account',
      id,
      { type: 'RemoveContact', data: { accountId: id, contactId, reason: body.reason } },
      writeOptions(body),
      headers,
    );
    return { ...written, contactId };
  }
}
