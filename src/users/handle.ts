import { Injectable, PipeTransform } from '@nestjs/common';
import { InputProblem } from '../http/problem-details';

/**
 * Users and teams are named by a readable handle (`anna.schmidt`, `gulf-sales`) or, when none is
 * chosen, by a server-generated UUIDv7, which has the same shape.
 */
export const HANDLE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const HANDLE_RULE =
  '2–64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit';

/** A user or team id in the path: malformed is a 400 naming the parameter, not a 404. */
@Injectable()
export class HandlePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const id = value.toLowerCase();
    if (!HANDLE.test(id)) {
      throw new InputProblem([
        { field: 'id', code: 'validation.handle', reason: `id must be ${HANDLE_RULE}` },
      ]);
    }
    return id;
  }
}
