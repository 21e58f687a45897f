import { history, project, ProjectedModel, recorded } from '../support/projection-harness';
import { account360Projection, A360_TIMELINE } from '../../projections/account-360.projection';
import { account360, parseTimelineCursor } from '../../src/reports/accounts/account-360.query';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { Account360Controller } from '../../src/reports/accounts/account-360.controller';
import { RequestContext, runInRequestContext } from '../../src/http/request-context';
import { InputProblem } from '../../src/http/problem-details';
import { RecordAccess } from '../../src/identity/record-access';
import type { DirectoryFeed } from '../../src/identity/directory-feed';
import type { ReadModels } from '../../src/projection-runner/read-models';

/**
 * Account B is merged into A, works on while merged, and is unmerged again.
 *
 *   1 A registered                 01-01    12 B merged into A         02-01
 *   2 A + contact Anna (purch.)    01-01    13 A absorbs B (Bob, Carl)  02-01
 *   3 B registered                 01-02    14 DB activity (at 02-10)   02-11  ← logged while merged: stays with A
 *   4 B + contact Bob (eng.)       01-02    15 DB quote sent            02-12  ← logged while merged: stays with A
 *   5 B + contact Carl (finance)   01-02    16 A: Carl becomes owner    02-15
 *   6 lead L inquiry               01-03    17 B unmerged (Bob, Carl)   03-01
 *   7 lead L converted into B/DB   01-04    18 A releases B             03-01
 *   8 DB opened on B               01-04    19 DB won                   03-05
 *   9 DB activity (at 01-05)       01-05    20 DB payment               03-05 (same instant as won)
 *  10 DA opened on A               01-06
 *  11 DA proposal                  01-07
 *
 * Timeline entries: 13 in all (inquiry, 2×opened, 2×activity, stage, quote, merged_into,
 * absorbed, unmerged, released, won, payment); none is lost across the merge and the unmerge.
 */
const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const DA = '00000000-0000-7000-8000-0000000000da';
const DB = '00000000-0000-7000-8000-0000000000db';
const L = '00000000-0000-7000-8000-0000000000ee';
const REP1 = '00000000-0000-7000-8000-000000000001';
const REP2 = '00000000-0000-7000-8000-000000000002';
const person = (userId: string) => ({ actor: { userId, role: 'rep' } });

const anna = {
  contactId: 'c-anna',
  name: 'Anna Schmidt',
  email: 'anna@acme.de',
  role: 'purchasing',
};
const bob = {
  contactId: 'c-bob',
  name: 'Bob Lee',
  email: 'bob@acme-trading.com',
  role: 'engineering',
};
const carl = { contactId: 'c-carl', name: 'Carl Frei', phone: '+4930123456', role: 'finance' };
const carlAsOwner = { ...carl, role: 'owner' };
const cause = { kind: 'person', id: REP1 };
const policy = { id: 'stages.default', version: 1 };
const money = (minor: number) => ({ minor, currency: 'EUR' });

const registered = (id: string, name: string, ownerId: string, at: string, extra = {}) =>
  recorded(
    `account-${id}`,
    'AccountRegistered',
    {
      accountId: id,
      name,
      country: 'DE',
      website: 'acme.de',
      mainProducts: ['valves'],
      customerType: 'distributor',
      sourceChannel: 'website',
      ownerId,
      grade: 'B',
      lifecycle: 'potential',
      ...extra,
    },
    at,
    person(ownerId),
  );

const opened = (dealId: string, accountId: string, title: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealOpened',
    {
      dealId,
      accountId,
      title,
      ownerId: REP1,
      channel: 'website',
      country: 'DE',
      productLine: 'valves',
      repeat: false,
      currency: 'EUR',
      stage: 'initial_contact',
      policy,
    },
    at,
    person(REP1),
  );

const activity = (summary: string, at: string, loggedAt: string) =>
  recorded(
    `deal-${DB}`,
    'DealActivityLogged',
    { activityId: `act-${at}`, kind: 'call', direction: 'outbound', summary, at },
    loggedAt,
    person(REP1),
  );

