import { history, project, ProjectedModel, recorded } from '../support/projection-harness';
import {
  phoneTokens,
  SEARCH_NOTES,
  SEARCH_RECORDS,
  searchIndexProjection,
} from '../../projections/search-index.projection';
import { prepareQuery, SearchScope, searchRecords } from '../../src/search/search.query';
import { SearchController } from '../../src/search/search.controller';
import { RequestContext, runInRequestContext } from '../../src/http/request-context';
import type { DirectoryFeed } from '../../src/identity/directory-feed';
import type { ReadModels } from '../../src/projection-runner/read-models';

/**
 * Users: rep1 and rep2 in team t1 (led by tl1), rep3 in team t2.
 *
 * acc1  Müller Maschinenbau GmbH, mueller-maschinen.de, rep1 — contact Anna Schmidt
 *       (anna.schmidt@mueller-maschinen.de, +49 151 12345678), deal D1 "Müller CNC spindles"
 *       with an activity about tolerances.
 * acc2  Shenzhen Guangming Lighting Co., Ltd, rep3 — contact Li Wei (gmail); deal D2
 *       "Guangming LED panels" (rep3) with an activity about a price negotiation, then handed to rep1.
 * L1    unassigned lead entered by rep1: Pedro Alvarez, Iberia Lamps SL, +34 612 345 678, "solar street lights".
 * L2    unassigned lead entered by rep2: Nordic Lights AB, "solar panels".
 * L3    lead assigned to rep2: Atlas Trading, with a response "catalogue of floodlights".
 * acc3  Orion Tools, rep4 — registered while rep4 was in t2; rep4 then moved to t1.
 */
const id = (n: string) => `00000000-0000-7000-8000-${n.padStart(12, '0')}`;
const [ACC1, ACC2, D1, D2, L1, L2, L3] = ['a1', 'a2', 'd1', 'd2', 'e1', 'e2', 'e3'].map(id);
const [REP1, REP2, REP3, REP4, TL1, TL2] = ['1', '2', '3', '4', '10', '20'].map(id);
const ACC3 = id('a3');
const as = (userId: string) => ({ actor: { userId, role: 'rep' } });
const cause = { kind: 'person', id: TL1 };
const policy = { id: 'stages.default', version: 1 };

const account = (
  accountId: string,
  name: string,
  website: string,
  country: string,
  ownerId: string,
) =>
  recorded(
    `account-${accountId}`,
    'AccountRegistered',
    {
      accountId,
      name,
      country,
      website,
      mainProducts: ['machines'],
      customerType: 'manufacturer',
      sourceChannel: 'website',
      ownerId,
      grade: 'A',
      lifecycle: 'active',
    },
    '2026-01-01T00:00:00Z',
    as(ownerId),
  );

const deal = (dealId: string, accountId: string, title: string, ownerId: string) =>
  recorded(
    `deal-${dealId}`,
    'DealOpened',
    {
      dealId,
      accountId,
      title,
      ownerId,
      channel: 'website',
      country: 'DE',
      productLine: 'machines',
      repeat: false,
      currency: 'EUR',
      stage: 'initial_contact',
      policy,
    },
    '2026-01-05T00:00:00Z',
    as(ownerId),
  );

const inquiry = (leadId: string, createdBy: string, inquirer: Record<string, string>) =>
  recorded(
    `lead-${leadId}`,
    'InquiryReceived',
    {
      leadId,
      channel: 'website',
      payloadHash: leadId,
      inquirer,
      attachments: [],
      live: true,
      receivedAt: '2026-01-03T00:00:00Z',
    },
    '2026-01-03T00:00:00Z',
    as(createdBy),
  );

const user = (userId: string, teamId: string) =>
  recorded(
    `user-${userId}`,
    'UserRegistered',
    { userId, name: userId, email: `${userId}@x.test`, role: 'rep', teamId },
    '2025-12-01T00:00:00Z',
  );

