import { randomBytes } from 'node:crypto';
import {
  dataQualityProjection,
  QUALITY_COUNTERS,
  QUALITY_RECORDS,
} from '../../projections/data-quality.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { PersonalDataCipher, sealedSubjects } from '../../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../../src/personal-data/sqlite-subject-key-store';
import { readModelChecksum } from '../../src/projection-runner/read-model-checksum';
import { dataQuality } from '../../src/reports/people/data-quality.report';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// a1 complete, with three contacts in the end (c3 moved in by merging a3 into it), handed from u1
// to u2; a2 a legacy import without website, products or contacts; leads l1 (no country, old),
// l2 (nobody's, an invalid phone), l3 (converted: closed); deals d1 (gaps, one filled), d2 (won:
// closed), d3 (complete, untouched since January).

const person = { kind: 'person', id: 'mgr' };
const PROFILE = {
  name: 'Acme GmbH',
  country: 'DE',
  website: 'acme.de',
  mainProducts: ['valves'],
  customerType: 'manufacturer',
  sourceChannel: 'alibaba',
};

function account(id: string) {
  const stream = `account-${id}`;
  return {
    registered: (owner: string, at: string, profile: Record<string, unknown> = PROFILE) =>
      recorded(
        stream,
        'AccountRegistered',
        { accountId: id, ...profile, ownerId: owner, grade: 'B', lifecycle: 'potential' },
        at,
      ),
    contact: (contactId: string, details: Record<string, unknown>, at: string) =>
      recorded(
        stream,
        'ContactAdded',
        { accountId: id, contactId, role: 'purchasing', ...details },
        at,
      ),
    contactUpdated: (contactId: string, changes: Record<string, unknown>, at: string) =>
      recorded(stream, 'ContactUpdated', { accountId: id, contactId, changes }, at),
    transferred: (from: string, to: string, at: string) =>
      recorded(
        stream,
        'AccountOwnershipTransferred',
        { accountId: id, from, to, reason: 'leave', cause: person },
        at,
      ),
    mergedInto: (survivorId: string, moved: Array<Record<string, unknown>>, at: string) =>
      recorded(
        stream,
        'AccountMergedInto',
        {
          accountId: id,
          survivorId,
          mergeId: 'm1',
          mergedAt: at,
          movedContacts: moved,
          reason: 'same company',
          cause: person,
        },
        at,
      ),
    absorbed: (mergedId: string, contacts: Array<Record<string, unknown>>, at: string) =>
      recorded(stream, 'AccountAbsorbed', { accountId: id, mergedId, mergeId: 'm1', contacts }, at),
  };
}

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received: (inquirer: Record<string, unknown>, at: string) =>
      recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel: 'email',
          payloadHash: 'a'.repeat(64),
          inquirer,
          attachments: [],
          live: true,
          receivedAt: at,
        },
        at,
      ),
    assigned: (to: string, at: string) =>
      recorded(stream, 'LeadAssigned', { leadId: id, to, reason: 'rule', cause: person }, at),
    converted: (at: string) =>
      recorded(
        stream,
        'LeadConverted',
        {
          leadId: id,
          ownerId: 'u1',
          channel: 'email',
          accountId: 'x',
          contactId: 'y',
          dealId: 'z',
          deal: {},
        },
        at,
      ),
  };
}

function deal(id: string) {
  const stream = `deal-${id}`;
  return {
    opened: (owner: string, fields: Record<string, unknown>, at: string) =>
      recorded(
        stream,
        'DealOpened',
        {
          dealId: id,
          accountId: 'a1',
          title: id,
          ownerId: owner,
          channel: 'alibaba',
          country: 'DE',
          productLine: 'valves',
          repeat: false,
          currency: 'USD',
          stage: 'initial_contact',
          policy: { id: 'stages.default', version: 1 },
          ...fields,
        },
        at,
      ),
    incoterm: (at: string) => recorded(stream, 'DealIncotermChanged', { incoterm: 'FOB' }, at),
    won: (at: string) =>
      recorded(
        stream,
        'DealWon',
        {
          orderReference: 'PO',
          stage: 'proposal',
          amount: { minor: 1, currency: 'USD' },
          policy: { id: 'stages.default', version: 1 },
        },
        at,
      ),
  };
}

