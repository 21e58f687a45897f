import { DomainEvent } from '../shared/decider';

/** Whom an erasure request names: the person behind an inquiry, or a contact of an account. */
export type ErasureSubject =
  { kind: 'lead'; leadId: string } | { kind: 'contact'; accountId: string; contactId: string };

/**
 * The record of an erasure. It carries no personal data: only ids, the request reference and
 * where the person's sealed fields were, so that read models can blank what they copied from them.
 * Who and when are the event's actor and occurredAt; `erasedBy` repeats the actor for readers of
 * the data alone.
 */
export interface SubjectErased {
  erasureId: string;
  subject: ErasureSubject;
  /** The data-protection request this erasure answers (ticket or letter reference). */
  requestRef: string;
  erasedBy: string;
  /** The data keys destroyed: `lead:<id>` and `contact:<id>` of the same person. */
  subjectIds: string[];
  /** `<stream>@<revision>` of every event that sealed personal fields under one of those keys. */
  sealedIn: string[];
}

export type ErasureEvent = DomainEvent<'SubjectErased', SubjectErased>;

/** The data key of the person an erasure request names: `lead:<id>` or `contact:<id>`. */
export const subjectKeyOf = (subject: ErasureSubject): string =>
  subject.kind === 'lead' ? `lead:${subject.leadId}` : `contact:${subject.contactId}`;

export interface EventRef {
  streamName: string;
  revision: number;
}

/** `lead-…@3` → { streamName: 'lead-…', revision: 3 }. */
export const parseEventRef = (ref: string): EventRef => {
  const at = ref.lastIndexOf('@');
  return { streamName: ref.slice(0, at), revision: Number(ref.slice(at + 1)) };
};

/** The record ids behind the subject ids of one kind: `contact:c1` → c1. */
export const subjectRecordIds = (erased: SubjectErased, kind: 'lead' | 'contact'): string[] =>
  erased.subjectIds
    .filter((subjectId) => subjectId.startsWith(`${kind}:`))
    .map((subjectId) => subjectId.slice(kind.length + 1));

/** The event refs of one stream type: `account` → every `account-…@n` the erasure names. */
export const sealedInStreams = (erased: SubjectErased, type: string): EventRef[] =>
  erased.sealedIn.map(parseEventRef).filter((ref) => ref.streamName.startsWith(`${type}-`));
