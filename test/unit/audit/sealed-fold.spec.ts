import { randomBytes } from 'node:crypto';
import { accountDecider } from '../../../domain/account/account.decider';
import { dealDecider } from '../../../domain/deal/deal.decider';
import { leadDecider } from '../../../domain/lead/lead.decider';
import { Evolve, SealedFold } from '../../../src/audit/as-of/sealed-fold';
import { RecordedEvent } from '../../../src/event-store/event-store.port';
import { PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';

type Data = Record<string, unknown>;

describe('SealedFold: folding a sealed stream, decrypting only what the fold needs', () => {
  let keys: SqliteSubjectKeyStore;
  let cipher: PersonalDataCipher;
  let opens: number;
  const open = (data: Data) => {
    opens++;
    return cipher.open(data);
  };

  beforeEach(() => {
    keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
    opens = 0;
  });
  afterEach(() => keys.close());

  const stream = async (name: string, events: Array<[string, Data]>): Promise<RecordedEvent[]> =>
    Promise.all(
      events.map(async ([type, data], revision) => ({
        id: `e-${revision}`,
        streamName: name,
        revision,
        position: String(revision).padStart(20, '0'),
        type,
        data: await cipher.seal(type, data, name),
        metadata: {
          occurredAt: `2026-03-0${revision + 1}T10:00:00.000Z`,
          $correlationId: `c-${revision}`,
          $causationId: `c-${revision}`,
          schemaVersion: 1,
        },
        recordedAt: `2026-03-0${revision + 1}T10:00:01.000Z`,
      })),
    );

  /** The reference: every event decrypted, then folded. */
  const eager = async <S>(evolve: Evolve<S>, initial: S, events: RecordedEvent[]) => {
    let state = initial;
    for (const event of events)
      state = evolve(state, { ...event, data: await cipher.open(event.data) });
    return state;
  };

  const accountRegistered: [string, Data] = [
    'AccountRegistered',
    {
      accountId: 'a1',
      name: 'Gulf Valve',
      country: 'AE',
      website: 'gulf-valve.ae',
      mainProducts: ['valves'],
      customerType: 'distributor',
      sourceChannel: 'alibaba',
      ownerId: 'u-ana',
      grade: 'B',
      lifecycle: 'potential',
    },
  ];

  const deal = () =>
    stream('deal-d1', [
      [
        'DealOpened',
        {
          dealId: 'd1',
          accountId: 'a1',
          title: 'DN50 valves',
          ownerId: 'u-ana',
          channel: 'alibaba',
          country: 'AE',
          productLine: 'valves',
          repeat: false,
          currency: 'USD',
          stage: 'initial_contact',
          policy: { id: 'stages.default', version: 1 },
        },
      ],
      [
        'DealActivityLogged',
        {
          activityId: 'x1',
          kind: 'call',
          direction: 'outbound',
          summary: 'Ahmed wants 30 % T/T',
          at: '2026-03-02T09:00:00Z',
          contactId: 'c1',
        },
      ],
      [
        'DealStageChanged',
        {
          from: 'initial_contact',
          to: 'proposal',
          direction: 'forward',
          reentry: false,
          note: 'Sent prices to Ahmed',
          policy: { id: 'stages.default', version: 1 },
        },
      ],
      [
        'DealActivityLogged',
        {
          activityId: 'x2',
          kind: 'email',
          direction: 'inbound',
          summary: 'Ahmed: samples by Friday?',
          at: '2026-03-04T09:00:00Z',
        },
      ],
    ]);

  it('opens nothing for a deal, whose state holds no personal data, and gets the same state', async () => {
    const events = await deal();
    const evolve = dealDecider.evolve as unknown as Evolve<unknown>;
    const fold = new SealedFold(events, open);
    const state = await fold.fold(evolve, dealDecider.initialState);
    expect(state).toEqual(await eager(evolve, dealDecider.initialState, events));
    expect(fold.openedCount).toBe(0);
    expect(opens).toBe(0);
    expect(JSON.stringify(state)).not.toContain('Ahmed');
  });

  it("opens a lead's inquiry, which its state keeps, and not its response notes", async () => {
    const events = await stream('lead-l1', [
      [
        'InquiryReceived',
        {
          leadId: 'l1',
          channel: 'alibaba',
          live: true,
          receivedAt: '2026-03-01T10:00:00Z',
          inquirer: {
            name: 'Lena Vogel',
            email: 'lena@vogel.de',
            company: 'Vogel GmbH',
            country: 'DE',
            message: 'Quote 500 valves',
          },
          attachments: [{ fileId: 'f1', filename: 'lena-rfq.pdf' }],
        },
      ],
      [
        'LeadResponseRecorded',
        {
          leadId: 'l1',
          direction: 'outbound',
          channel: 'email',
          at: '2026-03-02T10:00:00Z',
          summary: 'Called Lena back',
        },
      ],
    ]);
    const evolve = leadDecider.evolve as unknown as Evolve<unknown>;
    const fold = new SealedFold(events, open);
    const state = await fold.fold(evolve, leadDecider.initialState);
    expect(state).toEqual(await eager(evolve, leadDecider.initialState, events));
    expect(state).toMatchObject({ inquirer: { name: 'Lena Vogel', email: 'lena@vogel.de' } });
    expect(fold.openedCount).toBe(1);
  });

  it('folds contact changes that clear a field exactly as the decrypted stream does', async () => {
    const events = await stream('account-a1', [
      accountRegistered,
      [
        'ContactAdded',
        {
          accountId: 'a1',
          contactId: 'c1',
          name: 'Ahmed Al-Farsi',
          email: 'ahmed@gulf-valve.ae',
          phone: '+97141234567',
          role: 'purchasing',
        },
      ],
      [
        'ContactUpdated',
        { accountId: 'a1', contactId: 'c1', changes: { phone: null, title: 'Head of purchasing' } },
      ],
      ['AccountGradeChanged', { accountId: 'a1', from: 'B', to: 'A', reason: 'Volume' }],
    ]);
    const evolve = accountDecider.evolve as unknown as Evolve<unknown>;
    const fold = new SealedFold(events, open);
    const state = (await fold.fold(evolve, accountDecider.initialState)) as {
      contacts: Record<string, Data>;
    };
    expect(state).toEqual(await eager(evolve, accountDecider.initialState, events));
    expect(state.contacts.c1).toEqual({
      contactId: 'c1',
      name: 'Ahmed Al-Farsi',
      email: 'ahmed@gulf-valve.ae',
      title: 'Head of purchasing',
      role: 'purchasing',
    });
  });

  it('re-folds until no sealed field is read, even when the fold branches on one', async () => {
    const events = await deal();
    // Counts the notes that mention Ahmed: the answer depends on decrypted values.
    const mentions: Evolve<number> = (count, event) =>
      typeof event.data.note === 'string' && event.data.note.includes('Ahmed') ? count + 1 : count;
    const fold = new SealedFold(events, open);
    expect(await fold.fold(mentions, 0)).toBe(1);
    expect(fold.openedCount).toBe(1);
  });

  it('gives prefix states in one pass, each equal to the fold of that prefix', async () => {
    const events = await deal();
    const evolve = dealDecider.evolve as unknown as Evolve<unknown>;
    const [two, all] = await new SealedFold(events, open).prefixFolds(
      evolve,
      dealDecider.initialState,
      [2, 4],
    );
    expect(two).toEqual(await eager(evolve, dealDecider.initialState, events.slice(0, 2)));
    expect(all).toEqual(await eager(evolve, dealDecider.initialState, events));
    expect(two).toMatchObject({ stage: 'initial_contact' });
    expect(all).toMatchObject({ stage: 'proposal' });
  });

  it('reads an erased subject as "[erased]" and never changes the stored events', async () => {
    const events = await stream('account-a1', [
      accountRegistered,
      [
        'ContactAdded',
        {
          accountId: 'a1',
          contactId: 'c1',
          name: 'Ahmed Al-Farsi',
          email: 'ahmed@gulf-valve.ae',
          role: 'purchasing',
        },
      ],
    ]);
    const before = JSON.stringify(events);
    await keys.destroy('contact:c1', {
      erasedAt: '2026-03-05T00:00:00Z',
      erasedBy: 'u-mgr',
      requestRef: 'REQ-1',
    });
    const state = (await new SealedFold(events, open).fold(
      accountDecider.evolve as unknown as Evolve<unknown>,
      accountDecider.initialState,
    )) as { contacts: Record<string, Data> };
    expect(state.contacts.c1).toMatchObject({
      name: '[erased]',
      email: '[erased]',
      role: 'purchasing',
    });
    expect(JSON.stringify(events)).toBe(before);
  });
});
