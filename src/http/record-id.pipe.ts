import { Injectable, PipeTransform } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { InputProblem } from './problem-details';

/** Record ids are UUIDs; anything else is a 400 naming the parameter, not a 404. */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) {
      throw new InputProblem([
        { field: 'id', code: 'validation.is_uuid', reason: 'id must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}
