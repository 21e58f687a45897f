import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEmail,
  IsFQDN,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsMimeType,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { INQUIRY_CHANNELS } from '../../../domain/shared/channels';
import { CommandOptionsDto } from '../../http/command-options.dto';
import { IsE164Phone } from '../../http/validators';

export class InquirerDto {
  @ApiPropertyOptional({ example: 'Ahmed Al-Farsi' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'ahmed@gulf-valve.ae' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: '+971501234567', description: 'E.164' })
  @IsOptional()
  @IsE164Phone()
  phone?: string;

  @ApiPropertyOptional({ example: 'Gulf Valve Trading LLC' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  @ApiPropertyOptional({ example: 'AE' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional({ example: 'gulf-valve.ae' })
  @IsOptional()
  @IsFQDN({ require_tld: true }, { message: 'website must be a web domain such as gulf-valve.ae' })
  website?: string;

  @ApiPropertyOptional({ example: 'Please quote 2,000 pcs DN50 ball valves, CIF Jebel Ali' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  message?: string;
}

export class AttachmentMetaDto {
  @ApiProperty()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' })
  sha256!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) filename!: string;
  @ApiProperty({ example: 'application/pdf' }) @IsMimeType() mime!: string;
  @ApiProperty() @IsInt() @Min(0) size!: number;
}

export class ReceiveInquiryDto extends CommandOptionsDto {
  @ApiProperty({ enum: INQUIRY_CHANNELS })
  @IsIn(INQUIRY_CHANNELS)
  channel!: (typeof INQUIRY_CHANNELS)[number];

  @ApiPropertyOptional({
    description: "The channel's own reference (platform inquiry id, Message-ID…)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  sourceRef?: string;

  @ApiProperty({ type: InquirerDto })
  @ValidateNested()
  @Type(() => InquirerDto)
  inquirer!: InquirerDto;

  @ApiPropertyOptional({ type: [AttachmentMetaDto] })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentMetaDto)
  attachments?: AttachmentMetaDto[];
}
