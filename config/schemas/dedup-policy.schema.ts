import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PolicyHeaderSchema } from './policy-header.schema';

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/;

export class DedupPolicySchema extends PolicyHeaderSchema {
  // Below one half nearly every name would be queued, which buries the real duplicates.
  @IsNumber() @Min(0.5) @Max(1) nameSimilarityThreshold!: number;
  @IsBoolean() reviewPhoneMatches!: boolean;
  @IsBoolean() reviewNameMatches!: boolean;
  @IsInt() @Min(1) @Max(1000) maxNameCandidates!: number;

  @IsArray()
  @ArrayUnique()
  @Matches(DOMAIN, {
    each: true,
    message: 'each entry must be a lower-case domain such as mail.example',
  })
  extraFreeMailDomains!: string[];
}
