import automationDefault from '../../config/policies/automation.default.json';
import { accountDecider } from '../../domain/account/account.decider';
import type { AccountCommand } from '../../domain/account/account.commands';
import type { AccountEvent } from '../../domain/account/account.events';
import type { AccountState } from '../../domain/account/account.state';
import { accountLifecycleSaga } from '../../sagas/account-lifecycle.saga';
import type { SagaCommand } from '../../sagas/saga';
import { replaySaga } from '../../sagas/saga-replay';
import { strictReads } from '../../sagas/shared/strict-reads';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { history, recorded } from '../support/projection-harness';

const saga = strictReads(accountLifecycleSaga);
const START = '2026-01-01T00:00:00.000Z';
const UNTIL = '2027-06-30T00:00:00.000Z';
const SAGA_CAUSE = { kind: 'saga', id: 'account-lifecycle' };
const RULE_CAUSE = { kind: 'rule', id: 'automation.default', version: 1 };

const policy = (body: { id: string; version: number }, at = START) =>
  recorded(
    `policy-${body.id}`,
    'PolicyVersionPublished',
    { id: body.id, version: body.version, body, publishedAt: at },
    at,
  );

const PROFILE = {
  name: 'Acme Trading',
  country: 'AE',
  website: 'acme.example',
  mainProducts: ['valves'],
  customerType: 'trader',
  sourceChannel: 'website',
};
const registered = (lifecycle = 'potential', at = '2026-01-05T08:00:00.000Z') =>
  recorded(
    'account-acme',
    'AccountRegistered',
    { accountId: 'acme', ownerId: 'ana', grade: 'B', lifecycle, ...PROFILE },
    at,
  );
const dealOpened = (dealId: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealOpened',
    { dealId, accountId: 'acme', ownerId: 'ana', country: 'AE', stage: 'initial_contact' },
    at,
  );
const won = (dealId: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealWon',
    {
      orderReference: `PO-${dealId}`,
      stage: 'negotiation',
      amount: { amountMinor: 100, currency: 'USD' },
    },
    at,
  );
const lost = (dealId: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealLost',
    { reasonCode: 'price.too_high', reason: 'price', subReason: 'too_high', stage: 'proposal' },
    at,
  );
const reopened = (dealId: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealReopened',
    { stage: 'proposal', previousOutcome: 'lost', reason: 'buyer came back' },
    at,
  );
const activity = (dealId: string, at: string, metadata: Record<string, unknown> = {}) =>
  recorded(
    `deal-${dealId}`,
    'DealActivityLogged',
    { activityId: `a-${at}`, kind: 'email', direction: 'inbound', summary: 'hello', at },
    at,
    metadata,
  );
const changedBy = (from: string, to: string, at: string, cause: Record<string, unknown>) =>
  recorded(
    'account-acme',
    'AccountLifecycleChanged',
    { accountId: 'acme', from, to, reason: 'by hand', cause },
    at,
  );

const story = (...events: RecordedEvent[]) =>
  history([policy(automationDefault), registered(), ...events]);
const moves = (commands: SagaCommand[]) =>
  commands.filter((c) => c.type === 'ChangeLifecycle').map((c) => `${c.occurredAt} ${c.data.to}`);
const logged = (commands: SagaCommand[]) =>
  commands
    .filter((c) => c.type === 'RecordAutomationDecision')
    .map((c) => `${c.data.decision} ${c.data.step}`);

/** Every ChangeLifecycle is accepted by the account decider, in order, on top of the account's own history. */
function acceptedInOrder(events: RecordedEvent[], commands: SagaCommand[]): void {
  let state: AccountState = accountDecider.initialState;
  const own = events
    .filter((e) => e.streamName === 'account-acme')
    .map((e) => ({ type: e.type, data: e.data }) as unknown as AccountEvent);
  for (const event of own) state = accountDecider.evolve(state, event);
  for (const command of commands.filter((c) => c.type === 'ChangeLifecycle')) {
    const context = {
      now: command.occurredAt,
      actor: { userId: 'system', role: 'system' },
      policies: undefined,
    };
    for (const event of accountDecider.decide(
      { type: 'ChangeLifecycle', data: command.data } as unknown as AccountCommand,
      state,
      context,
    ))
      state = accountDecider.evolve(state, event);
  }
}

