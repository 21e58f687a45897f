import { IsInt, Matches, Min } from 'class-validator';

export class PolicyHeaderSchema {
  @Matches(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, { message: 'id must look like "stages.default"' })
  id!: string;
  @IsInt() @Min(1) version!: number;
}