const events = history([
  user(REP1, 't1'),
  user(REP2, 't1'),
  user(REP3, 't2'),
  user(REP4, 't2'),
  user(TL1, 't1'),
  user(TL2, 't2'),
  account(ACC1, 'Müller Maschinenbau GmbH', 'https://www.mueller-maschinen.de/', 'DE', REP1),
  recorded(
    `account-${ACC1}`,
    'ContactAdded',
    {
      accountId: ACC1,
      contactId: 'c-anna',
      name: 'Anna Schmidt',
      email: 'Anna.Schmidt@mueller-maschinen.de',
      phone: '+4915112345678',
      role: 'purchasing',
    },
    '2026-01-01T01:00:00Z',
  ),
  account(ACC2, 'Shenzhen Guangming Lighting Co., Ltd', 'guangming-light.cn', 'CN', REP3),
  recorded(
    `account-${ACC2}`,
    'ContactAdded',
    {
      accountId: ACC2,
      contactId: 'c-li',
      name: 'Li Wei',
      email: 'li.wei@gmail.com',
      role: 'owner',
    },
    '2026-01-01T01:00:00Z',
  ),
  inquiry(L1, REP1, {
    name: 'Pedro Alvarez',
    company: 'Iberia Lamps SL',
    email: 'pedro@iberialamps.es',
    phone: '+34 612 345 678',
    country: 'ES',
    message: 'Looking for 2000 solar street lights with CE certificate',
  }),
  inquiry(L2, REP2, { company: 'Nordic Lights AB', message: 'Need solar panels for cabins' }),
  inquiry(L3, REP2, { company: 'Atlas Trading', email: 'buy@atlas-trading.ma' }),
  recorded(
    `lead-${L3}`,
    'LeadAssigned',
    { leadId: L3, to: REP2, reason: 'rotation', cause },
    '2026-01-03T00:10:00Z',
  ),
  recorded(
    `lead-${L3}`,
    'LeadResponseRecorded',
    {
      leadId: L3,
      direction: 'outbound',
      channel: 'email',
      at: '2026-01-03T01:00:00Z',
      summary: 'Sent the catalogue of floodlights',
    },
    '2026-01-03T01:00:00Z',
  ),
  deal(D1, ACC1, 'Müller CNC spindles', REP1),
  recorded(
    `deal-${D1}`,
    'DealActivityLogged',
    {
      activityId: 'x1',
      kind: 'meeting',
      direction: 'outbound',
      summary: 'Discussed tolerances for the spindle housing',
      at: '2026-01-06T10:00:00Z',
    },
    '2026-01-06T10:00:00Z',
  ),
  deal(D2, ACC2, 'Guangming LED panels', REP3),
  recorded(
    `deal-${D2}`,
    'DealActivityLogged',
    {
      activityId: 'x2',
      kind: 'call',
      direction: 'inbound',
      summary: 'Price negotiation for the panels',
      at: '2026-01-07T10:00:00Z',
    },
    '2026-01-07T10:00:00Z',
  ),
  recorded(
    `deal-${D2}`,
    'DealStageChanged',
    { from: 'initial_contact', to: 'negotiation', direction: 'forward', reentry: false, policy },
    '2026-01-08T00:00:00Z',
  ),
  // rep4 works in t2, then moves to t1: Orion Tools was filed under t2.
  account(ACC3, 'Orion Tools', 'orion-tools.com', 'US', REP4),
  recorded(
    `user-${REP4}`,
    'UserMovedToTeam',
    { userId: REP4, from: 't2', to: 't1' },
    '2026-01-08T00:00:00Z',
  ),
  recorded(
    `deal-${D2}`,
    'DealOwnerTransferred',
    { from: REP3, to: REP1, reason: 'rep3 left the region', cause },
    '2026-01-09T00:00:00Z',
  ),
]);

const ALL: SearchScope = { kind: 'all' };
const rep = (userId: string): SearchScope => ({ kind: 'own', userId });
const TEAM_LEAD_T1: SearchScope = {
  kind: 'team',
  teamId: 't1',
  memberIds: [TL1, REP1, REP2, REP4],
};
const TEAM_LEAD_T2: SearchScope = { kind: 'team', teamId: 't2', memberIds: [TL2, REP3] };

