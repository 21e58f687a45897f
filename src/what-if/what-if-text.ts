import type { Tally } from '../../sagas/sla-prediction';
import type { WhatIfAnswer } from './what-if.service';

/** Display names for the ids in the breakdowns; an id without one is shown as it is. */
export interface WhatIfNames {
  team(id: string): string | undefined;
  user(id: string): string | undefined;
}

const ACTIONS: Record<string, string> = {
  remind_owner: 'reminders to the owner',
  escalate_team_lead: 'escalations to the team lead',
  escalate_manager: 'escalations to the manager',
  reassign_requested: 'reassignment requests',
};

const CLOCKS: Record<string, string> = {
  first_response: 'first response',
  proposal: 'initial proposal',
};

type Column = 'candidate' | 'inForce' | 'actual';
type Source = Pick<WhatIfAnswer['candidate'], 'runs' | 'breaches' | 'escalations' | 'suppressed'>;

const LABEL_WIDTH = 44;
const COLUMN_WIDTH = 11;

/**
 * The what-if answer as a table for people: the candidate, the policies in force and what actually
 * happened side by side — clock runs, breaches, escalations by level and action, and by team, rep
 * and channel — then whether replaying the policies in force reproduces the automation's record.
 */
export function whatIfText(answer: WhatIfAnswer, names: WhatIfNames): string {
  const sources: Record<Column, Source> = {
    candidate: answer.candidate,
    inForce: answer.inForce,
    actual: answer.actual,
  };
  const lines: string[] = [];
  const row = (label: string, pick: (source: Source) => number | undefined) =>
    lines.push(
      label.padEnd(LABEL_WIDTH) +
        (['candidate', 'inForce', 'actual'] as const)
          .map((column) => (pick(sources[column]) ?? 0).toLocaleString('en-US'))
          .map((value) => value.padStart(COLUMN_WIDTH))
          .join(''),
    );
  const heading = (title: string) =>
    lines.push(
      '',
      title.padEnd(LABEL_WIDTH) +
        ['candidate', 'in force', 'actual'].map((name) => name.padStart(COLUMN_WIDTH)).join(''),
    );
  const tallies = (
    title: string,
    pick: (source: Source) => Tally,
    label: (key: string) => string = (key) => key,
  ) => {
    heading(title);
    const keys = new Set(Object.values(sources).flatMap((source) => Object.keys(pick(source))));
    if (keys.size === 0) lines.push('  (none)');
    const inForce = pick(sources.inForce);
    for (const key of [...keys].sort(
      (a, b) => (inForce[b] ?? 0) - (inForce[a] ?? 0) || label(a).localeCompare(label(b)),
    ))
      row(`  ${label(key)}`, (source) => pick(source)[key]);
  };

  const policy = answer.candidate.policy;
  lines.push(
    `What-if: ${policy ? `${policy.id} v${policy.version} as the candidate` : 'candidate policy'}, ` +
      `${answer.period.from} → ${answer.period.to}`,
    'Counts cover the SLA clock runs started in the period, with what fired up to its end.',
  );

  heading('Clock runs');
  for (const clock of Object.keys(answer.inForce.runs) as Array<keyof Source['runs']>) {
    for (const outcome of ['started', 'met', 'breached', 'running', 'closed'] as const)
      row(`  ${CLOCKS[clock] ?? clock}: ${outcome}`, (source) => source.runs[clock]?.[outcome]);
  }

  heading('Breaches');
  row('  total', (source) => source.breaches.total);
  for (const clock of Object.keys(CLOCKS))
    row(`  ${CLOCKS[clock]}`, (source) => source.breaches.byClock[clock]);

  heading('Escalation ladder: rungs fired');
  row('  total', (source) => source.escalations.total);
  const levels = new Set(
    Object.values(sources).flatMap((source) => Object.keys(source.escalations.byLevel)),
  );
  for (const level of [...levels].sort())
    row(`  ${level}`, (source) => source.escalations.byLevel[level]);
  for (const action of Object.keys(ACTIONS))
    row(`  ${ACTIONS[action]}`, (source) => source.escalations.byAction[action]);
  row('  not sent: nobody to send them to', (source) => source.suppressed);

  const team = (id: string) => names.team(id) ?? id;
  const user = (id: string) => names.user(id) ?? id;
  tallies('Breaches by team', (source) => source.breaches.byTeam, team);
  tallies('Breaches by rep', (source) => source.breaches.byRep, user);
  tallies('Breaches by channel', (source) => source.breaches.byChannel);
  tallies('Escalations by team', (source) => source.escalations.byTeam, team);
  tallies('Escalations by rep', (source) => source.escalations.byRep, user);

  const { actual } = answer;
  lines.push(
    '',
    `The automation recorded ${actual.decisions.toLocaleString('en-US')} SLA decisions in the period.`,
  );
  if (actual.reproducedByReplay) {
    lines.push('Replaying the policies in force reproduces every one of them, and nothing else.');
  } else {
    lines.push('Replaying the policies in force does NOT reproduce them:');
    for (const id of actual.notReproduced) lines.push(`  recorded, not replayed: ${id}`);
    for (const id of actual.notRecorded) lines.push(`  replayed, not recorded: ${id}`);
  }
  return lines.join('\n');
}
