import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import { rollupCollections } from './shared/rollup';
import { SLA_TALLIES, tallyRun } from './sla-compliance-tallies';
import {
  applyMembership,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  teamAt,
} from './team-membership.projection';

/**
 * SLA compliance (issue #7 §4), from the SLA saga's automation log: one document per clock run
 * (a handover with `restart` ends a run and starts the next), with its deadline, the rungs that
 * fired, the breach, and how it ended. Reports count runs by the time they started, from the
 * counters in `sla-compliance-tallies.ts`.
 */

export const SLA_COMPLIANCE = 'sla-compliance';
export const SLA_RUNS = 'runs';
/** Per lead: where it came from, and the runs still open, so decisions find them by lead id. */
export const SLA_CASES = 'cases';

/** The saga whose decisions this read model follows (sagas/sla-clock.ts `SLA_SAGA`). */
const SLA_SAGA = 'sla-escalation';
const CLOCKS = ['first_response', 'proposal'] as const;
export type SlaClockName = (typeof CLOCKS)[number];

/** `met`, `breached`, `running`, or `closed` (ended unjudged: a closure or a restart on handover). */
export type SlaRunOutcome = 'met' | 'breached' | 'running' | 'closed';

export interface SlaRung {
  level: number;
  /** The ladder action; `reassign_requested` for a reassignment. */
  action: string;
  /** `fired`: a task or reassignment request went out; `suppressed`: nobody to send it to. */
  result: 'fired' | 'suppressed';
  at: string;
  /** The owner and their team when the rung fired. */
  ownerId: string | null;
  teamId: string | null;
}

export interface SlaRunFact extends ReadDocument {
  leadId: string;
  clock: SlaClockName;
  startedAt: string;
  /** `inquiry` for the first run, `handover` for a restart. */
  startCause: string;
  deadline: string;
  mode: string;
  targetMinutes: number | null;
  /** The `sla.default` version the run is judged by: the one in force when it started. */
  policyVersion: number | null;
  channel: string;
  country: string | null;
  region: string | null;
  startOwnerId: string | null;
  startTeamId: string | null;
  /** Whoever held the record when the run was judged (the deadline of a breach, the response of a met run), else the latest owner. */
  ownerId: string | null;
  teamId: string | null;
  outcome: SlaRunOutcome;
  breachedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  /** When the response (or quote, or stage move) happened. */
  metAt: string | null;
  /** Calendar seconds from the run's start to metAt. */
  responseSeconds: number | null;
  rungs: SlaRung[];
}

interface SlaCaseDocument extends ReadDocument {
  channel: string;
  country: string | null;
  region: string | null;
  /** The run of each clock not yet ended, as last written to `runs`. */
  open: Partial<Record<SlaClockName, SlaRunFact>>;
}

type Decision = {
  saga?: string;
  decision?: string;
  step?: string;
  dueAt?: string;
  detail?: Record<string, string | number | boolean>;
  policy?: { id: string; version: number };
};

const iso = (at: string): string => new Date(at).toISOString();
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The run's start instant, from the saga's deterministic command id (`…:<clock>:<runStart>:target:scheduled`). */
function runStartOf(event: RecordedEvent, leadId: string, clock: string): string {
  const commandId = str(event.metadata.commandId);
  const prefix = `${SLA_SAGA}:${leadId}:${clock}:`;
  const suffix = ':target:scheduled';
  if (commandId?.startsWith(prefix) && commandId.endsWith(suffix)) {
    const start = commandId.slice(prefix.length, -suffix.length);
    if (!Number.isNaN(Date.parse(start))) return iso(start);
  }
  // The saga dates a decision at the run's start unless it had to re-date it after downtime.
  return iso(event.metadata.occurredAt);
}

export function outcomeOf(run: SlaRunFact): SlaRunOutcome {
  if (run.endReason !== null && run.metAt !== null && run.metAt <= run.deadline) return 'met';
  if (run.breachedAt !== null || (run.metAt !== null && run.metAt > run.deadline))
    return 'breached';
  return run.endedAt !== null ? 'closed' : 'running';
}

function caseFor(event: RecordedEvent): SlaCaseDocument {
  const data = event.data as { channel?: unknown; inquirer?: { country?: unknown } };
  const country = str(data.inquirer?.country);
  return {
    id: streamId(event),
    channel: str(data.channel) ?? 'other',
    country,
    region: country ? regionOf(country) : null,
    open: {},
  };
}

