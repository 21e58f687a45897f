import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'admin@tradeflow.local' }) @IsEmail() email!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

export class SetPasswordDto {
  @ApiPropertyOptional({
    description: 'Whose password; yourself when absent (admins may set anyone’s)',
  })
  @IsOptional()
  @IsString()
  userId?: string;
  @ApiProperty({ description: 'At least 12 characters' })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class IssueTokenDto {
  @ApiProperty({
    enum: ['api', 'intake'],
    description: 'api: acts as a user; intake: creates inquiries for one source only',
  })
  @IsIn(['api', 'intake'])
  kind!: 'api' | 'intake';

  @ApiPropertyOptional({ description: 'api tokens: the user the integration acts as' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  userId?: string;

  @ApiPropertyOptional({
    example: 'website-form',
    description: 'intake keys: the source, e.g. website-form, alibaba',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,48}$/, {
    message: 'source must be lower-case letters, digits and dashes',
  })
  source?: string;

  @ApiProperty({ example: 'Website contact form' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  label!: string;

  @ApiProperty({ example: 90 }) @IsInt() @Min(1) @Max(730) expiresInDays!: number;
}

export class RevokeTokenDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