describe('search index projection', () => {
  let model: ProjectedModel;
  const search = async (q: string, scope: SearchScope = ALL) =>
    (await searchRecords(model.store, model.name, q, { scope })).results;
  const found = async (q: string, scope: SearchScope = ALL) =>
    (await search(q, scope)).map((result) => `${result.kind} ${result.title}`).sort();

  beforeAll(async () => {
    model = await project(searchIndexProjection, events);
  });
  afterAll(() => model.close());

  it('finds records by name prefix, umlauts either way', async () => {
    expect(await found('Müll')).toEqual([
      'account Müller Maschinenbau GmbH',
      'deal Müller CNC spindles',
    ]);
    // Anna's email (anna.schmidt@mueller-maschinen.de) holds both words too.
    expect(await found('mueller masch')).toEqual([
      'account Müller Maschinenbau GmbH',
      'contact Anna Schmidt',
    ]);
    expect(await found('mueller maschinenb')).toEqual(['account Müller Maschinenbau GmbH']);
    expect(await found('guangm')).toEqual([
      'account Shenzhen Guangming Lighting Co., Ltd',
      'deal Guangming LED panels',
    ]);
    expect(await found('Pedro')).toEqual(['lead Iberia Lamps SL']);
    const [hit] = await search('Anna');
    expect(hit).toMatchObject({
      kind: 'contact',
      id: 'c-anna',
      title: 'Anna Schmidt',
      subtitle: 'purchasing · Müller Maschinenbau GmbH',
    });
    expect(hit.score).toBeGreaterThanOrEqual(1);
  });

  it('finds misspelt names through the bounded fuzzy pass, ranked below exact matches', async () => {
    // "shenzen*" matches no word; "she*" finds candidates; Jaro–Winkler(shenzen, shenzhen) = 0.975.
    const [shenzhen] = await search('Shenzen');
    expect(shenzhen).toMatchObject({ kind: 'account', id: ACC2, score: 0.9653 }); // 0.99 × 0.975
    // Mueler: one l short of mueller (Müller spelt out), JW = 0.9714.
    expect(await found('Mueler')).toEqual([
      'account Müller Maschinenbau GmbH',
      'deal Müller CNC spindles',
    ]);
    expect((await search('Mueler'))[0].score).toBeLessThan(1);
    // Too far from anything: no fuzzy hit.
    expect(await search('Shanghai')).toEqual([]);
  });

  it('finds by email, and by web or email domain', async () => {
    expect(await found('anna.schmidt@mueller-maschinen.de')).toEqual(['contact Anna Schmidt']);
    expect(await found('mueller-maschinen.de')).toEqual([
      'account Müller Maschinenbau GmbH',
      'contact Anna Schmidt',
    ]);
    expect(await found('https://www.mueller-maschinen.de/')).toEqual([
      'account Müller Maschinenbau GmbH',
      'contact Anna Schmidt',
    ]);
    expect(await found('iberialamps.es')).toEqual(['lead Iberia Lamps SL']);
    expect(await found('gmail.com')).toEqual(['contact Li Wei']);
  });

  it('finds a phone typed internationally or nationally, with or without spaces', async () => {
    expect(phoneTokens('+4915112345678')).toEqual(['4915112345678', '15112345678', '015112345678']);
    expect(await found('+49 151 1234 5678')).toEqual(['contact Anna Schmidt']);
    expect(await found('0151 12345678')).toEqual(['contact Anna Schmidt']);
    expect(await found('0049-151-12345678')).toEqual(['contact Anna Schmidt']);
    expect(await found('+49 151')).toEqual(['contact Anna Schmidt']);
    expect(await found('612 345 678')).toEqual(['lead Iberia Lamps SL']);
    expect(prepareQuery('+49 (151) 1234-5678')).toEqual({
      text: '4915112345678',
      words: [],
      notes: false,
    });
  });

  it('finds deals and leads by the text of activities, responses and inquiries', async () => {
    const [tolerances] = await search('tolerances');
    expect(tolerances).toMatchObject({
      kind: 'deal',
      id: D1,
      title: 'Müller CNC spindles',
      subtitle: 'meeting outbound · 2026-01-06 · Discussed tolerances for the spindle housing',
    });
    expect(await found('floodlights')).toEqual(['lead Atlas Trading']);
    expect(await found('solar')).toEqual(['lead Iberia Lamps SL', 'lead Nordic Lights AB']);
    expect(await found('street lights')).toEqual(['lead Iberia Lamps SL']);
    // Words under three characters search names only: "to" is not every "tolerances" ever noted.
    expect(await found('tol')).toEqual(['deal Müller CNC spindles']);
    expect(await found('to')).toEqual(['account Orion Tools']);
  });

  it('keeps to the kind asked for, notes showing as their deal or lead', async () => {
    const kinds = async (q: string, kind: 'account' | 'contact' | 'lead' | 'deal') =>
      (await searchRecords(model.store, model.name, q, { scope: ALL, kind })).results
        .map((result) => `${result.kind} ${result.title}`)
        .sort();
    expect(await kinds('tolerances', 'deal')).toEqual(['deal Müller CNC spindles']);
    expect(await kinds('tolerances', 'account')).toEqual([]);
    expect(await kinds('floodlights', 'lead')).toEqual(['lead Atlas Trading']);
    expect(await kinds('floodlights', 'contact')).toEqual([]);
    expect(await kinds('mueller', 'contact')).toEqual(['contact Anna Schmidt']);
    expect(await kinds('Mueler', 'account')).toEqual(['account Müller Maschinenbau GmbH']);
  });

  it('keeps to the caller’s scope', async () => {
    // rep1: own records, and the unassigned lead they entered (not rep2's).
    expect(await found('solar', rep(REP1))).toEqual(['lead Iberia Lamps SL']);
    // acc2 stays rep3's; D2 was handed to rep1, with its activity.
    expect(await found('guangming', rep(REP1))).toEqual(['deal Guangming LED panels']);
    expect(await found('negotiation', rep(REP1))).toEqual(['deal Guangming LED panels']);
    expect(await found('negotiation', rep(REP3))).toEqual([]);
    expect(await found('Shenzen', rep(REP1))).toEqual([]);
    expect(await found('floodlights', rep(REP3))).toEqual([]);
    expect(await found('floodlights', rep(REP2))).toEqual(['lead Atlas Trading']);
    // Team lead of t1: rep1's and rep2's records and every unassigned lead, not rep3's account.
    expect(await found('guangming', TEAM_LEAD_T1)).toEqual(['deal Guangming LED panels']);
    expect(await found('solar', TEAM_LEAD_T1)).toEqual([
      'lead Iberia Lamps SL',
      'lead Nordic Lights AB',
    ]);
    expect(await found('atlas', TEAM_LEAD_T1)).toEqual(['lead Atlas Trading']);
    expect(await found('Li Wei', TEAM_LEAD_T1)).toEqual([]);
    // A rep who moved teams: their record filed under t2 is found by t1's lead, not by t2's.
    expect(await model.get(SEARCH_RECORDS, `account:${ACC3}`)).toMatchObject({
      ownerId: REP4,
      teamId: 't2',
    });
    expect(await found('orion', TEAM_LEAD_T1)).toEqual(['account Orion Tools']);
    expect(await found('orion', TEAM_LEAD_T2)).toEqual([]);
    expect(await found('guangming', TEAM_LEAD_T2)).toEqual([
      'account Shenzhen Guangming Lighting Co., Ltd',
    ]);
  });

  it('rewrites the activities of a deal handed over, and a contact with its account', async () => {
    const activity = await model.get(SEARCH_NOTES, `deal-${D2}@1`);
    expect(activity).toMatchObject({
      kind: 'deal',
      recordId: D2,
      source: 'activity',
      ownerId: REP1,
    });
    const transferred = history([
      ...events,
      recorded(
        `account-${ACC1}`,
        'AccountOwnershipTransferred',
        { accountId: ACC1, from: REP1, to: REP2, reason: 'handover', cause },
        '2026-02-01T00:00:00Z',
      ),
    ]);
    const after = await project(searchIndexProjection, transferred);
    const q = (text: string, scope: SearchScope) =>
      searchRecords(after.store, after.name, text, { scope }).then((r) =>
        r.results.map((x) => `${x.kind} ${x.title}`).sort(),
      );
    expect(await q('Anna', rep(REP1))).toEqual([]);
    expect(await q('Anna', rep(REP2))).toEqual(['contact Anna Schmidt']);
    await after.close();
  });
});

