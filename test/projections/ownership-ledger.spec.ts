import {
  OWNERSHIP_ENTRIES,
  ownershipLedgerProjection,
} from '../../projections/ownership-ledger.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import {
  bookAt,
  ownershipLedger,
  recordLedger,
} from '../../src/audit/ownership/ownership-ledger.query';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// u1 registers account A and opens deal D on it; lead L is assigned by a rule to u2, who hands it
// to u1; L converts, D is won; then u1 leaves: A and D go to u3 under one correlation id.

const rep = (userId: string) => ({ actor: { userId, role: 'rep' } });
const DEACTIVATION = {
  $correlationId: 'corr-leave-u1',
  actor: { userId: 'mgr', role: 'manager' },
  cause: { kind: 'system', id: 'user-deactivation' },
  reason: 'left the company',
};
const leaveCause = { kind: 'system', id: 'user-deactivation' };

const EVENTS: RecordedEvent[] = history([
  recorded(
    'account-A',
    'AccountRegistered',
    { accountId: 'A', ownerId: 'u1', grade: 'B', lifecycle: 'potential' },
    '2026-03-01T09:00:00.000Z',
    rep('u1'),
  ),
  recorded('lead-L', 'InquiryReceived', { leadId: 'L', live: true }, '2026-03-02T08:00:00.000Z'),
  recorded(
    'lead-L',
    'LeadAssigned',
    {
      leadId: 'L',
      to: 'u2',
      reason: 'country DE',
      cause: { kind: 'rule', id: 'assignment.default', version: 3 },
    },
    '2026-03-02T08:00:00.000Z',
    { actor: { userId: 'system', role: 'system' } },
  ),
  recorded(
    'lead-L',
    'LeadOwnershipTransferred',
    {
      leadId: 'L',
      from: 'u2',
      to: 'u1',
      reason: 'territory',
      cause: { kind: 'person', id: 'mgr' },
    },
    '2026-03-03T10:00:00+01:00',
    { actor: { userId: 'mgr', role: 'manager' } },
  ),
  recorded(
    'deal-D',
    'DealOpened',
    { dealId: 'D', accountId: 'A', ownerId: 'u1', stage: 'initial_contact' },
    '2026-03-04T09:00:00.000Z',
    { ...rep('u1'), reason: 'new project' },
  ),
  recorded(
    'lead-L',
    'LeadConverted',
    { leadId: 'L', ownerId: 'u1', dealId: 'D' },
    '2026-03-05T09:00:00.000Z',
  ),
  recorded(
    'deal-D',
    'DealWon',
    { amount: { minor: 1, currency: 'USD' } },
    '2026-03-06T09:00:00.000Z',
  ),
  recorded(
    'account-A',
    'AccountOwnershipTransferred',
    { accountId: 'A', from: 'u1', to: 'u3', reason: 'left the company', cause: leaveCause },
    '2026-03-10T12:00:00.000Z',
    DEACTIVATION,
  ),
  recorded(
    'deal-D',
    'DealOwnerTransferred',
    { from: 'u1', to: 'u3', reason: 'left the company', cause: leaveCause },
    '2026-03-10T12:00:00.000Z',
    DEACTIVATION,
  ),
  recorded('deal-D', 'DealReopened', { stage: 'negotiation' }, '2026-03-11T09:00:00.000Z'),
]);

const pick = (row: Record<string, unknown>) => ({
  recordId: row.recordId,
  kind: row.kind,
  from: row.from,
  to: row.to,
  occurredAt: row.occurredAt,
  cause: row.cause,
  causeId: row.causeId,
  causeVersion: row.causeVersion,
  reason: row.reason,
  actorId: row.actorId,
});

