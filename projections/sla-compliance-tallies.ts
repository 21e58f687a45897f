import type { ProjectionView } from './projection';
import {
  addToRollup,
  Dimensions,
  distributionKey,
  OwnerPairs,
  removeFromRollup,
} from './shared/rollup';
import type { SlaClockName, SlaRunFact, SlaRung } from './sla-compliance.projection';

/**
 * The SLA report's counters, kept as a rollup by each run's start (`projections/shared/rollup.ts`):
 * per clock, runs started and by outcome, the exact seconds of met responses, and the ladder rungs
 * by level and result. A run whose outcome or attribution changes takes its counts back and files
 * them again, so every bucket holds the runs as they stand now.
 */
export const SLA_TALLIES = 'tallies';

/** Also filed per owner, so "one channel (country, region), by rep" and a rep's own view read buckets. */
export const SLA_OWNER_PAIRS: OwnerPairs = ['channel', 'country', 'region'];

/** The group of a run or rung without an owner, team or country. */
export const NO_VALUE = '(none)';

export type SlaCount = 'started' | SlaRunFact['outcome'];
export const countKey = (clock: SlaClockName, count: SlaCount) => `${count}_${clock}`;
/** `<prefix>_<seconds>` → met runs answered in that many calendar seconds. */
export const metSecondsPrefix = (clock: SlaClockName) => `metSeconds_${clock}`;
/** `<prefix>_<level>` → rungs of that level. */
export const rungPrefix = (clock: SlaClockName, result: SlaRung['result']) => `${result}_${clock}`;

/** Runs count for the owner and team they were judged under, with the inquiry's origin. */
export const runDimensions = (run: SlaRunFact): Dimensions => ({
  owner: run.ownerId ?? NO_VALUE,
  team: run.teamId ?? NO_VALUE,
  channel: run.channel,
  country: run.country ?? NO_VALUE,
  region: run.region ?? NO_VALUE,
});

/** Rungs count for the owner and team they fired on. */
export const rungDimensions = (run: SlaRunFact, rung: SlaRung): Dimensions => ({
  ...runDimensions(run),
  owner: rung.ownerId ?? NO_VALUE,
  team: rung.teamId ?? NO_VALUE,
});

function runAmounts(run: SlaRunFact): Record<string, number> {
  const amounts = { [countKey(run.clock, 'started')]: 1, [countKey(run.clock, run.outcome)]: 1 };
  if (run.outcome === 'met' && run.responseSeconds !== null) {
    amounts[distributionKey(metSecondsPrefix(run.clock), run.responseSeconds)] = 1;
  }
  return amounts;
}

const sameEntries = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([key, value]) => b[key] === value);

/** Moves the run's counts from how it stood (`before`, none for a new run) to how it stands now. */
export function tallyRun(view: ProjectionView, before: SlaRunFact | undefined, run: SlaRunFact) {
  const amounts = runAmounts(run);
  const dims = runDimensions(run);
  if (before) {
    const was = runAmounts(before);
    const wasDims = runDimensions(before);
    if (!sameEntries(was, amounts) || !sameEntries(wasDims, dims)) {
      removeFromRollup(
        view,
        SLA_TALLIES,
        before.startedAt,
        wasDims,
        was,
        before.id,
        { ownerPairs: SLA_OWNER_PAIRS },
      );
      addToRollup(view, SLA_TALLIES, run.startedAt, dims, amounts, run.id, { ownerPairs: SLA_OWNER_PAIRS });
    }
  } else {
    addToRollup(view, SLA_TALLIES, run.startedAt, dims, amounts, run.id, { ownerPairs: SLA_OWNER_PAIRS });
  }
  // Rungs only ever join a run; each counts once, under the run's start.
  for (let index = before?.rungs.length ?? 0; index < run.rungs.length; index++) {
    const rung = run.rungs[index];
    addToRollup(
      view,
      SLA_TALLIES,
      run.startedAt,
      rungDimensions(run, rung),
      { [distributionKey(rungPrefix(run.clock, rung.result), rung.level)]: 1 },
      `${run.id}|rung|${index}`,
      { ownerPairs: SLA_OWNER_PAIRS },
    );
  }
}