const [a1, a2, a3] = ['a1', 'a2', 'a3'].map(account);
const [l1, l2, l3] = ['l1', 'l2', 'l3'].map(lead);
const [d1, d2, d3] = ['d1', 'd2', 'd3'].map(deal);
const COMPLETE_DEAL = {
  amount: { minor: 100, currency: 'USD' },
  expectedCloseDate: '2026-06-30',
  expectedShipMonth: '2026-07',
  contactId: 'c1',
  incoterm: 'CIF',
  paymentTerm: 'tt_30_70',
};
const c3 = { contactId: 'c3', name: 'Cy', role: 'quality', phone: '12345' };

const EVENTS: RecordedEvent[] = history([
  d2.opened('u2', {}, '2026-01-05T09:00:00.000Z'),
  d3.opened('u2', COMPLETE_DEAL, '2026-01-06T09:00:00.000Z'),
  a2.registered('u2', '2026-01-10T09:00:00.000Z', {
    name: 'Legacy Ltd',
    country: 'GB',
    mainProducts: [],
    customerType: 'trader',
    sourceChannel: 'other',
  }),
  d2.won('2026-01-20T09:00:00.000Z'),
  l1.received({ company: 'Xeno', name: 'Xi', email: 'xi@xeno.com' }, '2026-02-01T09:00:00.000Z'),
  l1.assigned('u1', '2026-02-01T09:00:00.000Z'),
  a1.registered('u1', '2026-03-01T09:00:00.000Z'),
  a1.contact('c1', { name: 'Ann', email: 'ann@acme.de' }, '2026-03-01T09:00:00.000Z'),
  a1.contact('c2', { name: 'Bob', role: 'engineering' }, '2026-03-01T09:00:00.000Z'),
  a3.registered('u1', '2026-03-02T09:00:00.000Z'),
  a3.contact('c3', c3, '2026-03-02T09:00:00.000Z'),
  a1.contactUpdated('c1', { email: 'not-an-email' }, '2026-03-05T09:00:00.000Z'),
  a1.contactUpdated('c2', { phone: '+4930123456' }, '2026-03-06T09:00:00.000Z'),
  a3.mergedInto('a1', [c3], '2026-03-10T09:00:00.000Z'),
  a1.absorbed('a3', [c3], '2026-03-10T09:00:00.000Z'),
  d1.opened(
    'u1',
    {
      amount: { minor: 5, currency: 'USD' },
      expectedCloseDate: '2026-05-31',
      paymentTerm: 'lc_at_sight',
    },
    '2026-03-10T09:00:00.000Z',
  ),
  l2.received({ company: 'Yak', phone: '12345' }, '2026-03-15T09:00:00.000Z'),
  l3.received(
    { company: 'Zed', name: 'Zoe', email: 'zoe@zed.com', country: 'FR' },
    '2026-03-16T09:00:00.000Z',
  ),
  l3.assigned('u1', '2026-03-16T09:00:00.000Z'),
  l3.converted('2026-03-17T09:00:00.000Z'),
  d1.incoterm('2026-03-20T09:00:00.000Z'),
  a1.transferred('u1', 'u2', '2026-03-25T09:00:00.000Z'),
]);

const NOW = new Date('2026-04-01T00:00:00.000Z');

type Counts = Record<string, number>;
const counts = (rows: Array<Record<string, unknown>>): Counts =>
  Object.fromEntries(
    rows
      .filter((row) => row.count !== 0)
      .map((row) => [
        [row.recordType, row.measure, row.field].filter(Boolean).join('.'),
        row.count as number,
      ]),
  );

