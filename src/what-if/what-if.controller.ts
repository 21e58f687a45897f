import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsObject } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators';
import { WhatIfService } from './what-if.service';

export class WhatIfDto {
  @ApiProperty({
    description: 'The whole candidate policy, as for PUT /api/policies/:id (id included)',
  })
  @IsObject()
  @Type(() => Object)
  policy!: Record<string, unknown>;

  @ApiProperty({ example: '2026-01-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-04-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  to!: string;
}

@ApiTags('policies')
@Allow('operations', 'manager', 'admin')
@Controller('api/policies')
export class WhatIfController {
  constructor(private readonly whatIf: WhatIfService) {}

  @Post('what-if')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replay recorded history with a candidate policy: what would have fired, beside what did',
    description:
      'No side effects. Breaches, escalations by level, reminders and reassignment requests, by team, rep and channel, ' +
      'for the candidate and for the policies in force; `actual` says whether replaying the policies in force ' +
      'reproduces exactly what the automation recorded.',
  })
  run(@Body() body: WhatIfDto) {
    return this.whatIf.sla({ policy: body.policy, from: body.from, to: body.to });
  }
}
