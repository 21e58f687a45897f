import type { SlaAction, SlaClockKind, SlaPolicy } from '../domain/policies/sla-policy';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { replaySaga } from './saga-replay';
import type { SagaCommand } from './saga';
import { SlaCase, runOutcome } from './sla-clock';
import { SLA_CLOCKS_COLLECTION, createSlaEscalationSaga } from './sla-escalation.saga';

/** Counts by a dimension; `(none)` for a lead without an owner or team. */
export type Tally = Record<string, number>;

export interface SlaBreakdown {
  total: number;
  byClock: Tally;
  /** `<clock>.level_<n>`: rungs only (breaches have no level). */
  byLevel: Tally;
  byTeam: Tally;
  byRep: Tally;
  byChannel: Tally;
}

export interface SlaPrediction {
  /** The candidate, or undefined when the history's own policy versions were replayed. */
  policy?: { id: string; version: number };
  from?: string;
  until: string;
  /** Clock runs started in [from, until], by outcome (`closed`: ended by a closure or a restart). */
  runs: Record<
    SlaClockKind,
    { started: number; met: number; breached: number; running: number; closed: number }
  >;
  /** Runs that missed their target: attributed to the owner and team at the deadline. */
  breaches: SlaBreakdown;
  /** Rungs that fired (reminders, escalations, reassignment requests), by level and action. */
  escalations: SlaBreakdown & { byAction: Tally };
  /** Rungs that fired with nobody to send them to. */
  suppressed: number;
  /** The commands the replay sent, in order: what would have happened. */
  commands: SagaCommand[];
}

const NONE = '(none)';

const emptyBreakdown = (): SlaBreakdown => ({
  total: 0,
  byClock: {},
  byLevel: {},
  byTeam: {},
  byRep: {},
  byChannel: {},
});

const bump = (tally: Tally, key: string | undefined) => {
  const name = key ?? NONE;
  tally[name] = (tally[name] ?? 0) + 1;
};

/**
 * The what-if of an SLA policy: replays the SLA saga over recorded history with the saga clock and
 * no side effects, using `policy` for every clock (whatever versions the history published), or
 * the published versions when `policy` is undefined — which reproduces what the saga did live.
 * Counts runs started from `options.from` (inclusive) up to `until`; timers fire up to `until`.
 */
export function predictSla(
  events: RecordedEvent[],
  policy: SlaPolicy | undefined,
  until: string,
  options: { from?: string } = {},
): SlaPrediction {
  const saga = createSlaEscalationSaga(policy ? { policy } : {});
  const result = replaySaga(saga, events, until);
  const from = options.from === undefined ? -Infinity : Date.parse(options.from);
  const prefix = `${SLA_CLOCKS_COLLECTION}\u0000`;
  const runs = {
    first_response: { started: 0, met: 0, breached: 0, running: 0, closed: 0 },
    proposal: { started: 0, met: 0, breached: 0, running: 0, closed: 0 },
  };
  const breaches = emptyBreakdown();
  const escalations = { ...emptyBreakdown(), byAction: {} as Tally };
  let suppressed = 0;

  for (const [key, document] of result.documents) {
    if (!key.startsWith(prefix)) continue;
    const slaCase = document as SlaCase;
    for (const kind of ['first_response', 'proposal'] as const) {
      for (const run of slaCase.clocks[kind]?.runs ?? []) {
        if (Date.parse(run.startedAt) < from) continue;
        const outcome = runOutcome(run);
        runs[kind].started += 1;
        runs[kind][outcome] += 1;
        if (outcome === 'breached') {
          breaches.total += 1;
          bump(breaches.byClock, kind);
          bump(breaches.byTeam, run.breach?.teamId ?? run.teamId);
          bump(breaches.byRep, run.breach?.ownerId ?? run.ownerId);
          bump(breaches.byChannel, slaCase.channel);
        }
        for (const step of run.steps) {
          if (step.status === 'suppressed') suppressed += 1;
          if (step.status !== 'fired') continue;
          escalations.total += 1;
          bump(escalations.byClock, kind);
          bump(escalations.byLevel, `${kind}.level_${step.level}`);
          bump(escalations.byAction, actionName(step.action));
          bump(escalations.byTeam, step.teamId);
          bump(escalations.byRep, step.ownerId);
          bump(escalations.byChannel, slaCase.channel);
        }
      }
    }
  }
  return {
    ...(policy && { policy: { id: policy.id, version: policy.version } }),
    ...(options.from !== undefined && { from: options.from }),
    until,
    runs,
    breaches,
    escalations,
    suppressed,
    commands: result.commands,
  };
}

const actionName = (action: SlaAction): string =>
  action === 'reassign' ? 'reassign_requested' : action;