describe('account lifecycle saga', () => {
  it('moves to active on the first deal, to won on the first win, to repeat on a second win, with the cause', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      won('d1', '2026-02-01T08:00:00.000Z'),
      dealOpened('d2', '2026-03-01T08:00:00.000Z'),
      won('d2', '2026-04-01T08:00:00.000Z'),
      dealOpened('d3', '2026-05-01T08:00:00.000Z'),
      won('d3', '2026-05-02T08:00:00.000Z'),
    );
    const { commands } = replaySaga(saga, events, '2026-06-01T00:00:00.000Z');
    expect(moves(commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-02-01T08:00:00.000Z won',
      '2026-04-01T08:00:00.000Z repeat',
    ]);
    expect(commands[0]).toEqual({
      aggregate: 'account',
      id: 'acme',
      commandId: 'account-lifecycle:acme:lifecycle.active:d1:r0',
      type: 'ChangeLifecycle',
      data: { accountId: 'acme', to: 'active', reason: 'First deal opened', cause: SAGA_CAUSE },
      occurredAt: '2026-01-10T08:00:00.000Z',
      reason: 'First deal opened',
    });
    expect(commands[1]).toEqual({
      aggregate: 'automation',
      id: 'acme',
      commandId: 'account-lifecycle:acme:lifecycle.active:fired:d1:r0',
      type: 'RecordAutomationDecision',
      data: {
        saga: 'account-lifecycle',
        recordKind: 'account',
        recordId: 'acme',
        decision: 'fired',
        step: 'lifecycle.active',
        detail: { dealId: 'd1', first: true, from: 'potential', to: 'active' },
      },
      occurredAt: '2026-01-10T08:00:00.000Z',
    });
    expect(commands.find((c) => c.data.to === 'repeat')?.data).toEqual({
      accountId: 'acme',
      to: 'repeat',
      reason: 'Another deal won',
      cause: SAGA_CAUSE,
    });
    acceptedInOrder(events, commands);
  });

  it('goes dormant after the policy’s days without activity on the account or any of its deals', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      activity('d1', '2026-05-01T08:00:00.000Z'),
    );
    const { commands, pending } = replaySaga(saga, events, UNTIL);
    // 180 days after the last activity (1 May), not after the deal was opened.
    expect(moves(commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-10-28T08:00:00.000Z dormant',
    ]);
    const dormant = commands.find((c) => c.data.to === 'dormant') as SagaCommand;
    expect(dormant).toMatchObject({
      data: { to: 'dormant', reason: 'No activity for 180 days', cause: RULE_CAUSE },
      policy: { id: 'automation.default', version: 1 },
    });
    expect(pending).toEqual([]);
    acceptedInOrder(events, commands);
  });

  it('does not count a saga’s doings as activity', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      activity('d1', '2026-05-01T08:00:00.000Z', { cause: { kind: 'saga', id: 'mail-sync' } }),
    );
    expect(moves(replaySaga(saga, events, UNTIL).commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-07-09T08:00:00.000Z dormant',
    ]);
  });

  it('wakes a dormant account up with a new deal', () => {
    const events = story(dealOpened('d2', '2026-08-01T08:00:00.000Z'));
    const { commands } = replaySaga(saga, events, '2026-08-02T00:00:00.000Z');
    // Registered 5 January as a prospect and never worked: dormant on 4 July.
    expect(moves(commands)).toEqual([
      '2026-07-04T08:00:00.000Z dormant',
      '2026-08-01T08:00:00.000Z active',
    ]);
    expect(commands.find((c) => c.data.to === 'active')?.data.reason).toBe(
      'New deal opened on a dormant account',
    );
    acceptedInOrder(events, commands);
  });

  it('goes lost when every deal is lost and the policy’s days have passed since the last loss', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      dealOpened('d2', '2026-01-11T08:00:00.000Z'),
      lost('d1', '2026-02-01T08:00:00.000Z'),
      lost('d2', '2026-03-01T08:00:00.000Z'),
    );
    const { commands, pending } = replaySaga(saga, events, UNTIL);
    expect(moves(commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-05-30T08:00:00.000Z lost',
    ]);
    expect(commands.find((c) => c.data.to === 'lost')?.data).toEqual({
      accountId: 'acme',
      to: 'lost',
      reason: 'Every deal lost; none reopened or opened within 90 days',
      cause: RULE_CAUSE,
    });
    expect(logged(commands)).toEqual([
      'fired lifecycle.active',
      'scheduled lifecycle.lost',
      'fired lifecycle.lost',
    ]);
    expect(pending).toEqual([]);
    acceptedInOrder(events, commands);
  });

  it('calls the lost check off when a deal is reopened, and reactivates a lost customer', () => {
    const beforeDeadline = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      lost('d1', '2026-02-01T08:00:00.000Z'),
      reopened('d1', '2026-03-01T08:00:00.000Z'),
    );
    const early = replaySaga(saga, beforeDeadline, '2026-06-30T00:00:00.000Z');
    expect(logged(early.commands)).toEqual([
      'fired lifecycle.active',
      'scheduled lifecycle.lost',
      'cancelled lifecycle.lost',
    ]);

    const afterDeadline = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      lost('d1', '2026-02-01T08:00:00.000Z'),
      reopened('d1', '2026-06-01T08:00:00.000Z'),
      won('d1', '2026-06-15T08:00:00.000Z'),
    );
    const late = replaySaga(saga, afterDeadline, '2026-06-30T00:00:00.000Z');
    expect(moves(late.commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-05-02T08:00:00.000Z lost',
      '2026-06-01T08:00:00.000Z active',
      '2026-06-15T08:00:00.000Z won',
    ]);
    acceptedInOrder(afterDeadline, late.commands);
  });

  it('passes through active when a customer someone marked lost places an order', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      changedBy('active', 'lost', '2026-02-01T08:00:00.000Z', { kind: 'person', id: 'boss' }),
      won('d1', '2026-02-10T08:00:00.000Z'),
    );
    const { commands } = replaySaga(saga, events, '2026-03-01T00:00:00.000Z');
    expect(moves(commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-02-10T08:00:00.000Z active',
      '2026-02-10T08:00:00.000Z won',
    ]);
    expect(
      commands.find((c) => c.data.to === 'active' && c.occurredAt.startsWith('2026-02'))?.data
        .reason,
    ).toBe('A lost customer placed an order');
  });

  it('takes its own moves back from the log without applying them twice', () => {
    // The live saga's own events come back late, after it had already moved on to repeat.
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      dealOpened('d2', '2026-01-11T08:00:00.000Z'),
      won('d1', '2026-02-01T08:00:00.000Z'),
      won('d2', '2026-02-02T08:00:00.000Z'),
      changedBy('potential', 'active', '2026-02-03T08:00:00.000Z', SAGA_CAUSE),
      changedBy('active', 'won', '2026-02-03T08:00:01.000Z', SAGA_CAUSE),
      dealOpened('d3', '2026-02-10T08:00:00.000Z'),
      won('d3', '2026-02-11T08:00:00.000Z'),
    );
    expect(moves(replaySaga(saga, events, '2026-03-01T00:00:00.000Z').commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-02-01T08:00:00.000Z won',
      '2026-02-02T08:00:00.000Z repeat',
    ]);
  });

  it('suppresses moves while the account is merged into another, and says why', () => {
    const merged = recorded(
      'account-acme',
      'AccountMergedInto',
      { accountId: 'acme', survivorId: 'big', mergeId: 'm1' },
      '2026-01-20T08:00:00.000Z',
    );
    const { commands, pending } = replaySaga(
      saga,
      story(
        dealOpened('d1', '2026-01-10T08:00:00.000Z'),
        merged,
        won('d1', '2026-02-01T08:00:00.000Z'),
      ),
      UNTIL,
    );
    expect(moves(commands)).toEqual(['2026-01-10T08:00:00.000Z active']);
    expect(commands.filter((c) => c.data.decision === 'suppressed').map((c) => c.data)).toEqual([
      expect.objectContaining({
        step: 'lifecycle.won',
        detail: { dealId: 'd1', from: 'active', to: 'won', verdict: 'merged' },
      }),
    ]);
    expect(pending).toEqual([]);
  });

  it('replays to identical commands', () => {
    const build = () =>
      story(
        dealOpened('d1', '2026-01-10T08:00:00.000Z'),
        won('d1', '2026-02-01T08:00:00.000Z'),
        dealOpened('d2', '2026-03-01T08:00:00.000Z'),
        lost('d2', '2026-03-05T08:00:00.000Z'),
        activity('d2', '2026-04-01T08:00:00.000Z'),
      );
    const first = replaySaga(saga, build(), UNTIL);
    expect(replaySaga(saga, build(), UNTIL).commands).toEqual(first.commands);
    expect(moves(first.commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-02-01T08:00:00.000Z won',
      '2026-09-28T08:00:00.000Z dormant',
    ]);
    expect(new Set(first.commands.map((c) => c.commandId)).size).toBe(first.commands.length);
  });
});