const beforeUnmerge: RecordedEvent[] = [
  registered(A, 'Acme GmbH', REP1, '2026-01-01T10:00:00Z', {
    timeZone: 'Europe/Berlin',
    language: 'de',
    ports: ['Hamburg'],
    incoterms: ['FOB', 'CIF'],
    paymentTerms: ['T/T'],
    certifications: ['CE'],
  }),
  recorded(`account-${A}`, 'ContactAdded', { accountId: A, ...anna }, '2026-01-01T10:05:00Z'),
  registered(B, 'Acme Trading', REP2, '2026-01-02T10:00:00Z'),
  recorded(`account-${B}`, 'ContactAdded', { accountId: B, ...bob }, '2026-01-02T10:05:00Z'),
  recorded(`account-${B}`, 'ContactAdded', { accountId: B, ...carl }, '2026-01-02T10:06:00Z'),
  recorded(
    `lead-${L}`,
    'InquiryReceived',
    {
      leadId: L,
      channel: 'website',
      payloadHash: 'h',
      inquirer: {
        name: 'Bob Lee',
        company: 'Acme Trading',
        email: 'bob@acme-trading.com',
        message: 'Need 500 ball valves',
      },
      attachments: [],
      live: true,
      receivedAt: '2026-01-03T08:00:00Z',
    },
    '2026-01-03T08:00:00Z',
    { actor: { userId: 'intake:website', role: 'intake' } },
  ),
  recorded(
    `lead-${L}`,
    'LeadConverted',
    {
      leadId: L,
      ownerId: REP2,
      channel: 'website',
      accountId: B,
      contactId: 'c-bob',
      dealId: DB,
      deal: { title: 'Ball valves', productLine: 'valves', currency: 'EUR' },
    },
    '2026-01-04T09:00:00Z',
    person(REP2),
  ),
  opened(DB, B, 'Ball valves', '2026-01-04T09:00:00Z'),
  activity('Called Bob about pressure ratings', '2026-01-05T11:00:00Z', '2026-01-05T11:30:00Z'),
  opened(DA, A, 'Gate valves', '2026-01-06T09:00:00Z'),
  recorded(
    `deal-${DA}`,
    'DealStageChanged',
    { from: 'initial_contact', to: 'proposal', direction: 'forward', reentry: false, policy },
    '2026-01-07T09:00:00Z',
  ),
  recorded(
    `account-${B}`,
    'AccountMergedInto',
    {
      accountId: B,
      survivorId: A,
      mergeId: 'm1',
      mergedAt: '2026-02-01T12:00:00Z',
      movedContacts: [bob, carl],
      reason: 'same buyer',
      cause,
    },
    '2026-02-01T12:00:00Z',
  ),
  recorded(
    `account-${A}`,
    'AccountAbsorbed',
    { accountId: A, mergedId: B, mergeId: 'm1', contacts: [bob, carl] },
    '2026-02-01T12:00:00Z',
  ),
  activity('Sent samples to Bob', '2026-02-10T15:00:00Z', '2026-02-11T08:00:00Z'),
  recorded(
    `deal-${DB}`,
    'QuoteSent',
    { quoteId: 'q1', version: 1, total: money(1_250_000), validUntil: '2026-03-12' },
    '2026-02-12T09:00:00Z',
  ),
  recorded(
    `deal-${DB}`,
    'DealAmountChanged',
    { amount: money(1_250_000), cause: 'quote', quoteId: 'q1' },
    '2026-02-12T09:00:00Z',
  ),
  recorded(
    `account-${A}`,
    'ContactUpdated',
    { accountId: A, contactId: 'c-carl', changes: { role: 'owner' } },
    '2026-02-15T09:00:00Z',
  ),
];

