import { ErasureSubject } from './erasure.events';

/** Filled in by the shell: which keys belong to the person and where their data was sealed. */
export interface EraseSubject {
  erasureId: string;
  subject: ErasureSubject;
  requestRef: string;
  subjectIds: string[];
  sealedIn: string[];
}

export type ErasureCommand = { type: 'EraseSubject'; data: EraseSubject };
