import { DomainError } from '../../domain/shared/domain-error';

export class RecordNotFoundError extends DomainError {
  constructor(aggregate: string, id: string) {
    super(`${aggregate}.not_found`, `No ${aggregate} with id ${id}`, 'id', { id });
    this.name = 'RecordNotFoundError';
  }
}

/** Back-dating, or a business time the stream's history rules out. */
export class OccurredAtRefusedError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'occurredAt');
    this.name = 'OccurredAtRefusedError';
  }
}
