import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssignmentContext, AssignmentInput } from '../../domain/assignment/assignment.types';
import { assignLeadCommand, chooseOwner } from '../../domain/assignment/choose-owner';
import { AssignableTeam, AssignableUser } from '../../domain/assignment/eligibility';
import {
  RotationState,
  evolveRotation,
  initialRotation,
  rotationFromAssignments,
} from '../../domain/assignment/rotation';
import { leadDecider } from '../../domain/lead/lead.decider';
import { LeadEvent } from '../../domain/lead/lead.events';
import { AssignmentPolicy, AssignmentRule } from '../../domain/policies/assignment-policy';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { DomainError } from '../../domain/shared/domain-error';

const readPolicy = <T>(file: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../../config/policies', file), 'utf8')) as T;
const calendars = readPolicy<CalendarPolicy>('calendars.default.json');
const policy = readPolicy<AssignmentPolicy>('assignment.default.json');

// Tuesday 10 March 2026: Berlin is on UTC+1, Dubai on UTC+4; both teams work 09:00–18:00.
const BOTH_ON_SHIFT = '2026-03-10T08:00:00.000Z'; // Berlin 09:00, Dubai 12:00
const GULF_OFF_SHIFT = '2026-03-10T15:00:00.000Z'; // Berlin 16:00, Dubai 19:00
const BERLIN_20H = '2026-03-10T19:00:00.000Z'; // Berlin 20:00, Dubai 23:00

const teams: AssignableTeam[] = [
  {
    teamId: 'gulf-sales',
    region: ['AE', 'BH', 'KW', 'OM', 'QA', 'SA'],
    calendarKey: 'dubai-sales',
  },
  { teamId: 'dach-sales', region: ['AT', 'CH', 'DE'], calendarKey: 'berlin-sales' },
];

const user = (userId: string, teamId: string | null, changes: Partial<AssignableUser> = {}) => ({
  userId,
  role: 'rep' as const,
  teamId,
  availability: 'available' as const,
  active: true,
  ...changes,
});

const gulf = ['u-gulf-1', 'u-gulf-2', 'u-gulf-3'];
const dach = ['u-dach-1', 'u-dach-2', 'u-dach-3'];
const staff: AssignableUser[] = [
  ...gulf.map((id) => user(id, 'gulf-sales')),
  ...dach.map((id) => user(id, 'dach-sales')),
  user('u-gulf-lead', 'gulf-sales', { role: 'team_lead' }),
  user('u-gulf-left', 'gulf-sales', { active: false }),
  user('u-sales-manager', null, { role: 'manager' }),
];

const contextWith = (changes: Partial<AssignmentContext> = {}): AssignmentContext => ({
  users: staff,
  teams,
  calendars,
  rotation: initialRotation,
  openLoad: new Map(),
  ...changes,
});

const usersWith = (id: string, changes: Partial<AssignableUser>): AssignableUser[] =>
  staff.map((candidate) => (candidate.userId === id ? { ...candidate, ...changes } : candidate));

const inquiry = (changes: Partial<AssignmentInput> = {}): AssignmentInput => ({
  country: 'AE',
  channel: 'website_form',
  at: BOTH_ON_SHIFT,
  ...changes,
});

const assignedEvent = (leadId: string, decision: ReturnType<typeof chooseOwner>): LeadEvent => ({
  type: 'LeadAssigned',
  data: { ...assignLeadCommand(leadId, decision) },
});

/** Assigns `count` inquiries one after the other, folding each assignment into the rotation. */
const assignMany = (
  count: number,
  input: (index: number) => AssignmentInput,
  context: AssignmentContext,
  activePolicy: AssignmentPolicy = policy,
) => {
  let rotation = context.rotation;
  const events: LeadEvent[] = [];
  for (let index = 0; index < count; index++) {
    const decision = chooseOwner(input(index), activePolicy, { ...context, rotation });
    const event = assignedEvent(`l-${index}`, decision);
    events.push(event);
    rotation = evolveRotation(rotation, event);
  }
  return { owners: events.map((event) => (event.data as { to: string }).to), events, rotation };
};

const tally = (owners: string[]): Record<string, number> =>
  owners.reduce<Record<string, number>>((counts, owner) => {
    counts[owner] = (counts[owner] ?? 0) + 1;
    return counts;
  }, {});

describe('assignment: rules', () => {
  it('takes the first rule that matches, in order', () => {
    const rulesFor = (input: Partial<AssignmentInput>) =>
      chooseOwner(inquiry(input), policy, contextWith()).rule?.ruleKey;
    expect(rulesFor({ country: 'SA' })).toBe('gulf-inquiries');
    expect(rulesFor({ country: 'de' })).toBe('dach-inquiries');
    expect(rulesFor({ country: 'US' })).toBe('everyone-else');
    expect(rulesFor({ country: undefined })).toBe('everyone-else');
  });

  it('matches product line, channel, grade and a team region; empty conditions match anything', () => {
    const rule = (key: string, match: AssignmentRule['match']): AssignmentRule => ({
      key,
      match,
      strategy: { kind: 'fixed_owner', ownerId: 'u-dach-1' },
    });
    const custom: AssignmentPolicy = {
      id: 'assignment.custom',
      version: 2,
      fallbackOwnerId: 'u-sales-manager',
      rules: [
        rule('grade-a-alibaba', { channels: ['alibaba'], grades: ['A'] }),
        rule('valves', { productLines: ['ball valves'] }),
        rule('gulf-region', { regionOf: 'gulf-sales', countries: ['EG'] }),
        rule('gone-team', { regionOf: 'no-such-team' }),
      ],
    };
    const keyOf = (input: Partial<AssignmentInput>) =>
      chooseOwner(inquiry({ country: 'FR', ...input }), custom, contextWith()).rule?.ruleKey;
    expect(keyOf({ channel: 'alibaba', grade: 'A' })).toBe('grade-a-alibaba');
    expect(keyOf({ channel: 'alibaba', grade: 'B' })).toBeUndefined();
    expect(keyOf({ channel: 'alibaba' })).toBeUndefined();
    expect(keyOf({ productLine: ' Ball Valves ' })).toBe('valves');
    expect(keyOf({ country: 'QA' })).toBe('gulf-region');
    expect(keyOf({ country: 'EG' })).toBe('gulf-region');
    // A region of a team that does not exist matches no country rather than all of them.
    expect(chooseOwner(inquiry({ country: 'FR' }), custom, contextWith())).toMatchObject({
      ownerId: 'u-sales-manager',
      rule: null,
      strategy: 'fallback',
      reason: 'fallback owner: no rule matched under assignment.custom v2',
      cause: { kind: 'rule', id: 'assignment.custom', version: 2 },
    });
  });

  it('keeps the owner of an existing account, even when away or off shift, unless inactive', () => {
    const away = usersWith('u-dach-2', { availability: 'away' });
    const kept = chooseOwner(
      inquiry({ country: 'AE', accountOwnerId: 'u-dach-2', at: BERLIN_20H }),
      policy,
      contextWith({ users: away }),
    );
    expect(kept).toEqual({
      ownerId: 'u-dach-2',
      rule: null,
      strategy: 'existing_owner',
      skipped: [],
      reason: 'owner of the existing account kept under assignment.default v1',
      cause: { kind: 'rule', id: 'assignment.default', version: 1 },
    });
    const left = chooseOwner(inquiry({ accountOwnerId: 'u-gulf-left' }), policy, contextWith());
    expect(left).toMatchObject({ ownerId: 'u-gulf-1', strategy: 'round_robin' });
    const unknown = chooseOwner(inquiry({ accountOwnerId: 'u-nobody' }), policy, contextWith());
    expect(unknown.strategy).toBe('round_robin');
  });

  it('gives a fixed owner, and the rule fallback when that owner is away', () => {
    const fixed: AssignmentPolicy = {
      ...policy,
      rules: [
        {
          key: 'key-account',
          match: { grades: ['A'] },
          strategy: { kind: 'fixed_owner', ownerId: 'u-dach-3' },
          fallbackOwnerId: 'u-dach-1',
        },
      ],
    };
    const input = inquiry({ grade: 'A' });
    expect(chooseOwner(input, fixed, contextWith())).toMatchObject({
      ownerId: 'u-dach-3',
      strategy: 'fixed_owner',
      reason: 'fixed owner under assignment.default v1 rule key-account',
      cause: { kind: 'rule', id: 'assignment.default#key-account', version: 1 },
    });
    const users = usersWith('u-dach-3', { availability: 'away' });
    expect(chooseOwner(input, fixed, contextWith({ users }))).toMatchObject({
      ownerId: 'u-dach-1',
      strategy: 'fallback',
      skipped: [{ userId: 'u-dach-3', reason: 'away' }],
      reason:
        'fallback owner: fixed owner u-dach-3 not eligible under assignment.default v1 rule ' +
        'key-account; skipped u-dach-3 (away)',
    });
  });

  it('refuses an assignment time that is not a UTC instant', () => {
    expect(() => chooseOwner(inquiry({ at: '10/03/2026' }), policy, contextWith())).toThrow(
      expect.objectContaining({ code: 'assignment.at_invalid' }) as DomainError,
    );
  });
});

describe('assignment: eligibility', () => {
  it('round robin in the team skips the away, the inactive and those who are not reps', () => {
    const users = usersWith('u-gulf-2', { availability: 'away' });
    const { owners } = assignMany(4, () => inquiry(), contextWith({ users }));
    expect(owners).toEqual(['u-gulf-1', 'u-gulf-3', 'u-gulf-1', 'u-gulf-3']);
    const decision = chooseOwner(inquiry(), policy, contextWith({ users }));
    expect(decision.skipped).toEqual([
      { userId: 'u-gulf-2', reason: 'away' },
      { userId: 'u-gulf-lead', reason: 'not_a_rep' },
      { userId: 'u-gulf-left', reason: 'inactive' },
    ]);
    expect(decision.reason).toBe(
      'round robin in team gulf-sales under assignment.default v1 rule gulf-inquiries; ' +
        'skipped u-gulf-2 (away)',
    );
  });

  it('counts an away period that has ended as available', () => {
    const back = usersWith('u-gulf-1', {
      availability: 'away',
      awayUntil: '2026-03-10T07:00:00.000Z',
    });
    expect(chooseOwner(inquiry(), policy, contextWith({ users: back })).ownerId).toBe('u-gulf-1');
    const stillAway = usersWith('u-gulf-1', {
      availability: 'away',
      awayUntil: '2026-03-10T08:00:00.001Z',
    });
    expect(chooseOwner(inquiry(), policy, contextWith({ users: stillAway })).ownerId).toBe(
      'u-gulf-2',
    );
  });

  it('lets team leads take leads when the rule allows', () => {
    const withLeads: AssignmentPolicy = {
      ...policy,
      rules: [{ ...policy.rules[0], includeTeamLeads: true }],
    };
    const { owners } = assignMany(4, () => inquiry(), contextWith(), withLeads);
    expect(owners).toEqual(['u-gulf-1', 'u-gulf-2', 'u-gulf-3', 'u-gulf-lead']);
  });

  it('skips a team off shift by its calendar: the Berlin team at 20:00 Berlin time', () => {
    const decision = chooseOwner(inquiry({ country: 'DE', at: BERLIN_20H }), policy, contextWith());
    expect(decision).toEqual({
      ownerId: 'u-sales-manager',
      rule: { policyId: 'assignment.default', version: 1, ruleKey: 'dach-inquiries' },
      strategy: 'fallback',
      skipped: dach.map((userId) => ({ userId, reason: 'off_shift' })),
      reason:
        'fallback owner: nobody eligible in team dach-sales under assignment.default v1 rule ' +
        'dach-inquiries; skipped u-dach-1 (off shift), u-dach-2 (off shift), u-dach-3 (off shift)',
      cause: { kind: 'rule', id: 'assignment.default#dach-inquiries', version: 1 },
    });
  });

  it('treats working hours as half-open, and holidays and weekends as off shift', () => {
    const dachOwner = (at: string) =>
      chooseOwner(inquiry({ country: 'DE', at }), policy, contextWith()).strategy;
    expect(dachOwner('2026-03-10T08:00:00.000Z')).toBe('least_loaded'); // 09:00
    expect(dachOwner('2026-03-10T16:59:59.999Z')).toBe('least_loaded'); // 17:59:59.999
    expect(dachOwner('2026-03-10T17:00:00.000Z')).toBe('fallback'); // 18:00
    expect(dachOwner('2026-05-01T10:00:00.000Z')).toBe('fallback'); // Labour Day
    expect(dachOwner('2026-03-14T10:00:00.000Z')).toBe('fallback'); // Saturday
  });

  it('round robin over all reps passes over the team that is off shift', () => {
    const { owners } = assignMany(
      6,
      () => inquiry({ country: 'US', at: GULF_OFF_SHIFT }),
      contextWith(),
    );
    expect(owners).toEqual([...dach, ...dach]);
    const decision = chooseOwner(
      inquiry({ country: 'US', at: BOTH_ON_SHIFT }),
      policy,
      contextWith(),
    );
    expect(decision).toMatchObject({ ownerId: 'u-dach-1', strategy: 'round_robin', skipped: [] });
  });

  it('falls back to the policy owner when the whole Gulf team is away', () => {
    const users = staff.map((candidate) =>
      gulf.includes(candidate.userId) ? { ...candidate, availability: 'away' as const } : candidate,
    );
    const decision = chooseOwner(inquiry(), policy, contextWith({ users }));
    expect(decision).toMatchObject({ ownerId: 'u-sales-manager', strategy: 'fallback' });
    expect(decision.skipped.filter(({ reason }) => reason === 'away')).toHaveLength(3);
  });
});

describe('assignment: least loaded', () => {
  const germany = () => inquiry({ country: 'DE' });

  it('picks the rep with the fewest open leads and deals; ties go by rotation order', () => {
    const openLoad = new Map([
      ['u-dach-1', 4],
      ['u-dach-2', 1],
      ['u-dach-3', 1],
    ]);
    expect(chooseOwner(germany(), policy, contextWith({ openLoad }))).toMatchObject({
      ownerId: 'u-dach-2',
      strategy: 'least_loaded',
      reason:
        'least loaded (1 open) in team dach-sales under assignment.default v1 rule dach-inquiries',
    });
    const rotation = rotationFromAssignments([
      assignedEvent('l-0', chooseOwner(germany(), policy, contextWith({ openLoad }))),
    ]);
    expect(chooseOwner(germany(), policy, contextWith({ openLoad, rotation })).ownerId).toBe(
      'u-dach-3',
    );
  });

  it('balances as load is added', () => {
    const openLoad = new Map([
      ['u-dach-1', 6],
      ['u-dach-2', 2],
    ]);
    let rotation: RotationState = initialRotation;
    const owners: string[] = [];
    for (let index = 0; index < 30; index++) {
      const decision = chooseOwner(germany(), policy, contextWith({ openLoad, rotation }));
      owners.push(decision.ownerId);
      openLoad.set(decision.ownerId, (openLoad.get(decision.ownerId) ?? 0) + 1);
      rotation = evolveRotation(rotation, assignedEvent(`l-${index}`, decision));
    }
    expect(owners.slice(0, 2)).toEqual(['u-dach-3', 'u-dach-3']);
    expect(owners.slice(0, 10).filter((owner) => owner === 'u-dach-1')).toHaveLength(0);
    const loads = [...openLoad.values()];
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(6 + 2 + 30);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });
});

describe('assignment: round-robin rotation', () => {
  it('is fair over 1,000 leads: each eligible rep gets 1000/N ± 1', () => {
    const users = usersWith('u-gulf-2', { availability: 'away' }).concat(
      user('u-gulf-4', 'gulf-sales'),
      user('u-gulf-5', 'gulf-sales'),
    );
    const hours = ['06:00', '09:30', '11:15', '13:45']; // all within Dubai's 09:00–18:00
    const { owners } = assignMany(
      1000,
      (index) => inquiry({ at: `2026-03-${10 + (index % 3)}T${hours[index % 4]}:00.000Z` }),
      contextWith({ users }),
    );
    const counts = tally(owners);
    expect(Object.keys(counts).sort()).toEqual(['u-gulf-1', 'u-gulf-3', 'u-gulf-4', 'u-gulf-5']);
    for (const count of Object.values(counts))
      expect(Math.abs(count - 1000 / 4)).toBeLessThanOrEqual(1);
    const three = tally(assignMany(1000, () => inquiry(), contextWith()).owners);
    for (const count of Object.values(three)) expect([333, 334]).toContain(count);
  });

  it('is kept across a restart: re-folding the stored events gives the same next owners', () => {
    // A mixed stream: three rules, availability changing, shifts changing, load growing.
    const countries = ['AE', 'DE', 'US', 'SA', 'AT', 'BR', 'QA'];
    const times = [BOTH_ON_SHIFT, GULF_OFF_SHIFT, '2026-03-11T06:30:00.000Z'];
    const input = (index: number) =>
      inquiry({ country: countries[index % 7], at: times[Math.floor(index / 7) % 3] });
    const usersAt = (index: number) =>
      index >= 300 && index < 650 ? usersWith('u-gulf-2', { availability: 'away' }) : staff;
    const run = (
      from: number,
      to: number,
      rotation: RotationState,
      openLoad: Map<string, number>,
    ) => {
      const events: LeadEvent[] = [];
      for (let index = from; index < to; index++) {
        const context = contextWith({ users: usersAt(index), rotation, openLoad });
        const decision = chooseOwner(input(index), policy, context);
        const event = assignedEvent(`l-${index}`, decision);
        events.push(event);
        rotation = evolveRotation(rotation, event);
        openLoad.set(decision.ownerId, (openLoad.get(decision.ownerId) ?? 0) + 1);
      }
      return events;
    };
    const loadFrom = (events: LeadEvent[]) =>
      new Map(Object.entries(tally(events.map((event) => (event.data as { to: string }).to))));

    const uninterrupted = run(0, 1000, initialRotation, new Map());

    const beforeRestart = run(0, 500, initialRotation, new Map());
    const stored = JSON.parse(JSON.stringify(beforeRestart)) as LeadEvent[];
    const replayed = rotationFromAssignments(stored);
    const afterRestart = run(500, 1000, replayed, loadFrom(stored));

    expect([...beforeRestart, ...afterRestart]).toEqual(uninterrupted);
    expect(rotationFromAssignments([...stored, ...afterRestart])).toEqual(
      rotationFromAssignments(uninterrupted),
    );
    expect(new Set(uninterrupted.map((event) => (event.data as { to: string }).to))).toEqual(
      new Set([...gulf, ...dach, 'u-sales-manager']),
    );
  });

  it('carries over to a new policy version, and past fallbacks and leavers keep the place', () => {
    const first = assignMany(2, () => inquiry(), contextWith());
    expect(first.owners).toEqual(['u-gulf-1', 'u-gulf-2']);
    const allAway = staff.map((candidate) => ({ ...candidate, availability: 'away' as const }));
    const fallback = assignMany(
      1,
      () => inquiry(),
      contextWith({ users: allAway, rotation: first.rotation }),
    );
    expect(fallback.owners).toEqual(['u-sales-manager']);
    const republished = { ...policy, version: 2 };
    const next = chooseOwner(inquiry(), republished, contextWith({ rotation: fallback.rotation }));
    expect(next).toMatchObject({ ownerId: 'u-gulf-3', cause: { version: 2 } });
    // u-gulf-2, the last one assigned, moves to another team: the rotation goes on after u-gulf-1.
    const moved = usersWith('u-gulf-2', { teamId: 'dach-sales' });
    const after = chooseOwner(
      inquiry(),
      policy,
      contextWith({ users: moved, rotation: fallback.rotation }),
    );
    expect(after.ownerId).toBe('u-gulf-3');
  });

  it("feeds on the lead decider's own LeadAssigned events", () => {
    const decision = chooseOwner(inquiry(), policy, contextWith());
    const received: LeadEvent = {
      type: 'InquiryReceived',
      data: {
        leadId: 'l-1',
        channel: 'website_form',
        payloadHash: 'a'.repeat(64),
        inquirer: { country: 'AE' },
        attachments: [],
        live: true,
        receivedAt: BOTH_ON_SHIFT,
      },
    };
    const events = leadDecider.decide(
      { type: 'AssignLead', data: assignLeadCommand('l-1', decision) },
      leadDecider.evolve(leadDecider.initialState, received),
      { now: BOTH_ON_SHIFT, actor: { userId: 'system', role: 'system' }, policies: {} as never },
    );
    expect(events).toEqual([assignedEvent('l-1', decision)]);
    const rotation = rotationFromAssignments(events);
    expect(chooseOwner(inquiry(), policy, contextWith({ rotation })).ownerId).toBe('u-gulf-2');
  });
});