/** The event as it arrived: recorded at `recordedAt`, e.g. long after it happened. */
const arrived = (
  event: RecordedEvent,
  recordedAt: string,
  metadata: Record<string, unknown> = {},
): RecordedEvent => ({ ...event, recordedAt, metadata: { ...event.metadata, ...metadata } });
const IMPORTED_AT = '2026-03-02T10:00:00.000Z';
const IMPORT = { cause: { kind: 'import', id: 'crm-export' } };
const imported = (event: RecordedEvent) => arrived(event, IMPORTED_AT, IMPORT);

describe('account lifecycle saga: live events only', () => {
  const importedBook = () => [
    policy(automationDefault),
    imported(registered('potential', '2025-11-03T08:00:00.000Z')),
    imported(dealOpened('d1', '2025-11-10T08:00:00.000Z')),
    imported(won('d1', '2026-01-20T08:00:00.000Z')),
    imported(dealOpened('d2', '2026-02-01T08:00:00.000Z')),
    imported(lost('d2', '2026-02-15T08:00:00.000Z')),
  ];

  it('moves nothing and starts no timer for an imported history; the log says once why the account is not watched', () => {
    const { commands, pending } = replaySaga(saga, history(importedBook()), UNTIL);
    expect(moves(commands)).toEqual([]);
    expect(pending).toEqual([]);
    expect(commands.map((c) => c.data)).toEqual([
      {
        saga: 'account-lifecycle',
        recordKind: 'account',
        recordId: 'acme',
        decision: 'suppressed',
        step: 'lifecycle.dormant',
        dueAt: '2026-05-02T08:00:00.000Z',
        detail: {
          lastActivityAt: '2025-11-03T08:00:00.000Z',
          dormantAfterDays: 180,
          reason: 'import',
          recordedAt: IMPORTED_AT,
        },
        policy: { id: 'automation.default', version: 1 },
      },
    ]);
  });

  it('watches the account from its first live event, from the latest activity the history knows', () => {
    const events = history([...importedBook(), activity('d1', '2026-03-05T08:00:00.000Z')]);
    const { commands } = replaySaga(saga, events, UNTIL);
    // No move for the imported win; dormant 180 days after the live activity.
    expect(moves(commands)).toEqual(['2026-09-01T08:00:00.000Z dormant']);
  });

  it('a live deal on an imported potential account moves it to active; the imported loss started no lost check', () => {
    const events = history([...importedBook(), dealOpened('d3', '2026-03-05T08:00:00.000Z')]);
    const { commands } = replaySaga(saga, events, '2026-08-01T00:00:00.000Z');
    expect(moves(commands)).toEqual(['2026-03-05T08:00:00.000Z active']);
    expect(commands.find((c) => c.type === 'ChangeLifecycle')?.data.reason).toBe(
      'First deal opened',
    );
    expect(logged(commands)).not.toContain('scheduled lifecycle.lost');
  });

  it('a back-dated loss moves a running lost check but starts none; a back-dated reopen calls it off', () => {
    const events = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      dealOpened('d2', '2026-01-11T08:00:00.000Z'),
      lost('d1', '2026-02-01T08:00:00.000Z'),
      arrived(lost('d2', '2026-02-20T08:00:00.000Z'), '2026-02-25T08:00:00.000Z'),
    );
    const noCheck = replaySaga(saga, events, UNTIL);
    expect(moves(noCheck.commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-08-19T08:00:00.000Z dormant',
    ]);
    expect(
      noCheck.commands
        .filter((c) => c.data.decision === 'suppressed')
        .map((c) => [c.data.step, (c.data.detail as { reason: string }).reason]),
    ).toEqual([['lifecycle.lost', 'back_dated']]);

    const running = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      lost('d1', '2026-02-01T08:00:00.000Z'),
      arrived(dealOpened('d2', '2026-02-02T08:00:00.000Z'), '2026-02-10T08:00:00.000Z'),
      lost('d2', '2026-02-20T08:00:00.000Z'),
      arrived(reopened('d2', '2026-03-01T08:00:00.000Z'), '2026-03-03T08:00:00.000Z'),
    );
    expect(logged(replaySaga(saga, running, UNTIL).commands)).toEqual([
      'fired lifecycle.active',
      'scheduled lifecycle.lost',
      'cancelled lifecycle.lost',
      'scheduled lifecycle.lost',
      'cancelled lifecycle.lost',
      'fired lifecycle.dormant',
    ]);
  });
});