describe('data quality projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(dataQualityProjection, EVENTS);
  });
  afterAll(() => model.close());

  it('counts live records, missing fields, unreachable contacts and stale records for everyone', async () => {
    const rows = await dataQuality(model.store, model.name, { staleDays: 30, now: NOW });
    // Stale: last change before 2 March 00:00. Accounts: a2 (10 Jan). Leads: l1 (1 Feb).
    // Deals: d3 (6 Jan); d2 is closed; d1 changed on 20 March.
    expect(counts(rows)).toEqual({
      // a1, a2 (a3 was merged into a1). a2 lacks website, main products and contacts.
      'account.records': 2,
      'account.missing.website': 1,
      'account.missing.mainProducts': 1,
      'account.missing.contacts': 1,
      'account.not_updated.30d': 1,
      // a1's c1 (email changed to an invalid one), c2 (phone added), c3 (moved in, invalid phone).
      'contact.records': 3,
      'contact.invalid_contact.invalidEmail': 1,
      'contact.invalid_contact.invalidPhone': 1,
      'contact.unreachable': 2,
      // l1 (no country), l2 (no owner, country or name; invalid phone); l3 is converted.
      'lead.records': 2,
      'lead.missing.owner': 1,
      'lead.missing.country': 2,
      'lead.missing.name': 1,
      'lead.invalid_contact.invalidPhone': 1,
      'lead.unreachable': 1,
      'lead.not_updated.30d': 1,
      // d1 (no ship month, no contact; its incoterm came later), d3 complete; d2 won.
      'deal.records': 2,
      'deal.missing.expectedShipMonth': 1,
      'deal.missing.contact': 1,
      'deal.not_updated.30d': 1,
    });
    const share = rows.find((row) => row.recordType === 'lead' && row.field === 'country');
    expect(share).toMatchObject({ count: 2, share: 1 });
  });

  it("follows records to their current owner: a1's gaps and contacts moved from u1 to u2", async () => {
    const u1 = counts(
      await dataQuality(model.store, model.name, { owners: ['u1'], staleDays: 30, now: NOW }),
    );
    expect(u1).toEqual({
      'lead.records': 1,
      'lead.missing.country': 1,
      'lead.not_updated.30d': 1,
      'deal.records': 1,
      'deal.missing.expectedShipMonth': 1,
      'deal.missing.contact': 1,
    });
    const u2 = counts(
      await dataQuality(model.store, model.name, {
        owners: ['u2', 'unassigned'],
        staleDays: 60,
        now: NOW,
      }),
    );
    // 60 days: before 31 January: a2 (10 Jan), d3 (6 Jan).
    expect(u2).toMatchObject({
      'account.records': 2,
      'account.not_updated.60d': 1,
      'contact.records': 3,
      'contact.unreachable': 2,
      'lead.records': 1,
      'lead.missing.owner': 1,
      'deal.records': 1,
      'deal.not_updated.60d': 1,
    });
  });

  it('counts stale records as the records themselves say, for a cutoff on every day and at month starts', async () => {
    const records = (await model.find(QUALITY_RECORDS)) as unknown as Array<{
      type: string;
      owner: string;
      live: boolean;
      lastUpdatedAt: string;
    }>;
    const owners = [undefined, ['u1'], ['u2', 'unassigned']];
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const cutoffs: number[] = [];
    for (let day = 0; day <= 100; day++) cutoffs.push(start + day * 86_400_000 + 3_600_000);
    cutoffs.push(Date.parse('2026-02-01T00:00:00.000Z'), Date.parse('2026-03-01T00:00:00.000Z'));
    for (const cutoff of cutoffs) {
      for (const who of owners) {
        const rows = await dataQuality(model.store, model.name, {
          owners: who,
          staleDays: 1,
          now: new Date(cutoff + 86_400_000),
        });
        for (const type of ['account', 'lead', 'deal']) {
          const expected = records.filter(
            (record) =>
              record.type === type &&
              record.live &&
              (who === undefined || who.includes(record.owner)) &&
              Date.parse(record.lastUpdatedAt) < cutoff,
          ).length;
          const row = rows.find((r) => r.recordType === type && r.measure === 'not_updated');
          expect({ cutoff: new Date(cutoff).toISOString(), who, type, count: row?.count }).toEqual({
            cutoff: new Date(cutoff).toISOString(),
            who,
            type,
            count: expected,
          });
        }
      }
    }
  });
});

describe('data-quality: rebuilds', () => {
  it('gives identical documents from the same events, whatever the batch size', async () => {
    const [one, seven] = await Promise.all([
      project(dataQualityProjection, EVENTS, 1),
      project(dataQualityProjection, EVENTS, 7),
    ]);
    try {
      for (const { name } of dataQualityProjection.collections) {
        const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
        expect(await seven.find(name, sorted)).toEqual(await one.find(name, sorted));
      }
    } finally {
      await Promise.all([one.close(), seven.close()]);
    }
  });
});