const unmergeAndAfter: RecordedEvent[] = [
  recorded(
    `account-${B}`,
    'AccountUnmerged',
    {
      accountId: B,
      survivorId: A,
      mergeId: 'm1',
      mergedAt: '2026-02-01T12:00:00Z',
      unmergedAt: '2026-03-01T12:00:00Z',
      returnedContacts: [bob, carlAsOwner],
      reason: 'different companies after all',
      cause,
    },
    '2026-03-01T12:00:00Z',
  ),
  recorded(
    `account-${A}`,
    'MergedAccountReleased',
    { accountId: A, mergedId: B, mergeId: 'm1', contactIds: ['c-bob', 'c-carl'] },
    '2026-03-01T12:00:00Z',
  ),
  recorded(
    `deal-${DB}`,
    'DealWon',
    { orderReference: 'PO-7', stage: 'initial_contact', amount: money(1_250_000), policy },
    '2026-03-05T10:00:00Z',
  ),
  recorded(
    `deal-${DB}`,
    'DealPaymentRecorded',
    {
      paymentId: 'p1',
      amount: money(375_000),
      receivedOn: '2026-03-05',
      amountInDealCurrency: money(375_000),
      totalPaid: money(375_000),
      outstanding: money(875_000),
    },
    '2026-03-05T10:00:00Z',
  ),
];

const all = history([...beforeUnmerge, ...unmergeAndAfter]);
const mergedPart = all.slice(0, beforeUnmerge.length);

const types = (entries: Array<{ type: string; dealId: string | null }>) =>
  entries.map((entry) =>
    entry.type === 'inquiry'
      ? 'inquiry'
      : entry.dealId === DB
        ? `DB ${entry.type}`
        : entry.dealId === DA
          ? `DA ${entry.type}`
          : entry.type,
  );

