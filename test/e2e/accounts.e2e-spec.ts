import { CommandBus } from '@nestjs/cqrs';
import { ExecuteDomainCommand } from '../../src/commands/execute-domain-command';
import { deriveId } from '../../src/http/command-sender';
import { HttpResult, httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const gulfValve = {
  name: 'Gulf Valve Trading LLC',
  country: 'AE',
  website: 'gulf-valve.ae',
  mainProducts: ['ball valves', 'gate valves'],
  customerType: 'distributor',
  sourceChannel: 'alibaba',
  grade: 'B',
  purchaseVolumeBand: '200k_1m',
  purchaseCycle: 'quarterly',
  targetMarkets: ['SA', 'QA'],
  certifications: ['CE'],
  timeZone: 'Asia/Dubai',
  language: 'ar',
  ports: ['Jebel Ali'],
  incoterms: ['CIF', 'FOB'],
  paymentTerms: ['T/T', 'L/C'],
};

const ahmed = {
  name: 'Ahmed Al-Farsi',
  email: 'ahmed@gulf-valve.ae',
  phone: '+971501234567',
  role: 'purchasing',
  title: 'Purchasing Manager',
};

const UNKNOWN_ID = '0190a7e4-0000-7000-8000-000000000000';

const problems = (response: HttpResult): string[] =>
  response.body.errors.map(
    (error: { field: string; code: string }) => `${error.field}:${error.code}`,
  );

describe('accounts through HTTP', () => {
  let running: RunningApp;
  let api: ReturnType<typeof httpClient>;
  let manager: ReturnType<typeof httpClient>;
  let keys = 0;
  const key = (name: string) => `${name}-${String(++keys).padStart(4, '0')}`;
  // Each registration its own company: a website already on an account is refused as a duplicate.
  let sites = 0;
  const site = () => `gulf-valve-${++sites}.ae`;

  beforeAll(async () => {
    running = await startApp();
    api = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
    manager = api.as({ id: 'u-manager-1', role: 'manager' });
  });
  afterAll(() => running.stop());

  const register = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const response = await api.post('/api/accounts', {
      ...gulfValve,
      website: site(),
      ...overrides,
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const addContact = async (accountId: string, contact: Record<string, unknown> = ahmed) => {
    const response = await api.post(`/api/accounts/${accountId}/contacts`, contact);
    expect(response.status).toBe(201);
    return response.body.contactId as string;
  };
  /** Reads as the owner by default; pass the manager for an account handed to someone else. */
  const account = async (id: string, reader = api) =>
    (await reader.get(`/api/accounts/${id}`)).body.state;
  const eventTypes = async (id: string, reader = api): Promise<string[]> =>
    (await reader.get(`/api/accounts/${id}/history`)).body.map(
      (entry: { type: string }) => entry.type,
    );

  it('registers an account owned by the caller, and reads it back with its revision as ETag', async () => {
    const created = await api.post('/api/accounts', { ...gulfValve, country: 'ae' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      revision: 0,
      events: ['AccountRegistered'],
      replayed: false,
    });
    expect(created.body.position).toEqual(expect.any(String));

    const read = await api.get(`/api/accounts/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"0"');
    const { grade, ...profile } = gulfValve;
    expect(read.body).toMatchObject({
      id: created.body.id,
      revision: 0,
      state: { profile, grade, ownerId: 'u-rep-1', lifecycle: 'potential', contacts: {} },
    });

    // A rep registers accounts for themselves; a manager may register one for a colleague.
    const forColleague = { ...gulfValve, website: site(), ownerId: 'u-rep-2', lifecycle: 'repeat' };
    expect(await api.post('/api/accounts', forColleague)).toMatchObject({
      status: 403,
      body: { code: 'auth.record_forbidden', field: 'ownerId' },
    });
    const imported = await manager.post('/api/accounts', forColleague);
    expect(imported.status).toBe(201);
    expect(await account(imported.body.id, manager)).toMatchObject({
      ownerId: 'u-rep-2',
      lifecycle: 'repeat',
      hasOrdered: true,
    });

    const history = await api.get(`/api/accounts/${created.body.id}/history`);
    expect(history.body).toEqual([
      expect.objectContaining({
        revision: 0,
        type: 'AccountRegistered',
        actor: { userId: 'u-rep-1', role: 'rep' },
      }),
    ]);
  });

  it('changes only the profile fields sent, and null clears an optional one', async () => {
    const id = await register();
    const updated = await api.patch(`/api/accounts/${id}`, {
      website: 'GULF-VALVE.com',
      priceSensitivity: 'high',
      purchaseCycle: null,
      timeZone: 'Asia/Dubai',
    });
    expect(updated).toMatchObject({
      status: 200,
      body: { id, revision: 1, events: ['AccountProfileUpdated'] },
    });
    const history = await api.get(`/api/accounts/${id}/history`);
    expect(history.body[1].data.changes).toEqual({
      website: 'gulf-valve.com',
      priceSensitivity: 'high',
      purchaseCycle: null,
    });
    const { profile } = await account(id);
    expect(profile).toMatchObject({ website: 'gulf-valve.com', priceSensitivity: 'high' });
    expect(profile).not.toHaveProperty('purchaseCycle');
  });

  it('regrades, moves the lifecycle on and hands the account over, recording who and why', async () => {
    const id = await register();
    const regraded = await api.post(`/api/accounts/${id}/grade`, {
      grade: 'A',
      reason: 'Annual volume confirmed above 1M USD',
    });
    expect(regraded).toMatchObject({ status: 200, body: { events: ['AccountGradeChanged'] } });

    const activated = await api.post(`/api/accounts/${id}/lifecycle`, {
      to: 'active',
      reason: 'Samples approved',
    });
    expect(activated).toMatchObject({ status: 200, body: { events: ['AccountLifecycleChanged'] } });

    const handedOver = await manager.post(`/api/accounts/${id}/owner`, {
      to: 'u-rep-2',
      reason: 'Rep 1 moves to the EU territory',
    });
    expect(handedOver).toMatchObject({
      status: 200,
      body: { events: ['AccountOwnershipTransferred'], revision: 3 },
    });

    expect(await account(id, manager)).toMatchObject({
      grade: 'A',
      lifecycle: 'active',
      ownerId: 'u-rep-2',
    });
    // Handed over, the account left u-rep-1's scope; the manager audits it.
    expect(await api.get(`/api/accounts/${id}`)).toMatchObject({
      status: 403,
      body: { code: 'auth.record_forbidden' },
    });
    const history = (await manager.get(`/api/accounts/${id}/history`)).body;
    expect(history[2]).toMatchObject({
      reason: 'Samples approved',
      data: { from: 'potential', to: 'active', cause: { kind: 'person', id: 'u-rep-1' } },
    });
    expect(history[3]).toMatchObject({
      actor: { userId: 'u-manager-1', role: 'manager' },
      cause: { kind: 'person', id: 'u-manager-1' },
      reason: 'Rep 1 moves to the EU territory',
      data: { from: 'u-rep-1', to: 'u-rep-2', cause: { kind: 'person', id: 'u-manager-1' } },
    });
  });

  it('adds, updates and removes contacts; a removal is a new event, not a deletion', async () => {
    const id = await register();
    const added = await api.post(`/api/accounts/${id}/contacts`, ahmed);
    expect(added).toMatchObject({
      status: 201,
      body: { id, revision: 1, events: ['ContactAdded'], contactId: expect.any(String) },
    });
    const { contactId } = added.body;

    const updated = await api.patch(`/api/accounts/${id}/contacts/${contactId}`, {
      phone: '+971509876543',
      title: null,
    });
    expect(updated).toMatchObject({ status: 200, body: { contactId, events: ['ContactUpdated'] } });
    expect((await account(id)).contacts[contactId]).toEqual({
      contactId,
      name: ahmed.name,
      email: ahmed.email,
      phone: '+971509876543',
      role: 'purchasing',
    });

    const removed = await api.post(`/api/accounts/${id}/contacts/${contactId}/remove`, {
      reason: 'Left the company',
    });
    expect(removed).toMatchObject({ status: 200, body: { events: ['ContactRemoved'] } });
    expect((await account(id)).contacts).toEqual({});
    expect(await eventTypes(id)).toEqual([
      'AccountRegistered',
      'ContactAdded',
      'ContactUpdated',
      'ContactRemoved',
    ]);
  });

  it('answers each kind of bad input with 400 problem+json naming the field and a validation code', async () => {
    const registration = await api.post('/api/accounts', {
      ...gulfValve,
      name: '   ',
      country: 'XX',
      website: 'not a domain',
      mainProducts: [],
      customerType: 'wholesaler',
      sourceChannel: 'carrier_pigeon',
      grade: 'D',
      timeZone: 'Mars/Olympus',
      certifications: ['CE', 'CE'],
      lifecycle: 'zombie',
      vip: true,
    });
    expect(registration.status).toBe(400);
    expect(registration.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(registration.body).toMatchObject({ status: 400, code: 'validation.failed' });
    expect(problems(registration)).toEqual(
      expect.arrayContaining([
        'name:validation.is_not_blank',
        'country:validation.is_iso31661_alpha2',
        'website:validation.is_fqdn',
        'mainProducts:validation.array_min_size',
        'customerType:validation.is_in',
        'sourceChannel:validation.is_in',
        'grade:validation.is_in',
        'timeZone:validation.is_iana_time_zone',
        'certifications:validation.array_unique',
        'lifecycle:validation.is_in',
        'vip:validation.whitelist_validation',
      ]),
    );

    const id = await register();
    const contactId = await addContact(id);
    const cases: Array<[() => Promise<HttpResult>, string[]]> = [
      [
        () =>
          api.patch(`/api/accounts/${id}`, { name: null, grade: 'A', language: 'not a language' }),
        [
          'name:validation.is_string',
          'grade:validation.whitelist_validation',
          'language:validation.is_locale',
        ],
      ],
      [
        () =>
          api.post(`/api/accounts/${id}/contacts`, {
            name: 'Li Wei',
            email: 'nope',
            phone: '12345',
            role: 'ceo',
          }),
        ['email:validation.is_email', 'phone:validation.is_e164_phone', 'role:validation.is_in'],
      ],
      [
        () =>
          api.patch(`/api/accounts/${id}/contacts/${contactId}`, {
            role: null,
            email: 'still-nope',
          }),
        ['role:validation.is_in', 'email:validation.is_email'],
      ],
      [
        () => api.post(`/api/accounts/${id}/contacts/${contactId}/remove`, {}),
        ['reason:validation.is_string'],
      ],
      [
        () => api.post(`/api/accounts/${id}/grade`, { grade: 'S' }),
        ['grade:validation.is_in', 'reason:validation.is_string'],
      ],
      [
        () => api.post(`/api/accounts/${id}/lifecycle`, { to: 'zombie', reason: 'x' }),
        ['to:validation.is_in'],
      ],
      [
        () => api.post(`/api/accounts/${id}/owner`, { to: '', reason: 'x' }),
        ['to:validation.is_not_blank'],
      ],
      [
        () =>
          api.post('/api/accounts/merge', {
            mergedId: 'x',
            survivorId: id,
            reason: 'dup',
            occurredAt: '2026-01-01T00:00:00Z',
          }),
        ['mergedId:validation.is_uuid', 'occurredAt:validation.whitelist_validation'],
      ],
      [() => api.post(`/api/accounts/${id}/unmerge`, {}), ['reason:validation.is_string']],
      [() => api.get('/api/accounts/nope'), ['id:validation.is_uuid']],
      [
        () => api.patch(`/api/accounts/${id}/contacts/nope`, { name: 'Li Wei' }),
        ['contactId:validation.is_uuid'],
      ],
      [
        () =>
          api.post(
            `/api/accounts/${id}/grade`,
            { grade: 'A', reason: 'x' },
            { 'idempotency-key': 'short' },
          ),
        ['Idempotency-Key:validation.idempotency_key'],
      ],
      [
        () => api.patch(`/api/accounts/${id}`, { ports: ['Dubai'] }, { 'if-match': 'yesterday' }),
        ['If-Match:validation.if_match'],
      ],
    ];
    for (const [request, expected] of cases) {
      const response = await request();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(problems(response)).toEqual(expect.arrayContaining(expected));
    }
    expect(await eventTypes(id)).toEqual(['AccountRegistered', 'ContactAdded']);
  });

  it('refuses what the business rules forbid with the domain code', async () => {
    for (const response of [
      await api.get(`/api/accounts/${UNKNOWN_ID}`),
      await api.get(`/api/accounts/${UNKNOWN_ID}/history`),
      await api.post(`/api/accounts/${UNKNOWN_ID}/grade`, { grade: 'A', reason: 'x' }),
    ]) {
      expect(response).toMatchObject({ status: 404, body: { code: 'account.not_found' } });
    }

    const id = await register({ lifecycle: 'active' });
    await addContact(id);
    const refusals: Array<[() => Promise<HttpResult>, number, string, string | undefined]> = [
      [
        () => api.post(`/api/accounts/${id}/grade`, { grade: 'B', reason: 'x' }),
        422,
        'account.grade_unchanged',
        'grade',
      ],
      [
        () => api.post(`/api/accounts/${id}/lifecycle`, { to: 'repeat', reason: 'x' }),
        422,
        'account.lifecycle_no_prior_win',
        'to',
      ],
      [
        () => api.patch(`/api/accounts/${id}`, { country: 'AE' }),
        422,
        'account.profile_unchanged',
        undefined,
      ],
      [
        () => api.post(`/api/accounts/${id}/contacts`, { ...ahmed, name: 'A. Al-Farsi' }),
        422,
        'account.contact_email_taken',
        'email',
      ],
      [
        () =>
          api.post(`/api/accounts/${id}/owner`, { to: 'u-rep-3', from: 'u-rep-9', reason: 'x' }),
        422,
        'account.owner_changed',
        'from',
      ],
      [
        () => api.post(`/api/accounts/${id}/owner`, { to: 'u-rep-1', reason: 'x' }),
        422,
        'account.already_owner',
        'to',
      ],
      [
        () => api.post(`/api/accounts/${id}/unmerge`, { reason: 'x' }),
        422,
        'account.not_merged',
        undefined,
      ],
      [
        () => api.post('/api/accounts/merge', { mergedId: id, survivorId: id, reason: 'x' }),
        422,
        'account.merge_into_self',
        'mergedId',
      ],
      [
        () =>
          api.post('/api/accounts/merge', { mergedId: id, survivorId: UNKNOWN_ID, reason: 'x' }),
        404,
        'account.not_found',
        'survivorId',
      ],
    ];
    for (const [request, status, code, field] of refusals) {
      const response = await request();
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status, code, ...(field ? { field } : {}) });
    }
    // Codes only: the filter maps these two to 400 and 422 today, though the first is a business
    // rule and the second an unknown record (reported; the mapping is not this slice's).
    const notAllowed = await api.post(`/api/accounts/${id}/lifecycle`, {
      to: 'potential',
      reason: 'x',
    });
    expect(notAllowed.body).toMatchObject({
      code: 'account.lifecycle_transition_invalid',
      field: 'to',
      details: { from: 'active', to: 'potential' },
    });
    const unknownContact = await api.post(`/api/accounts/${id}/contacts/${UNKNOWN_ID}/remove`, {
      reason: 'x',
    });
    expect(unknownContact.body).toMatchObject({
      code: 'account.contact_not_found',
      field: 'contactId',
    });
    expect(await eventTypes(id)).toEqual(['AccountRegistered', 'ContactAdded']);
  });

  it('answers a stale If-Match with 409 and the current revision', async () => {
    const id = await register();
    const read = await api.get(`/api/accounts/${id}`);
    const etag = read.headers.get('etag') as string;
    expect(
      (await api.patch(`/api/accounts/${id}`, { ports: ['Dubai'] }, { 'if-match': etag })).status,
    ).toBe(200);
    const stale = await api.post(
      `/api/accounts/${id}/grade`,
      { grade: 'A', reason: 'x' },
      { 'if-match': etag },
    );
    expect(stale).toMatchObject({
      status: 409,
      body: { code: 'concurrency.conflict', currentRevision: 1 },
    });
    const staleInBody = await api.patch(`/api/accounts/${id}`, {
      ports: ['Jebel Ali'],
      expectedRevision: 0,
    });
    expect(staleInBody.body).toMatchObject({ status: 409, currentRevision: 1 });
    expect(await eventTypes(id)).toEqual(['AccountRegistered', 'AccountProfileUpdated']);
  });

  it('replays a retry of every write route with the same Idempotency-Key and writes nothing twice', async () => {
    const once = async (
      send: (headers: Record<string, string>) => Promise<HttpResult>,
      streams: () => string[],
      idempotencyKey = key('retry'),
    ): Promise<HttpResult> => {
      const headers = { 'idempotency-key': idempotencyKey };
      // Lengths are taken after the first call: a registration's stream only exists then.
      const first = await send(headers);
      expect(first.status).toBeLessThan(300);
      expect(first.body.replayed).toBe(false);
      // Counted by the manager, who still sees the account once it is handed over.
      const count = (id: string) => eventTypes(id, manager).then((types) => types.length);
      const lengths = await Promise.all(streams().map(count));
      const again = await send(headers);
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      const after = await Promise.all(streams().map(count));
      expect(after).toEqual(lengths);
      return first;
    };

    const registration = key('register');
    // The new account's id is derived from the key, so a retry names the same account.
    const id = deriveId(`u-rep-1:${registration}`, 'account');
    const company = { ...gulfValve, website: site() };
    const registered = await once(
      (headers) => api.post('/api/accounts', company, headers),
      () => [id],
      registration,
    );
    expect(registered.body.id).toBe(id);
    const on = () => [id];
    await once((headers) => api.patch(`/api/accounts/${id}`, { ports: ['Dubai'] }, headers), on);
    await once(
      (headers) => api.post(`/api/accounts/${id}/grade`, { grade: 'A', reason: 'x' }, headers),
      on,
    );
    await once(
      (headers) =>
        api.post(`/api/accounts/${id}/lifecycle`, { to: 'active', reason: 'x' }, headers),
      on,
    );
    const added = await once(
      (headers) => api.post(`/api/accounts/${id}/contacts`, ahmed, headers),
      on,
    );
    const { contactId } = added.body;
    await once(
      (headers) =>
        api.patch(`/api/accounts/${id}/contacts/${contactId}`, { title: 'Buyer' }, headers),
      on,
    );
    await once(
      (headers) =>
        api.post(`/api/accounts/${id}/contacts/${contactId}/remove`, { reason: 'x' }, headers),
      on,
    );
    await once(
      (headers) =>
        manager.post(`/api/accounts/${id}/owner`, { to: 'u-rep-2', reason: 'x' }, headers),
      on,
    );

    const survivorId = await register();
    const both = () => [id, survivorId];
    await once(
      (headers) =>
        manager.post('/api/accounts/merge', { mergedId: id, survivorId, reason: 'dup' }, headers),
      both,
    );
    await once(
      (headers) => manager.post(`/api/accounts/${id}/unmerge`, { reason: 'not a dup' }, headers),
      both,
    );
    expect(await eventTypes(id, manager)).toEqual([
      'AccountRegistered',
      'AccountProfileUpdated',
      'AccountGradeChanged',
      'AccountLifecycleChanged',
      'ContactAdded',
      'ContactUpdated',
      'ContactRemoved',
      'AccountOwnershipTransferred',
      'AccountMergedInto',
      'AccountUnmerged',
    ]);
  });

  it('merges a duplicate and unmerges it: both histories kept, contacts moved and back', async () => {
    const duplicateId = await register({
      name: 'Gulf Valve Trading',
      website: 'gulfvalve-trading.ae',
    });
    const survivorId = await register();
    const movedId = await addContact(duplicateId);
    const stayingId = await addContact(survivorId, {
      name: 'Sara Haddad',
      email: 'sara@gulf-valve.ae',
      role: 'finance',
    });

    const mergeKey = key('merge');
    const merged = await manager.post(
      '/api/accounts/merge',
      { mergedId: duplicateId, survivorId, reason: 'Same company, registered twice' },
      { 'idempotency-key': mergeKey },
    );
    expect(merged).toMatchObject({
      status: 200,
      body: {
        mergeId: deriveId(`account-${duplicateId}:${mergeKey}`, 'merge'),
        mergedId: duplicateId,
        survivorId,
        events: ['AccountMergedInto', 'AccountAbsorbed'],
        replayed: false,
      },
    });
    expect(await account(duplicateId)).toMatchObject({
      contacts: {},
      mergedInto: { survivorId, mergeId: merged.body.mergeId, movedContactIds: [movedId] },
    });
    expect(Object.keys((await account(survivorId)).contacts).sort()).toEqual(
      [movedId, stayingId].sort(),
    );

    const retried = await manager.post(
      '/api/accounts/merge',
      { mergedId: duplicateId, survivorId, reason: 'Same company, registered twice' },
      { 'idempotency-key': mergeKey },
    );
    expect(retried.body).toEqual({ ...merged.body, replayed: true });

    // The duplicate is read-only while merged: work happens on the survivor.
    expect(
      (await api.post(`/api/accounts/${duplicateId}/grade`, { grade: 'A', reason: 'x' })).body,
    ).toMatchObject({ status: 422, code: 'account.merged', details: { survivorId } });
    await api.patch(`/api/accounts/${survivorId}/contacts/${movedId}`, {
      title: 'Head of Purchasing',
    });
    const laterId = await addContact(survivorId, { name: 'Omar Said', role: 'engineering' });

    const unmergeKey = key('unmerge');
    const unmerged = await manager.post(
      `/api/accounts/${duplicateId}/unmerge`,
      { reason: 'Sister companies after all' },
      { 'idempotency-key': unmergeKey },
    );
    expect(unmerged).toMatchObject({
      status: 200,
      body: {
        mergeId: merged.body.mergeId,
        accountId: duplicateId,
        survivorId,
        returnedContactIds: [movedId],
        events: ['AccountUnmerged', 'MergedAccountReleased'],
        replayed: false,
      },
    });
    const again = await manager.post(
      `/api/accounts/${duplicateId}/unmerge`,
      { reason: 'Sister companies after all' },
      { 'idempotency-key': unmergeKey },
    );
    expect(again.body).toEqual({ ...unmerged.body, replayed: true });

    const duplicate = await account(duplicateId);
    expect(duplicate.mergedInto).toBeUndefined();
    expect(duplicate.contacts).toEqual({
      [movedId]: { ...ahmed, contactId: movedId, title: 'Head of Purchasing' },
    });
    expect(Object.keys((await account(survivorId)).contacts).sort()).toEqual(
      [stayingId, laterId].sort(),
    );
    expect(await eventTypes(duplicateId)).toEqual([
      'AccountRegistered',
      'ContactAdded',
      'AccountMergedInto',
      'AccountUnmerged',
    ]);
    expect(await eventTypes(survivorId)).toEqual([
      'AccountRegistered',
      'ContactAdded',
      'AccountAbsorbed',
      'ContactUpdated',
      'ContactAdded',
      'MergedAccountReleased',
    ]);
    const survivorHistory = (await api.get(`/api/accounts/${survivorId}/history`)).body;
    expect(survivorHistory[2]).toMatchObject({
      commandId: `${mergeKey}/account-${duplicateId}/absorb`,
      actor: { userId: 'u-manager-1', role: 'manager' },
      reason: 'Same company, registered twice',
    });
  });

  it('refuses a merge the survivor cannot take before writing anything', async () => {
    const duplicateId = await register();
    const survivorId = await register();
    const thirdId = await register();
    await addContact(duplicateId);
    expect(
      (
        await manager.post('/api/accounts/merge', {
          mergedId: survivorId,
          survivorId: thirdId,
          reason: 'dup',
        })
      ).status,
    ).toBe(200);

    const refused = await manager.post('/api/accounts/merge', {
      mergedId: duplicateId,
      survivorId,
      reason: 'dup',
    });
    expect(refused.body).toMatchObject({
      status: 422,
      code: 'account.merged',
      details: { survivorId: thirdId },
    });
    expect(await eventTypes(duplicateId)).toEqual(['AccountRegistered', 'ContactAdded']);
    expect(await account(duplicateId)).not.toHaveProperty('mergedInto');
  });

  it('completes a merge that crashed between its two appends when retried with the same key', async () => {
    const duplicateId = await register();
    const survivorId = await register();
    const movedId = await addContact(duplicateId);
    const mergeKey = key('crash');

    // Only the first step reaches the store, as if the process died before the second.
    await running.app.get(CommandBus).execute(
      new ExecuteDomainCommand(
        'account',
        duplicateId,
        {
          type: 'MergeAccountInto',
          data: {
            accountId: duplicateId,
            survivorId,
            mergeId: deriveId(`account-${duplicateId}:${mergeKey}`, 'merge'),
            reason: 'Same company, registered twice',
            cause: { kind: 'person', id: 'u-manager-1' },
          },
        },
        {
          commandId: mergeKey,
          actor: { userId: 'u-manager-1', role: 'manager' },
          cause: { kind: 'person', id: 'u-manager-1' },
          reason: 'Same company, registered twice',
        },
      ),
    );
    expect(await eventTypes(duplicateId)).toEqual([
      'AccountRegistered',
      'ContactAdded',
      'AccountMergedInto',
    ]);
    expect(await eventTypes(survivorId)).toEqual(['AccountRegistered']);

    const resumed = await manager.post(
      '/api/accounts/merge',
      { mergedId: duplicateId, survivorId, reason: 'Same company, registered twice' },
      { 'idempotency-key': mergeKey },
    );
    expect(resumed).toMatchObject({
      status: 200,
      body: {
        mergeId: deriveId(`account-${duplicateId}:${mergeKey}`, 'merge'),
        events: ['AccountMergedInto', 'AccountAbsorbed'],
        replayed: false,
      },
    });
    expect(await eventTypes(duplicateId)).toEqual([
      'AccountRegistered',
      'ContactAdded',
      'AccountMergedInto',
    ]);
    expect(await eventTypes(survivorId)).toEqual(['AccountRegistered', 'AccountAbsorbed']);
    expect(Object.keys((await account(survivorId)).contacts)).toEqual([movedId]);

    const retried = await manager.post(
      '/api/accounts/merge',
      { mergedId: duplicateId, survivorId, reason: 'Same company, registered twice' },
      { 'idempotency-key': mergeKey },
    );
    expect(retried.body).toEqual({ ...resumed.body, replayed: true });
    expect(await eventTypes(survivorId)).toEqual(['AccountRegistered', 'AccountAbsorbed']);
  });
});