// ---- Erasure ------------------------------------------------------------------------------------
// Ann (contact c1 of a1, first an inquiry l3 converted into her) and Lia (live lead l1) are erased.
// Ann's email ends invalid and her phone cleared, so her counters move in ways a rebuild never
// sees. Bob (c2), Cy (c3) and Max (l2) stay.

describe('data-quality: erasure', () => {
  let keys: SqliteSubjectKeyStore;
  let cipher: PersonalDataCipher;
  beforeEach(() => {
    keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
  });
  afterEach(() => keys.close());

  const [e1, l4, l5] = ['e1', 'l4', 'l5'].map(lead);
  const e = account('e');
  const BEFORE = history([
    e.registered('u1', '2026-03-01T09:00:00.000Z'),
    l5.received(
      { company: 'Acme', name: 'Ann', email: 'ann@acme.de', country: 'DE' },
      '2026-03-01T08:00:00.000Z',
    ),
    recorded(
      'lead-l5',
      'LeadConverted',
      {
        leadId: 'l5',
        ownerId: 'u1',
        channel: 'email',
        accountId: 'e',
        contactId: 'c1',
        dealId: 'z',
        deal: {},
        newContact: { name: 'Ann', email: 'ann@acme.de', role: 'purchasing' },
      },
      '2026-03-01T09:00:00.000Z',
    ),
    e.contact('c1', { name: 'Ann', email: 'ann@acme.de' }, '2026-03-01T09:00:00.000Z'),
    e.contact(
      'c2',
      { name: 'Bob', role: 'engineering', phone: '+4930123456' },
      '2026-03-01T10:00:00.000Z',
    ),
    e.contact('c3', { name: 'Cy', phone: '12345' }, '2026-03-01T11:00:00.000Z'),
    e.contactUpdated(
      'c1',
      { email: 'ann-at-acme', phone: '+4930999888' },
      '2026-03-02T09:00:00.000Z',
    ),
    e.contactUpdated('c1', { phone: null }, '2026-03-03T09:00:00.000Z'),
    e1.received(
      { company: 'Xeno', name: 'Lia', email: 'lia@xeno.com' },
      '2026-03-04T09:00:00.000Z',
    ),
    e1.assigned('u1', '2026-03-04T09:00:00.000Z'),
    l4.received({ company: 'Yak', name: 'Max', phone: '+4930555' }, '2026-03-05T09:00:00.000Z'),
  ]);
  const ERASURES: Array<{ subject: Record<string, string>; subjectIds: string[] }> = [
    { subject: { kind: 'lead', leadId: 'e1' }, subjectIds: ['lead:e1'] },
    {
      subject: { kind: 'contact', accountId: 'e', contactId: 'c1' },
      subjectIds: ['contact:c1', 'lead:l5'],
    },
  ];
  /** Ann's email written after her erasure: sealed without a key, it is stored as "[erased]". */
  const AFTER = history([
    ...BEFORE,
    e.contactUpdated('c1', { email: 'ann.new@acme.de' }, '2026-03-10T09:00:00.000Z'),
  ]).slice(BEFORE.length);

  const seal = (events: RecordedEvent[]) =>
    Promise.all(
      events.map(async (event) => ({
        ...event,
        data: await cipher.seal(event.type, event.data, event.streamName),
      })),
    );
  const open = (events: RecordedEvent[]) =>
    Promise.all(events.map(async (event) => ({ ...event, data: await cipher.open(event.data) })));

  /** Seals the history, erases both people as SubjectErasure does, and reads it live and rebuilt. */
  async function erasedHistory() {
    const sealed = await seal(BEFORE);
    const readLive = await open(sealed);
    const erasures = [];
    for (const [index, { subject, subjectIds }] of ERASURES.entries()) {
      for (const subjectId of subjectIds) {
        await keys.destroy(subjectId, {
          erasedAt: '2026-03-09T09:00:00.000Z',
          erasedBy: 'u-admin',
          requestRef: `DPO-${index}`,
        });
      }
      const sealedIn = sealed
        .filter((event) => sealedSubjects(event.data).some((s) => subjectIds.includes(s)))
        .map((event) => `${event.streamName}@${event.revision}`);
      erasures.push(
        recorded(
          `erasure-${index}`,
          'SubjectErased',
          {
            erasureId: `${index}`,
            subject,
            requestRef: `DPO-${index}`,
            erasedBy: 'u-admin',
            subjectIds,
            sealedIn,
          },
          '2026-03-09T09:00:00.000Z',
        ),
      );
    }
    const after = await seal(AFTER);
    return {
      live: [...readLive, ...erasures, ...(await open(after))],
      rebuilt: [...(await open(sealed)), ...erasures, ...(await open(after))],
      beforeErasure: readLive,
    };
  }

  const documents = async (model: ProjectedModel) => {
    const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
    return {
      records: await model.find(QUALITY_RECORDS, sorted),
      counters: await model.find(QUALITY_COUNTERS, sorted),
    };
  };

  it('leaves the live model equal to a rebuild, document for document and by checksum', async () => {
    const { live, rebuilt } = await erasedHistory();
    const [liveModel, rebuiltModel] = await Promise.all([
      project(dataQualityProjection, live),
      project(dataQualityProjection, rebuilt, 1),
    ]);
    try {
      const liveDocuments = await documents(liveModel);
      expect(liveDocuments).toEqual(await documents(rebuiltModel));
      expect(await readModelChecksum(liveModel.store, dataQualityProjection, liveModel.name)).toBe(
        await readModelChecksum(rebuiltModel.store, dataQualityProjection, rebuiltModel.name),
      );
      // Ann's invalid email was counted live, then taken back: no counter is left at zero.
      expect(liveDocuments.counters.filter((counter) => counter.count === 0)).toEqual([]);
      const annsAccount = await liveModel.get(QUALITY_RECORDS, 'account:e');
      expect(annsAccount).toMatchObject({
        contacts: {
          c1: { present: { name: false, role: true }, reach: { email: 'erased', phone: 'erased' } },
          c2: { present: { name: true }, reach: { email: 'none', phone: 'valid' } },
        },
        lastUpdatedAt: '2026-03-10T09:00:00.000Z',
      });
      expect(await liveModel.get(QUALITY_RECORDS, 'lead:e1')).toMatchObject({
        reach: { email: 'erased', phone: 'none' },
        problems: ['erased'],
        missing: ['country', 'name'],
        lastUpdatedAt: '2026-03-04T09:00:00.000Z',
      });
    } finally {
      await Promise.all([liveModel.close(), rebuiltModel.close()]);
    }
  });

  it('counts the erased people as unreachable and nameless; nothing else moves', async () => {
    const { live, beforeErasure } = await erasedHistory();
    const [before, after] = await Promise.all([
      project(dataQualityProjection, beforeErasure),
      project(dataQualityProjection, live),
    ]);
    try {
      const report = async (model: ProjectedModel) =>
        counts(await dataQuality(model.store, model.name, { staleDays: 30, now: NOW }));
      const was = await report(before);
      expect(was).toMatchObject({
        'contact.records': 3,
        'contact.invalid_contact.invalidEmail': 1,
        'contact.invalid_contact.invalidPhone': 1,
        'contact.unreachable': 2,
        'lead.records': 2,
      });
      expect(was['lead.invalid_contact.erased']).toBeUndefined();
      expect(await report(after)).toEqual({
        ...was,
        // Ann: her invalid email and cleared phone read "[erased]"; her name is gone.
        'contact.invalid_contact.invalidEmail': undefined,
        'contact.invalid_contact.erased': 1,
        'contact.missing.name': 1,
        // Lia, a live lead: unreachable now, and without a name.
        'lead.invalid_contact.erased': 1,
        'lead.unreachable': 1,
        'lead.missing.name': 1,
      });
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });

  it('tells a cleared phone from one never given: only the first was sealed', async () => {
    const model = await project(dataQualityProjection, await open(await seal(BEFORE)));
    try {
      expect(await model.get(QUALITY_RECORDS, 'account:e')).toMatchObject({
        contacts: {
          c1: { reach: { email: 'invalid', phone: 'blank' } },
          c2: { reach: { email: 'none' } },
        },
      });
    } finally {
      await model.close();
    }
  });
});
