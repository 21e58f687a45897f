import { Injectable, PipeTransform } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { InputProblem } from '../http/problem-details';

/** Like RecordIdPipe, but names the contactId parameter in the problem. */
@Injectable()
export class ContactIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) {
      throw new InputProblem([
        { field: 'contactId', code: 'validation.is_uuid', reason: 'contactId must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}
