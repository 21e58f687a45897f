import { Global, Module } from '@nestjs/common';
import { CommandSender } from '../http/command-sender';
import { RecordReader } from './record-reader';

/** What every HTTP slice needs: send commands, read records. */
@Global()
@Module({ providers: [RecordReader, CommandSender], exports: [RecordReader, CommandSender] })
export class RecordsModule {}
