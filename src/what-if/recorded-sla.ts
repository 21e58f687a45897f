import type { SlaClockKind } from '../../domain/policies/sla-policy';
import { SLA_SAGA, SlaRunOutcome } from '../../sagas/sla-clock';
import type { SlaBreakdown, SlaPrediction, Tally } from '../../sagas/sla-prediction';
import type { RecordedEvent } from '../event-store/event-store.port';

/** What the SLA automation actually did, counted like a prediction, from its decisions on record. */
export type RecordedSla = Pick<SlaPrediction, 'runs' | 'breaches' | 'escalations' | 'suppressed'>;

type Detail = Record<string, unknown>;

interface RunOnRecord {
  leadId: string;
  clock: SlaClockKind;
  started?: Detail;
  breach?: Detail;
  stopped?: Detail;
  cancelled?: boolean;
  fired: Detail[];
  suppressed: number;
}

const NONE = '(none)';

/**
 * The automation's command ids name the lead, the clock and the run's start
 * (`sla-escalation:<leadId>:<clock>:<runStart>:<part>`, sagas/sla-clock.ts `runCommandId`), so
 * decisions group into runs the way the replay's clock documents hold them.
 */
const RUN_COMMAND_ID = new RegExp(
  `^${SLA_SAGA}:([^:]+):(first_response|proposal):(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z):(.+)$`,
);

const emptyBreakdown = (): SlaBreakdown => ({
  total: 0,
  byClock: {},
  byLevel: {},
  byTeam: {},
  byRep: {},
  byChannel: {},
});

const bump = (tally: Tally, key: unknown) => {
  const name = typeof key === 'string' ? key : NONE;
  tally[name] = (tally[name] ?? 0) + 1;
};

/** As sagas/sla-clock.ts `runOutcome`, from the decisions the run left. */
const outcomeOf = (run: RunOnRecord): SlaRunOutcome => {
  if (run.stopped?.inTime === true) return 'met';
  if (run.breach || run.stopped?.inTime === false) return 'breached';
  return run.stopped || run.cancelled ? 'closed' : 'running';
};

/**
 * Counts what the SLA automation recorded for the clock runs started in [from, to], with its
 * decisions up to `to`: the same figures a prediction gives for a replay over the same period, so
 * candidate, policy in force and what actually happened compare line by line.
 */
export function recordedSla(events: RecordedEvent[], from: string, to: string): RecordedSla {
  const channels = new Map<string, string>();
  const runs = new Map<string, RunOnRecord>();
  for (const event of events) {
    if (event.type === 'InquiryReceived') {
      const data = event.data as { leadId?: string; channel?: string };
      if (data.leadId) channels.set(data.leadId, data.channel ?? 'other');
      continue;
    }
    if (event.type !== 'AutomationDecisionRecorded' || event.data.saga !== SLA_SAGA) continue;
    if (event.metadata.occurredAt > to) continue;
    const match = RUN_COMMAND_ID.exec(String(event.metadata.commandId ?? ''));
    if (!match) continue;
    const [, leadId, clock, runStart, part] = match;
    if (runStart < from) continue;
    const key = `${leadId}\u0000${clock}\u0000${runStart}`;
    const run = runs.get(key) ?? {
      leadId,
      clock: clock as SlaClockKind,
      fired: [],
      suppressed: 0,
    };
    runs.set(key, run);
    const detail = (event.data.detail ?? {}) as Detail;
    const decision = event.data.decision;
    if (part === 'target:scheduled') run.started = detail;
    else if (part === 'breach') run.breach = detail;
    else if (part === 'stopped') run.stopped = detail;
    else if (part === 'cancelled') run.cancelled = true;
    else if (/^L\d+:/.test(part) && (decision === 'task_created' || decision === 'escalated'))
      run.fired.push(detail);
    else if (/^L\d+:/.test(part) && decision === 'suppressed') run.suppressed += 1;
  }

  const counts = {
    first_response: { started: 0, met: 0, breached: 0, running: 0, closed: 0 },
    proposal: { started: 0, met: 0, breached: 0, running: 0, closed: 0 },
  };
  const breaches = emptyBreakdown();
  const escalations = { ...emptyBreakdown(), byAction: {} as Tally };
  let suppressed = 0;
  for (const run of runs.values()) {
    if (!run.started) continue;
    const channel = channels.get(run.leadId) ?? NONE;
    const outcome = outcomeOf(run);
    counts[run.clock].started += 1;
    counts[run.clock][outcome] += 1;
    if (outcome === 'breached') {
      breaches.total += 1;
      bump(breaches.byClock, run.clock);
      bump(breaches.byTeam, run.breach?.teamId ?? run.started.teamId);
      bump(breaches.byRep, run.breach?.ownerId ?? run.started.ownerId);
      bump(breaches.byChannel, channel);
    }
    for (const rung of run.fired) {
      escalations.total += 1;
      bump(escalations.byClock, run.clock);
      bump(escalations.byLevel, `${run.clock}.level_${String(rung.level)}`);
      bump(escalations.byAction, rung.action);
      bump(escalations.byTeam, rung.teamId);
      bump(escalations.byRep, rung.ownerId);
      bump(escalations.byChannel, channel);
    }
    suppressed += run.suppressed;
  }
  return { runs: counts, breaches, escalations, suppressed };
}
