import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** An optional `limit` query parameter: a whole number from 1 to `maximum`. */
export const PageLimitField = (
  maximum: number,
  defaultValue: number,
  description?: string,
): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      minimum: 1,
      maximum,
      default: defaultValue,
      ...(description === undefined ? {} : { description }),
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(maximum),
  );