describe('ownership ledger projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(ownershipLedgerProjection, EVENTS, 2);
  });
  afterAll(() => model.close());
  const names = (logical: string) => model.name(logical);

  it('records one entry per assignment and handover, with its cause and reason', async () => {
    const leaverHandover = {
      kind: 'handover',
      from: 'u1',
      to: 'u3',
      occurredAt: '2026-03-10T12:00:00.000Z',
      cause: 'deactivation',
      causeId: 'user-deactivation',
      causeVersion: null,
      reason: 'left the company',
      actorId: 'mgr',
    };
    const { rows, truncated } = await ownershipLedger(model.store, names, { limit: 100 });
    expect(truncated).toBe(false);
    expect(rows.map(pick)).toEqual([
      {
        recordId: 'A',
        kind: 'assignment',
        from: null,
        to: 'u1',
        occurredAt: '2026-03-01T09:00:00.000Z',
        cause: 'person',
        causeId: 'u1',
        causeVersion: null,
        reason: null,
        actorId: 'u1',
      },
      {
        recordId: 'L',
        kind: 'assignment',
        from: null,
        to: 'u2',
        occurredAt: '2026-03-02T08:00:00.000Z',
        cause: 'rule',
        causeId: 'assignment.default',
        causeVersion: 3,
        reason: 'country DE',
        actorId: 'system',
      },
      {
        recordId: 'L',
        kind: 'handover',
        from: 'u2',
        to: 'u1',
        // Stored in UTC, whatever offset the event was written with.
        occurredAt: '2026-03-03T09:00:00.000Z',
        cause: 'person',
        causeId: 'mgr',
        causeVersion: null,
        reason: 'territory',
        actorId: 'mgr',
      },
      {
        recordId: 'D',
        kind: 'assignment',
        from: null,
        to: 'u1',
        occurredAt: '2026-03-04T09:00:00.000Z',
        cause: 'person',
        causeId: 'u1',
        causeVersion: null,
        reason: 'new project',
        actorId: 'u1',
      },
      { recordId: 'A', ...leaverHandover },
      { recordId: 'D', ...leaverHandover },
    ]);
    expect(
      rows.filter((row) => row.cause === 'deactivation').map((row) => row.correlationId),
    ).toEqual(['corr-leave-u1', 'corr-leave-u1']);
    expect(await model.find(OWNERSHIP_ENTRIES)).toHaveLength(6);
  });

  it('finds an owner’s entries in both directions, within a half-open period', async () => {
    const u2 = await ownershipLedger(model.store, names, { owners: ['u2'], limit: 100 });
    expect(u2.rows.map((row) => [row.recordId, row.from, row.to])).toEqual([
      ['L', null, 'u2'],
      ['L', 'u2', 'u1'],
    ]);
    const march3 = await ownershipLedger(model.store, names, {
      owners: ['u1'],
      from: '2026-03-03T09:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      limit: 100,
    });
    // Inclusive at from, exclusive at to: the handover at exactly `to` is left out.
    expect(march3.rows.map((row) => [row.recordId, row.kind])).toEqual([
      ['L', 'handover'],
      ['D', 'assignment'],
    ]);
    const first = await ownershipLedger(model.store, names, { owners: ['u1'], limit: 2 });
    expect(first.truncated).toBe(true);
    expect(first.rows.map((row) => row.recordId)).toEqual(['A', 'L']);
  });

  it('gives one record’s entries in stream order', async () => {
    const rows = await recordLedger(model.store, names, 'deal-D');
    expect(rows.map((row) => [row.from, row.to, row.eventType])).toEqual([
      [null, 'u1', 'DealOpened'],
      ['u1', 'u3', 'DealOwnerTransferred'],
    ]);
  });

  it('answers who owned what at an instant, with the record’s status then', async () => {
    const book = async (owner: string, at: string) =>
      (await bookAt(model.store, names, [owner], at, { limit: 100 })).rows.map((row) => [
        row.aggregate,
        row.recordId,
        row.status,
        row.ownedSince,
        row.ownedUntil,
        row.receivedFrom,
      ]);
    expect(await book('u1', '2026-03-04T12:00:00.000Z')).toEqual([
      ['account', 'A', 'open', '2026-03-01T09:00:00.000Z', '2026-03-10T12:00:00.000Z', null],
      ['deal', 'D', 'open', '2026-03-04T09:00:00.000Z', '2026-03-10T12:00:00.000Z', null],
      ['lead', 'L', 'open', '2026-03-03T09:00:00.000Z', null, 'u2'],
    ]);
    expect(await book('u1', '2026-03-07T00:00:00.000Z')).toEqual([
      ['account', 'A', 'open', '2026-03-01T09:00:00.000Z', '2026-03-10T12:00:00.000Z', null],
      ['deal', 'D', 'won', '2026-03-04T09:00:00.000Z', '2026-03-10T12:00:00.000Z', null],
      ['lead', 'L', 'converted', '2026-03-03T09:00:00.000Z', null, 'u2'],
    ]);
    // At the handover instant the record is already the successor's.
    expect(await book('u1', '2026-03-10T12:00:00.000Z')).toEqual([
      ['lead', 'L', 'converted', '2026-03-03T09:00:00.000Z', null, 'u2'],
    ]);
    expect(await book('u3', '2026-03-10T12:00:00.000Z')).toEqual([
      ['account', 'A', 'open', '2026-03-10T12:00:00.000Z', null, 'u1'],
      ['deal', 'D', 'won', '2026-03-10T12:00:00.000Z', null, 'u1'],
    ]);
    expect(await book('u3', '2026-03-12T00:00:00.000Z')).toEqual([
      ['account', 'A', 'open', '2026-03-10T12:00:00.000Z', null, 'u1'],
      ['deal', 'D', 'open', '2026-03-10T12:00:00.000Z', null, 'u1'],
    ]);
    expect(await book('u2', '2026-03-02T08:00:00.000Z')).toEqual([
      ['lead', 'L', 'open', '2026-03-02T08:00:00.000Z', '2026-03-03T09:00:00.000Z', null],
    ]);
    expect(await book('u2', '2026-03-01T00:00:00.000Z')).toEqual([]);
  });

  it('pages through large books in order, across owners, ties and spans that ended', async () => {
    // p1 and p2 each get 150 accounts at one instant (a bulk import), then 60 leads one a minute;
    // every third lead of p1 goes to p3 before the instant asked about.
    const at = '2026-06-01T00:00:00.000Z';
    const events: RecordedEvent[] = [];
    for (const owner of ['p2', 'p1']) {
      for (let i = 0; i < 150; i++) {
        const accountId = `${owner}-A${String(i).padStart(3, '0')}`;
        events.push(
          recorded(
            `account-${accountId}`,
            'AccountRegistered',
            { accountId, ownerId: owner },
            '2026-05-01T00:00:00.000Z',
          ),
        );
      }
      for (let i = 0; i < 60; i++) {
        const leadId = `${owner}-L${String(i).padStart(2, '0')}`;
        const minute = new Date(Date.parse('2026-05-02T00:00:00.000Z') + i * 60_000);
        events.push(
          recorded(`lead-${leadId}`, 'LeadAssigned', { leadId, to: owner }, minute.toISOString()),
        );
        if (owner === 'p1' && i % 3 === 0) {
          events.push(
            recorded(
              `lead-${leadId}`,
              'LeadOwnershipTransferred',
              { leadId, from: owner, to: 'p3' },
              '2026-05-20T00:00:00.000Z',
            ),
          );
        }
      }
    }
    const large = await project(ownershipLedgerProjection, history(events));
    try {
      const all = await bookAt(large.store, names, ['p2', 'p1'], at, { limit: 10_000 });
      expect(all.next).toBeNull();
      expect(all.rows).toHaveLength(150 + 40 + 150 + 60);
      const expected = all.rows.map((row) => `${row.owner} ${row.aggregate} ${row.recordId}`);
      expect(expected).toEqual([...expected].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const limit of [1, 7, 40, 150, 399]) {
        const paged: string[] = [];
        let after: string | undefined;
        do {
          const page = await bookAt(large.store, names, ['p1', 'p2'], at, { limit, after });
          expect(page.rows.length).toBeLessThanOrEqual(limit);
          paged.push(...page.rows.map((row) => `${row.owner} ${row.aggregate} ${row.recordId}`));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(paged).toEqual(expected);
      }
    } finally {
      await large.close();
    }
  });

  it('refuses a cursor it did not give, naming after', async () => {
    for (const after of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url')]) {
      await expect(
        bookAt(model.store, names, ['u1'], '2026-03-04T12:00:00.000Z', { limit: 10, after }),
      ).rejects.toMatchObject({
        errors: [expect.objectContaining({ field: 'after', code: 'validation.cursor' })],
      });
    }
  });

  it('builds the same ledger whatever the batch size', async () => {
    const other = await project(ownershipLedgerProjection, EVENTS, 7);
    try {
      const strip = (docs: Array<Record<string, unknown>>) =>
        docs.sort((a, b) => String(a.id).localeCompare(String(b.id)));
      expect(strip(await other.find(OWNERSHIP_ENTRIES))).toEqual(
        strip(await model.find(OWNERSHIP_ENTRIES)),
      );
    } finally {
      await other.close();
    }
  });
});
