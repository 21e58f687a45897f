import { Decider } from '../shared/decider';
import { isNonBlank, refuse } from '../shared/validation';
import { EraseSubject, ErasureCommand } from './erasure.commands';
import { ErasureEvent, SubjectErased, subjectKeyOf } from './erasure.events';

/** null until the subject is erased; erasure is once and for good. */
export type ErasureState = SubjectErased | null;

const SUBJECT_ID = /^(lead|contact):[0-9A-Za-z-]+$/;
const EVENT_REF = /^[a-z]+-\S+@\d+$/;
export const MAX_REQUEST_REF = 200;

const check = (command: EraseSubject): void => {
  if (!isNonBlank(command.erasureId)) refuse('erasure.id_required', 'The erasure has no id.');
  if (!isNonBlank(command.requestRef) || command.requestRef.length > MAX_REQUEST_REF) {
    refuse(
      'erasure.request_ref_invalid',
      `Give the reference of the erasure request (1–${MAX_REQUEST_REF} characters).`,
      'requestRef',
    );
  }
  const subject = command.subject;
  const named =
    subject?.kind === 'lead'
      ? isNonBlank(subject.leadId)
      : subject?.kind === 'contact' &&
        isNonBlank(subject.accountId) &&
        isNonBlank(subject.contactId);
  if (!named)
    refuse('erasure.subject_invalid', 'Name a lead or a contact of an account.', 'subject');
  if (
    !Array.isArray(command.subjectIds) ||
    command.subjectIds.length === 0 ||
    !command.subjectIds.every((id) => SUBJECT_ID.test(id))
  ) {
    refuse('erasure.subject_ids_invalid', 'An erasure destroys at least one lead or contact key.');
  }
  if (!Array.isArray(command.sealedIn) || !command.sealedIn.every((ref) => EVENT_REF.test(ref))) {
    refuse('erasure.sealed_in_invalid', 'Sealed events are named <stream>@<revision>.');
  }
};

export const erasureDecider: Decider<ErasureCommand, ErasureEvent, ErasureState> = {
  initialState: null,

  decide(command, state, context) {
    const data = command.data;
    check(data);
    if (state) {
      // The person may be named again by another of their keys: the contact a lead became.
      if (!state.subjectIds.includes(subjectKeyOf(data.subject))) {
        refuse('erasure.other_subject', 'This erasure was made for another person.', 'subject', {
          erasureId: state.erasureId,
        });
      }
      // A repeated request is answered with the erasure already made; another reference is not.
      if (state.requestRef === data.requestRef.trim()) return [];
      refuse(
        'erasure.already_erased',
        `This person was already erased under request ${state.requestRef}.`,
        'requestRef',
        { requestRef: state.requestRef },
      );
    }
    return [
      {
        type: 'SubjectErased',
        data: {
          erasureId: data.erasureId,
          subject: data.subject,
          requestRef: data.requestRef.trim(),
          erasedBy: context.actor.userId,
          subjectIds: [...new Set(data.subjectIds)],
          sealedIn: [...new Set(data.sealedIn)],
        },
      },
    ];
  },

  evolve: (_state, event) => event.data,
};
