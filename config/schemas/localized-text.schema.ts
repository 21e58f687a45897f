import { IsNotEmpty, IsString } from 'class-validator';

export class LocalizedTextSchema {
  @IsString() @IsNotEmpty() en!: string;
  @IsString() @IsNotEmpty() zh!: string;
}
