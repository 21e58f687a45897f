import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { INQUIRY_CHANNELS, InquiryChannel } from '../../domain/shared/channels';
import { TEXT_ENCODINGS, TextEncoding } from './text-encoding';

export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['csv', 'xlsx'],
    description: 'Default: from the Content-Type, else from the file itself',
  })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';

  @ApiPropertyOptional({
    enum: TEXT_ENCODINGS,
    description: 'CSV only. Default: the charset of the Content-Type, else auto (UTF-8, then GBK)',
  })
  @IsOptional()
  @IsIn(TEXT_ENCODINGS)
  encoding?: TextEncoding;

  @ApiPropertyOptional({
    enum: INQUIRY_CHANNELS,
    description: 'For rows without a channel column; default trade_show',
  })
  @IsOptional()
  @IsIn(INQUIRY_CHANNELS)
  channel?: InquiryChannel;
}
