import { Global, Module } from '@nestjs/common';
import { CommandSender } from '../http/command-sender';
import { AsOfReader } from '../audit/as-of/as-of-reader';
import { RecordHistory } from '../audit/history/record-history';
import { RecordReader } from './record-reader';

/** What every HTTP slice needs: send commands; read records now, as of a past point, and their history. */
@Global()
@Module({
  providers: [RecordReader, AsOfReader, RecordHistory, CommandSender],
  exports: [RecordReader, AsOfReader, RecordHistory, CommandSender],
})
export class RecordsModule {}
