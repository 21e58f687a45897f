import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { LINK_KINDS, TaskLink } from '../../../domain/task/task.commands';
import { CommandOptionsDto } from '../../http/command-options.dto';

/** A due time must say which instant it means: a date alone, or a time without zone, is ambiguous. */
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class TaskLinkDto {
  @ApiProperty({ enum: LINK_KINDS }) @IsIn(LINK_KINDS) kind!: TaskLink['kind'];
  @ApiProperty({ description: 'Id of the lead, account or deal' }) @IsUUID() id!: string;
}

export class TaskTemplateRefDto {
  @ApiPropertyOptional({ default: 'stages.default' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  policyId?: string;
  @ApiPropertyOptional({ description: 'Policy version; the current one when left out' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
  @ApiProperty({ example: 'proposal' }) @IsString() @IsNotEmpty() stage!: string;
  @ApiProperty({ example: 'prepare_quote_version' }) @IsString() @IsNotEmpty() key!: string;
}

export class CreateTaskDto extends CommandOptionsDto {
  @ApiProperty({ type: TaskLinkDto })
  @ValidateNested()
  @Type(() => TaskLinkDto)
  linkedTo!: TaskLinkDto;

  @ApiProperty({ example: 'Send the sample invoice' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;

  @ApiProperty({ example: '2026-03-02T09:00:00+04:00', description: 'ISO 8601 with a zone' })
  @IsISO8601({ strict: true })
  @Matches(ZONED_DATE_TIME, {
    message: 'dueAt must be a date-time with a zone, e.g. 2026-03-02T09:00:00Z',
  })
  dueAt!: string;

  @ApiPropertyOptional({ description: 'User id; defaults to the person creating the task' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  assignee?: string;

  @ApiPropertyOptional({ type: TaskTemplateRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskTemplateRefDto)
  template?: TaskTemplateRefDto;
}

export class CompleteTaskDto extends CommandOptionsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class CancelTaskDto extends CommandOptionsDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class ReassignTaskDto extends CommandOptionsDto {
  @ApiProperty({ description: 'User id of the new assignee' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  to!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
