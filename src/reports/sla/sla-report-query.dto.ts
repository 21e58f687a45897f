import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ReportQueryDto } from '../report-query.dto';

export const SLA_REPORT_CLOCKS = ['first_response', 'proposal'] as const;
export type SlaReportClock = (typeof SLA_REPORT_CLOCKS)[number];

export class SlaReportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({
    enum: SLA_REPORT_CLOCKS,
    default: 'first_response',
    description: 'Which clock: the first response, or the initial proposal',
  })
  @IsOptional()
  @IsIn(SLA_REPORT_CLOCKS)
  clock?: SlaReportClock;
}