describe('search route scope', () => {
  let model: ProjectedModel;
  let controller: SearchController;
  beforeAll(async () => {
    model = await project(searchIndexProjection, events);
    const readModels = {
      store: model.store,
      collection: (_: string, logical: string) => model.name(logical),
    };
    const feed = {
      directory: { teamMembers: (team: string) => (team === 't1' ? [REP1, REP2] : [REP3]) },
    };
    controller = new SearchController(
      readModels as unknown as ReadModels,
      feed as unknown as DirectoryFeed,
    );
  });
  afterAll(() => model.close());

  const as = (role: string, userId: string, teamId: string | null, q: string, kind?: 'lead') =>
    runInRequestContext(
      {
        correlationId: 'c',
        actor: { userId, role },
        principal: { kind: 'user', tokenId: 't', userId, role, teamId },
        mayBackdate: false,
      } as unknown as RequestContext,
      () => controller.search({ q, kind }),
    ).then((found) => found.results.map((result) => `${result.kind} ${result.title}`).sort());

  it('scopes by the caller’s role, team from the directory', async () => {
    expect(await as('rep', REP1, 't1', 'solar')).toEqual(['lead Iberia Lamps SL']);
    expect(await as('team_lead', TL1, 't1', 'solar')).toEqual([
      'lead Iberia Lamps SL',
      'lead Nordic Lights AB',
    ]);
    expect(await as('team_lead', TL1, 't1', 'guangming')).toEqual(['deal Guangming LED panels']);
    expect(await as('team_lead', id('11'), 't2', 'guangming')).toEqual([
      'account Shenzhen Guangming Lighting Co., Ltd',
    ]);
    expect(await as('analyst', id('12'), null, 'guangming')).toEqual([
      'account Shenzhen Guangming Lighting Co., Ltd',
      'deal Guangming LED panels',
    ]);
    expect(await as('manager', id('13'), null, 'mueller', 'lead')).toEqual([]);
  });
});
