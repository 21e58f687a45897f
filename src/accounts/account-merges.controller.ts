import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandSender, WriteHeaders } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { MergeAccountsDto, UnmergeAccountDto } from './dto/account-commands.dto';
import { MergeAccountsCommand, MergeResult } from './merge-accounts.handler';
import { UnmergeAccountCommand, UnmergeResult } from './unmerge-account.handler';
import { Allow, SALES } from '../identity/access.decorators';

/** Duplicate accounts: merge keeps both histories, and an unmerge gives the duplicate its contacts back. */
@ApiTags('accounts')
@Allow(...SALES)
@Controller('api/accounts')
export class AccountMergesController {
  constructor(
    private readonly sender: CommandSender,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge a duplicate into the surviving account; retry-safe with Idempotency-Key',
  })
  merge(@Body() body: MergeAccountsDto, @Write() headers: WriteHeaders): Promise<MergeResult> {
    const { mergedId, survivorId, reason } = body;
    const commandId = this.sender.commandId(headers);
    return this.commandBus.execute(
      new MergeAccountsCommand(
        mergedId.toLowerCase(),
        survivorId.toLowerCase(),
        reason,
        this.sender.personCause(),
        this.sender.envelope(commandId, body, headers),
      ),
    );
  }

  @Post(':id/unmerge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo the merge of this account; retry-safe with Idempotency-Key' })
  unmerge(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: UnmergeAccountDto,
    @Write() headers: WriteHeaders,
  ): Promise<UnmergeResult> {
    const commandId = this.sender.commandId(headers);
    return this.commandBus.execute(
      new UnmergeAccountCommand(
        id,
        body.reason,
        this.sender.personCause(),
        this.sender.envelope(commandId, body, headers),
      ),
    );
  }
}