export const slaComplianceProjection: Projection = {
  name: SLA_COMPLIANCE,
  // 4: month and day buckets within each owner and team (scope breakdowns).
  version: 4,
  collections: [
    {
      name: SLA_RUNS,
      indexes: [
        ['clock', 'startedAt'],
        ['leadId', 'startedAt'],
      ],
    },
    { name: SLA_CASES },
    ...rollupCollections(SLA_TALLIES),
    ...MEMBERSHIP_COLLECTIONS,
  ],
  eventTypes: ['InquiryReceived', 'AutomationDecisionRecorded', ...MEMBERSHIP_EVENT_TYPES],

  reads(event: RecordedEvent): DocumentRef[] {
    return event.type === 'InquiryReceived' || event.type === 'AutomationDecisionRecorded'
      ? [{ collection: SLA_CASES, id: streamId(event) }]
      : [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (applyMembership(event, view)) return;
    if (event.type === 'InquiryReceived') {
      if (!view.get(SLA_CASES, streamId(event))) view.put(SLA_CASES, caseFor(event));
      return;
    }
    const data = event.data as Decision;
    if (data.saga !== SLA_SAGA || !data.step || !data.decision) return;
    const [clock, part] = data.step.split('.') as [SlaClockName, string | undefined];
    if (!CLOCKS.includes(clock) || !part) return;
    const leadId = streamId(event);
    const doc = view.get<SlaCaseDocument>(SLA_CASES, leadId);
    if (!doc) return;
    const at = iso(event.metadata.occurredAt);
    const detail = data.detail ?? {};
    const open = doc.open[clock];

    if (part === 'target' && data.decision === 'scheduled') {
      const ownerId = str(detail.ownerId);
      const teamId = str(detail.teamId);
      const run: SlaRunFact = {
        id: '',
        leadId,
        clock,
        startedAt: runStartOf(event, leadId, clock),
        startCause: str(detail.cause) ?? 'inquiry',
        deadline: iso(data.dueAt ?? at),
        mode: str(detail.mode) ?? 'calendar',
        targetMinutes: typeof detail.targetMinutes === 'number' ? detail.targetMinutes : null,
        policyVersion: data.policy?.version ?? null,
        channel: doc.channel,
        country: doc.country,
        region: doc.region,
        startOwnerId: ownerId,
        startTeamId: teamId,
        ownerId,
        teamId,
        outcome: 'running',
        breachedAt: null,
        endedAt: null,
        endReason: null,
        metAt: null,
        responseSeconds: null,
        rungs: [],
      };
      run.id = `${leadId}:${clock}:${run.startedAt}`;
      // The same run scheduled again replaces itself, counts included.
      save(view, doc, clock, run, open?.id === run.id ? open : undefined);
      return;
    }
    if (!open) return;
    const run: SlaRunFact = { ...open, rungs: [...open.rungs] };
    if (part.startsWith('level_')) {
      if (data.decision === 'scheduled') return;
      run.rungs.push({
        level: Number(detail.level ?? part.slice('level_'.length)),
        action: str(detail.action) ?? 'unknown',
        result: data.decision === 'suppressed' ? 'suppressed' : 'fired',
        at,
        ownerId: str(detail.ownerId),
        teamId: str(detail.teamId),
      });
    } else if (part === 'breach' && data.decision === 'flagged') {
      run.breachedAt = at;
      run.ownerId = str(detail.ownerId);
      run.teamId = str(detail.teamId);
    } else if (part === 'handover' && data.decision === 'scheduled') {
      // A continued clock: the deadlines stand, the new owner answers for it.
      if (run.breachedAt === null) {
        run.ownerId = str(detail.to);
        run.teamId = teamAt(view, run.ownerId ?? undefined, at) ?? null;
      }
    } else if (part === 'stop' && data.decision === 'stopped') {
      const metAt = str(detail.metAt);
      run.endedAt = at;
      run.endReason = str(detail.reason);
      run.metAt = metAt && iso(metAt);
      run.responseSeconds = run.metAt
        ? Math.round((Date.parse(run.metAt) - Date.parse(run.startedAt)) / 1000)
        : null;
      // Met (also by an archived email filed after the breach was flagged), or late with no
      // breach on record: judged at the response, by the owner's team then.
      if (run.metAt && (run.metAt <= run.deadline || run.breachedAt === null)) {
        run.teamId = teamAt(view, run.ownerId ?? undefined, run.metAt) ?? run.teamId;
      }
    } else if (part === 'run' && data.decision === 'cancelled') {
      run.endedAt = at;
      run.endReason = str(detail.reason) ?? 'handover';
    } else {
      return;
    }
    save(view, doc, clock, run, open);
  },
};

function save(
  view: ProjectionView,
  doc: SlaCaseDocument,
  clock: SlaClockName,
  run: SlaRunFact,
  before: SlaRunFact | undefined,
): void {
  const judged: SlaRunFact = { ...run, outcome: outcomeOf(run) };
  view.put(SLA_RUNS, judged);
  tallyRun(view, before, judged);
  const open = { ...doc.open };
  if (judged.endedAt === null) open[clock] = judged;
  else delete open[clock];
  view.put(SLA_CASES, { ...doc, open });
}