describe('account 360 projection', () => {
  describe('while B is merged into A', () => {
    let model: ProjectedModel;
    beforeAll(async () => {
      model = await project(account360Projection, mergedPart);
    });
    afterAll(() => model.close());

    it('shows the survivor with both accounts’ contacts (with roles), deals and timelines', async () => {
      const view = (await account360(model.store, model.name, A))!;
      expect(view.contacts.map((contact) => [contact.name, contact.role])).toEqual([
        ['Anna Schmidt', 'purchasing'],
        ['Bob Lee', 'engineering'],
        ['Carl Frei', 'owner'],
      ]);
      expect(view.mergedAccounts).toEqual([
        { accountId: B, name: 'Acme Trading', mergedAt: '2026-02-01T12:00:00.000Z', mergedInto: A },
      ]);
      expect(view.deals.total).toBe(2);
      expect(
        view.deals.items.map((deal) => [deal.title, deal.stage, deal.status, deal.amount]),
      ).toEqual([
        ['Gate valves', 'proposal', 'open', null],
        ['Ball valves', 'initial_contact', 'open', money(1_250_000)],
      ]);
      // Newest first, A's and B's entries interleaved by time.
      expect(types(view.timeline.entries)).toEqual([
        'DB quote_sent', // 02-12, on A (logged while merged)
        'DB activity', // 02-10, on A (logged while merged)
        // Same instant: ties go by entry id, descending; account-…0b@… > account-…0a@….
        'merged_into', // 02-01 12:00, on B
        'absorbed', // 02-01 12:00, on A
        'DA stage_changed', // 01-07
        'DA deal_opened', // 01-06
        'DB activity', // 01-05, on B
        'DB deal_opened', // 01-04, on B
        'inquiry', // 01-03, on B
      ]);
      expect(view.timeline.next).toBeNull();
    });

    it('keeps the merged account’s own view, pointing at its survivor', async () => {
      const view = (await account360(model.store, model.name, B))!;
      expect(view.account.mergedInto).toEqual({
        survivorId: A,
        mergeId: 'm1',
        mergedAt: '2026-02-01T12:00:00.000Z',
      });
      expect(view.contacts).toEqual([]);
      expect(types(view.timeline.entries)).toEqual([
        'merged_into',
        'DB activity',
        'DB deal_opened',
        'inquiry',
      ]);
    });
  });

  describe('after the unmerge', () => {
    let model: ProjectedModel;
    beforeAll(async () => {
      model = await project(account360Projection, all);
    });
    afterAll(() => model.close());

    it('gives B back its contacts (as updated on A), its deal and its history up to the merge', async () => {
      const view = (await account360(model.store, model.name, B))!;
      expect(view.account.mergedInto).toBeNull();
      expect(view.contacts.map((contact) => [contact.name, contact.role])).toEqual([
        ['Bob Lee', 'engineering'],
        ['Carl Frei', 'owner'],
      ]);
      expect(
        view.deals.items.map((deal) => [deal.title, deal.status, deal.amount, deal.paid]),
      ).toEqual([['Ball valves', 'won', money(1_250_000), money(375_000)]]);
      expect(types(view.timeline.entries)).toEqual([
        'DB payment', // 03-05 10:00, id deal-DB@5
        'DB won', // 03-05 10:00, id deal-DB@4: same instant, after by id
        'unmerged',
        'merged_into',
        'DB activity',
        'DB deal_opened',
        'inquiry',
      ]);
      const inquiry = view.timeline.entries[6];
      expect(inquiry).toMatchObject({
        accountId: B,
        leadId: L,
        dealId: DB,
        at: '2026-01-03T08:00:00.000Z',
        actorId: 'intake:website',
        details: { channel: 'website', name: 'Bob Lee', message: 'Need 500 ball valves' },
      });
    });

    it('leaves with A what was logged while merged, and nothing of A’s is lost', async () => {
      const view = (await account360(model.store, model.name, A))!;
      expect(view.contacts.map((contact) => contact.name)).toEqual(['Anna Schmidt']);
      expect(view.mergedAccounts).toEqual([]);
      expect(view.deals.items.map((deal) => deal.title)).toEqual(['Gate valves']);
      expect(types(view.timeline.entries)).toEqual([
        'released',
        'DB quote_sent',
        'DB activity',
        'absorbed',
        'DA stage_changed',
        'DA deal_opened',
      ]);
      const kept = view.timeline.entries[2];
      expect(kept).toMatchObject({
        accountId: A,
        originAccountId: B,
        at: '2026-02-10T15:00:00.000Z',
      });
      expect(kept.details).toMatchObject({ summary: 'Sent samples to Bob', kind: 'call' });
      // 7 on B + 6 on A = all 13 entries.
      expect(
        await model.find(A360_TIMELINE, { where: { accountId: { in: [A, B] } } }),
      ).toHaveLength(13);
    });

    it('shows every account field: profile, trade fields, grade, lifecycle, owner', async () => {
      const { account } = (await account360(model.store, model.name, A))!;
      expect(account).toMatchObject({
        id: A,
        name: 'Acme GmbH',
        country: 'DE',
        website: 'acme.de',
        customerType: 'distributor',
        sourceChannel: 'website',
        timeZone: 'Europe/Berlin',
        language: 'de',
        ports: ['Hamburg'],
        incoterms: ['FOB', 'CIF'],
        paymentTerms: ['T/T'],
        certifications: ['CE'],
        grade: 'B',
        lifecycle: 'potential',
        ownerId: REP1,
        createdBy: REP1,
      });
    });

    it('pages the timeline newest first, across entries at the same instant', async () => {
      const page1 = (await account360(model.store, model.name, B, { timelineLimit: 1 }))!.timeline;
      expect(types(page1.entries)).toEqual(['DB payment']);
      // The next page starts at the same instant: the won entry must not be skipped.
      const page2 = (await account360(model.store, model.name, B, {
        timelineLimit: 2,
        timelineBefore: parseTimelineCursor(page1.next!),
      }))!.timeline;
      expect(types(page2.entries)).toEqual(['DB won', 'unmerged']);
      const page3 = (await account360(model.store, model.name, B, {
        timelineLimit: 10,
        timelineBefore: parseTimelineCursor(page2.next!),
      }))!.timeline;
      expect(types(page3.entries)).toEqual([
        'merged_into',
        'DB activity',
        'DB deal_opened',
        'inquiry',
      ]);
      expect(page3.next).toBeNull();
      // A bare time is exclusive.
      const beforeMarch = (await account360(model.store, model.name, B, {
        timelineBefore: parseTimelineCursor('2026-03-01T12:00:00Z'),
      }))!.timeline;
      expect(types(beforeMarch.entries)).toEqual([
        'merged_into',
        'DB activity',
        'DB deal_opened',
        'inquiry',
      ]);
    });

    it('answers undefined for an unknown account and refuses a malformed cursor', async () => {
      expect(
        await account360(model.store, model.name, '00000000-0000-7000-8000-0000000000ff'),
      ).toBeUndefined();
      expect(parseTimelineCursor('yesterday')).toBeUndefined();
      expect(parseTimelineCursor('2026-03-01T00:00:00Z|')).toBeUndefined();
    });
  });

  it('builds the same documents in any batch size', async () => {
    const one = await project(account360Projection, all, 1);
    const many = await project(account360Projection, all, 50);
    const dump = async (model: ProjectedModel) =>
      JSON.stringify(
        await model.find(A360_TIMELINE, {
          where: { accountId: { in: [A, B] } },
          sort: [['at', 'asc']],
        }),
      );
    expect(await dump(one)).toEqual(await dump(many));
    await one.close();
    await many.close();
  });
});

