import { EventActor, EventCause } from '../../event-store/event-store.port';
import { Message, messageOf } from './event-messages';

/** The cause as the history shows it: a deactivation's handovers are told apart from other system work. */
export type CauseKind = 'person' | 'rule' | 'saga' | 'deactivation' | 'import' | 'system';

export interface CauseView {
  kind: CauseKind;
  /** The user, rule, saga or source behind it. */
  id: string | null;
  /** A rule's version, "under which rule" being that rule as it stood then. */
  version: number | null;
  message: Message;
}

/** Recorded on every handover a deactivation makes (src/users/handover-commands.ts). */
const DEACTIVATION = 'user-deactivation';

/**
 * Who or what made a change, users by id (the message marks them, for the reader to name). The
 * metadata's cause decides; without one, the acting person did.
 * A saga acting under a rule names both (a saga's commands carry the rule as their cause and the
 * saga in their reason, `automation: <saga>`).
 */
export function describeCause(
  actor: EventActor | undefined,
  cause: EventCause | undefined,
  reason: string | undefined,
  data: Record<string, unknown>,
): CauseView {
  const name = actor?.userId ?? '';
  if (!cause || cause.kind === 'person') {
    const id = cause?.id ?? actor?.userId ?? null;
    return view('person', id, null, 'history.by.person', { name: id ?? '' });
  }
  if (cause.kind === 'rule') {
    const saga = /^automation: (.+)$/.exec(reason ?? '')?.[1];
    const params = { rule: cause.id, version: String(cause.version ?? '') };
    return saga
      ? view('rule', cause.id, cause.version ?? null, 'history.by.rule_via_saga', {
          ...params,
          saga,
        })
      : view('rule', cause.id, cause.version ?? null, 'history.by.rule', params);
  }
  if (cause.kind === 'saga')
    return view('saga', cause.id, null, 'history.by.saga', { saga: cause.id });
  if (cause.kind === 'import') {
    return view('import', cause.id, null, 'history.by.import', { source: cause.id, name });
  }
  if (cause.id === DEACTIVATION) {
    const leaver = typeof data.from === 'string' ? data.from : '';
    return view('deactivation', leaver || null, null, 'history.by.deactivation', {
      leaver,
      name,
    });
  }
  return view('system', cause.id, null, 'history.by.system', { id: cause.id });
}

function view(
  kind: CauseKind,
  id: string | null,
  version: number | null,
  key: string,
  params: Record<string, string>,
): CauseView {
  return { kind, id, version, message: messageOf(key, params) };
}