describe('account lifecycle saga: thresholds on a fake clock', () => {
  it('activity a second before the dormancy threshold keeps the account; a second after, it goes dormant and a new deal wakes it', () => {
    const base = '2026-01-10T08:00:00.000Z';
    const threshold = '2026-07-09T08:00:00.000Z'; // 180 days after the deal was opened
    const before = story(dealOpened('d1', base), activity('d1', '2026-07-09T07:59:59.000Z'));
    expect(moves(replaySaga(saga, before, '2026-07-31T00:00:00.000Z').commands)).toEqual([
      `${base} active`,
    ]);
    const after = story(dealOpened('d1', base), dealOpened('d2', '2026-07-09T08:00:01.000Z'));
    expect(moves(replaySaga(saga, after, '2026-07-31T00:00:00.000Z').commands)).toEqual([
      `${base} active`,
      `${threshold} dormant`,
      '2026-07-09T08:00:01.000Z active',
    ]);
  });

  it('the lost threshold counts from the last loss: a deal opened a second before the 90 days keeps the account', () => {
    const lastLoss = '2026-03-01T08:00:00.000Z';
    const before = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      lost('d1', lastLoss),
      dealOpened('d2', '2026-05-30T07:59:59.000Z'),
    );
    expect(moves(replaySaga(saga, before, '2026-06-30T00:00:00.000Z').commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
    ]);
    const after = story(
      dealOpened('d1', '2026-01-10T08:00:00.000Z'),
      lost('d1', lastLoss),
      dealOpened('d2', '2026-05-30T08:00:01.000Z'),
    );
    expect(moves(replaySaga(saga, after, '2026-06-30T00:00:00.000Z').commands)).toEqual([
      '2026-01-10T08:00:00.000Z active',
      '2026-05-30T08:00:00.000Z lost',
      '2026-05-30T08:00:01.000Z active',
    ]);
  });
});