describe('account 360 route scope', () => {
  let model: ProjectedModel;
  let controller: Account360Controller;
  beforeAll(async () => {
    model = await project(account360Projection, all);
    const readModels = {
      store: model.store,
      collection: (_: string, logical: string) => model.name(logical),
    };
    const teams: Record<string, string> = { [REP1]: 't1', [REP2]: 't2' };
    const feed = {
      directory: {
        user: (userId: string) => (teams[userId] ? { teamId: teams[userId] } : undefined),
      },
    };
    controller = new Account360Controller(
      readModels as unknown as ReadModels,
      new RecordAccess(feed as unknown as DirectoryFeed),
    );
  });
  afterAll(() => model.close());

  const as = <T>(
    role: string,
    userId: string,
    teamId: string | null,
    work: () => Promise<T>,
  ): Promise<T> =>
    runInRequestContext(
      {
        correlationId: 'c',
        actor: { userId, role },
        principal: { kind: 'user', tokenId: 't', userId, role, teamId },
        mayBackdate: false,
      } as unknown as RequestContext,
      work,
    );

  it('shows an account to its owner, their team lead and managers only', async () => {
    expect((await as('rep', REP1, 't1', () => controller.view(A, {}))).account.id).toBe(A);
    await expect(as('rep', REP2, 't2', () => controller.view(A, {}))).rejects.toMatchObject({
      code: 'auth.record_forbidden',
    });
    const LEAD = '00000000-0000-7000-8000-0000000000f1';
    expect((await as('team_lead', LEAD, 't1', () => controller.view(A, {}))).account.id).toBe(A);
    await expect(as('team_lead', LEAD, 't1', () => controller.view(B, {}))).rejects.toMatchObject({
      code: 'auth.record_forbidden',
    });
    expect(
      (await as('manager', LEAD, null, () => controller.view(B, { timelineLimit: 2 }))).timeline
        .entries,
    ).toHaveLength(2);
  });

  it('answers 404 for an unknown account and 400 for a malformed cursor', async () => {
    await expect(
      as('manager', REP1, null, () => controller.view('00000000-0000-7000-8000-0000000000ff', {})),
    ).rejects.toMatchObject({ code: 'account.not_found' });
    await expect(
      as('manager', REP1, null, () => controller.view(A, { timelineBefore: 'last week' })),
    ).rejects.toBeInstanceOf(InputProblem);
  });
});
