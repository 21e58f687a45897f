import { leadQueueProjection, QUEUE_LEADS } from '../../projections/lead-queue.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { leadQueue, nurtureQueue } from '../../src/reports/leads/lead-queue.query';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// u1 and u2 are reps. Lead b is handed over from u2 to u1; lead c is a back-dated import recorded
// after the others; lead d is qualified and converted, lead e disqualified.

const person = { kind: 'person', id: 'mgr' };

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received: (
      at: string,
      channel: string,
      inquirer: Record<string, unknown>,
      live = true,
      by = 'u1',
    ) =>
      recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel,
          payloadHash: 'f'.repeat(64),
          inquirer,
          attachments: [],
          live,
          receivedAt: at,
        },
        at,
        { actor: { userId: by, role: 'rep' } },
      ),
    assigned: (to: string, at: string) =>
      recorded(stream, 'LeadAssigned', { leadId: id, to, reason: 'rule', cause: person }, at),
    transferred: (from: string, to: string, at: string) =>
      recorded(
        stream,
        'LeadOwnershipTransferred',
        { leadId: id, from, to, reason: 'leave', cause: person },
        at,
      ),
    response: (direction: 'inbound' | 'outbound', at: string, recordedAt = at) =>
      recorded(
        stream,
        'LeadResponseRecorded',
        { leadId: id, direction, channel: 'email', at },
        recordedAt,
      ),
    firstResponse: (at: string, recordedAt = at) =>
      recorded(
        stream,
        'FirstResponseRecorded',
        { leadId: id, at, channel: 'email', secondsSinceInquiry: 0 },
        recordedAt,
      ),
    scored: (total: number, recommendation: string, at: string) =>
      recorded(
        stream,
        'LeadScored',
        {
          leadId: id,
          dimensions: {},
          total,
          recommendation,
          policy: { id: 'scoring.default', version: 1 },
        },
        at,
      ),
    qualified: (at: string) => recorded(stream, 'LeadQualified', { leadId: id }, at),
    nurtured: (at: string, reason?: string) =>
      recorded(stream, 'LeadNurtured', { leadId: id, ...(reason ? { reason } : {}) }, at),
    disqualified: (at: string) =>
      recorded(stream, 'LeadDisqualified', { leadId: id, reason: 'spam' }, at),
    converted: (owner: string, at: string) =>
      recorded(
        stream,
        'LeadConverted',
        {
          leadId: id,
          ownerId: owner,
          channel: 'alibaba',
          accountId: 'acc-d',
          contactId: 'c-d',
          dealId: 'deal-d',
          deal: {},
        },
        at,
      ),
  };
}

const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map(lead);

const EVENTS: RecordedEvent[] = history([
  d.received('2026-03-01T07:00:00.000Z', 'email', { company: 'Delta SA', country: 'FR' }),
  d.assigned('u1', '2026-03-01T07:00:00.000Z'),
  a.received('2026-03-02T08:00:00.000Z', 'alibaba', {
    company: 'Acme GmbH',
    country: 'DE',
    name: 'Anna',
  }),
  a.assigned('u1', '2026-03-02T08:00:00.000Z'),
  b.received(
    '2026-03-02T09:00:00.000Z',
    'trade_show',
    { company: 'Gulf Trading', country: 'AE' },
    true,
    'u2',
  ),
  b.assigned('u2', '2026-03-02T09:10:00.000Z'),
  a.response('outbound', '2026-03-02T08:20:00.000Z'),
  a.firstResponse('2026-03-02T08:20:00.000Z'),
  a.response('inbound', '2026-03-02T11:00:00.000Z'),
  b.scored(22, 'nurture', '2026-03-02T10:00:00.000Z'),
  d.qualified('2026-03-02T12:00:00.000Z'),
  d.converted('u1', '2026-03-03T09:00:00.000Z'),
  b.transferred('u2', 'u1', '2026-03-04T09:00:00.000Z'),
  e.received('2026-03-05T10:00:00.000Z', 'website_form', { company: 'Spam Ltd' }),
  e.assigned('u1', '2026-03-05T10:00:00.000Z'),
  e.disqualified('2026-03-05T11:00:00.000Z'),
  f.received('2026-03-06T10:00:00.000Z', 'linkedin', { company: 'Fjord AS', country: 'NO' }),
  f.assigned('u2', '2026-03-06T10:00:00.000Z'),
  f.scored(30, 'nurture', '2026-03-06T11:00:00.000Z'),
  f.qualified('2026-03-06T12:00:00.000Z'),
  // c: imported later with its February dates; set aside by the rep with a reason.
  c.received(
    '2026-02-01T10:00:00.000Z',
    'made_in_china',
    { company: 'Cobalt Ltd', country: 'GB' },
    false,
  ),
  c.assigned('u1', '2026-02-01T10:00:00.000Z'),
  c.nurtured('2026-03-03T10:00:00.000Z', 'Budget next quarter'),
]);

const NOW = new Date('2026-03-06T12:00:00.000Z');

describe('lead queue projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(leadQueueProjection, EVENTS);
  });
  afterAll(() => model.close());

  it("lists an owner's open leads oldest first, after a handover, with SLA times and score", async () => {
    // u1 holds a (answered → working), b (handed over from u2, not answered → new).
    // d is converted, e disqualified, c nurtured: none of them is in the open queue.
    const rows = await leadQueue(model.store, model.name, {
      owners: ['u1'],
      statuses: ['new', 'working'],
      limit: 50,
      now: NOW,
    });
    expect(rows).toEqual([
      expect.objectContaining({
        leadId: 'a',
        owner: 'u1',
        status: 'working',
        channel: 'alibaba',
        country: 'DE',
        region: 'europe',
        company: 'Acme GmbH',
        receivedAt: '2026-03-02T08:00:00.000Z',
        responded: 1,
        firstResponseAt: '2026-03-02T08:20:00.000Z',
        waitingSeconds: null,
        lastInboundAt: '2026-03-02T11:00:00.000Z',
        score: null,
      }),
      expect.objectContaining({
        leadId: 'b',
        owner: 'u1',
        status: 'new',
        responded: 0,
        firstResponseAt: null,
        // 2026-03-02T09:00 → 2026-03-06T12:00 = 4 d 3 h = 356 400 s.
        waitingSeconds: 356_400,
        score: 22,
        recommendation: 'nurture',
        inNurture: 1,
      }),
    ]);
    // u2 gave b away; f is qualified (working).
    const u2 = await leadQueue(model.store, model.name, {
      owners: ['u2'],
      statuses: ['new', 'working'],
      limit: 50,
      now: NOW,
    });
    expect(u2.map((row) => [row.leadId, row.status])).toEqual([['f', 'working']]);
    // Only the unanswered ones, over everyone.
    const fresh = await leadQueue(model.store, model.name, {
      statuses: ['new'],
      limit: 50,
      now: NOW,
    });
    expect(fresh.map((row) => row.leadId)).toEqual(['b']);
  });

  it('keeps the nurture queue: set aside by a rep, or an open lead scored for nurturing', async () => {
    // c: nurtured 2026-03-03T10:00 (a reason was given, sealed in the event);
    // b: scored "nurture" at 2026-03-02T10:00 and still new.
    // f: scored "nurture" but then qualified, so it left the queue.
    const rows = await nurtureQueue(model.store, model.name, { limit: 50 });
    expect(rows).toEqual([
      expect.objectContaining({
        leadId: 'c',
        owner: 'u1',
        leadStatus: 'nurturing',
        nurtureSince: '2026-03-03T10:00:00.000Z',
        nurtureReason: 'nurtured',
        nurturedAt: '2026-03-03T10:00:00.000Z',
        reasonNoted: 1,
        receivedAt: '2026-02-01T10:00:00.000Z',
      }),
      expect.objectContaining({
        leadId: 'b',
        owner: 'u1',
        leadStatus: 'new',
        nurtureSince: '2026-03-02T10:00:00.000Z',
        nurtureReason: 'score',
        score: 22,
        scorePolicy: 'scoring.default@1',
      }),
    ]);
    expect(await nurtureQueue(model.store, model.name, { owners: ['u2'], limit: 50 })).toEqual([]);
  });

  it('keeps closed leads with their outcome, out of both queues', async () => {
    expect(await model.get(QUEUE_LEADS, 'd')).toMatchObject({
      status: 'converted',
      dealId: 'deal-d',
      closedAt: '2026-03-03T09:00:00.000Z',
      inNurture: false,
    });
    expect(await model.get(QUEUE_LEADS, 'e')).toMatchObject({
      status: 'disqualified',
      owner: 'u1',
    });
  });

  it('answers an indexed find per owner, including the leads nobody holds yet', async () => {
    const unassigned = history([
      lead('g').received('2026-03-06T09:00:00.000Z', 'email', { company: 'Gamma' }, true, 'u3'),
    ]);
    const one = await project(leadQueueProjection, unassigned);
    try {
      const rows = await leadQueue(one.store, one.name, {
        owners: [null],
        statuses: ['new'],
        limit: 10,
        now: NOW,
      });
      expect(rows).toEqual([
        expect.objectContaining({ leadId: 'g', owner: null, waitingSeconds: 10_800 }),
      ]);
    } finally {
      await one.close();
    }
  });
});

describe('lead-queue: rebuilds', () => {
  it('gives identical documents from the same events, whatever the batch size', async () => {
    const [one, seven] = await Promise.all([
      project(leadQueueProjection, EVENTS, 1),
      project(leadQueueProjection, EVENTS, 7),
    ]);
    try {
      for (const { name } of leadQueueProjection.collections) {
        const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
        expect(await seven.find(name, sorted)).toEqual(await one.find(name, sorted));
      }
    } finally {
      await Promise.all([one.close(), seven.close()]);
    }
  });
});

describe('lead-queue: first-response due times from the SLA saga', () => {
  // Lead h arrives Monday 2026-03-09 08:00 UTC (09:00 Berlin) for u1: due 08:30 in business time.
  // The owner is reminded at 08:20; a handover at 08:25 restarts the clock for u2 (due 08:55); the
  // deadline passes; the team lead is chased at 08:55; u2 answers at 09:10.
  const h = lead('h');
  const decision = (
    decision: string,
    step: string,
    at: string,
    extra: { dueAt?: string; detail?: Record<string, unknown> } = {},
  ) =>
    recorded(
      'automation-h',
      'AutomationDecisionRecorded',
      {
        saga: 'sla-escalation',
        recordKind: 'lead',
        recordId: 'h',
        decision,
        step,
        ...extra,
        policy: { id: 'sla.default', version: 1 },
      },
      at,
    );
  const steps = [
    h.received('2026-03-09T08:00:00.000Z', 'email', { company: 'Hansa GmbH', country: 'DE' }),
    h.assigned('u1', '2026-03-09T08:00:00.000Z'),
    decision('scheduled', 'first_response.target', '2026-03-09T08:00:00.000Z', {
      dueAt: '2026-03-09T08:30:00.000Z',
    }),
    decision('scheduled', 'first_response.level_1', '2026-03-09T08:00:00.000Z', {
      dueAt: '2026-03-09T08:20:00.000Z',
      detail: { clock: 'first_response', level: 1, action: 'remind_owner' },
    }),
    // The proposal clock's decisions do not touch the first-response due time.
    decision('scheduled', 'proposal.target', '2026-03-09T08:00:00.000Z', {
      dueAt: '2026-03-10T08:00:00.000Z',
    }),
    decision('task_created', 'first_response.level_1', '2026-03-09T08:20:00.000Z', {
      dueAt: '2026-03-09T08:30:00.000Z',
      detail: { clock: 'first_response', level: 1, action: 'remind_owner' },
    }),
    h.transferred('u1', 'u2', '2026-03-09T08:25:00.000Z'),
    decision('cancelled', 'first_response.run', '2026-03-09T08:25:00.000Z', {
      dueAt: '2026-03-09T08:30:00.000Z',
      detail: { clock: 'first_response', reason: 'handover' },
    }),
    decision('scheduled', 'first_response.target', '2026-03-09T08:25:00.000Z', {
      dueAt: '2026-03-09T08:55:00.000Z',
    }),
    decision('flagged', 'first_response.breach', '2026-03-09T08:55:00.000Z', {
      dueAt: '2026-03-09T08:55:00.000Z',
      detail: { clock: 'first_response', breach: true },
    }),
    decision('escalated', 'first_response.level_2', '2026-03-09T08:55:00.000Z', {
      dueAt: '2026-03-09T08:55:00.000Z',
      detail: { clock: 'first_response', level: 2, action: 'escalate_team_lead' },
    }),
    h.response('outbound', '2026-03-09T09:10:00.000Z'),
    h.firstResponse('2026-03-09T09:10:00.000Z'),
    decision('stopped', 'first_response.stop', '2026-03-09T09:10:00.000Z', {
      dueAt: '2026-03-09T08:55:00.000Z',
      detail: { clock: 'first_response', reason: 'responded', inTime: false },
    }),
  ];

  /** The queue row of h after the first `count` events. */
  async function after(count: number, now: string) {
    const model = await project(leadQueueProjection, history(steps.slice(0, count)));
    try {
      const rows = await leadQueue(model.store, model.name, {
        statuses: ['new', 'working'],
        limit: 10,
        now: new Date(now),
      });
      const row = rows[0];
      return [row.owner, row.firstResponseDueAt, row.secondsToDue, row.slaLevel, row.slaBreached];
    } finally {
      await model.close();
    }
  }

  it('shows the due time and ladder level of the current run, and clears them on response', async () => {
    expect(await after(2, '2026-03-09T08:05:00.000Z')).toEqual(['u1', null, null, 0, 0]);
    // 08:30 − 08:05 = 1 500 s to go.
    expect(await after(5, '2026-03-09T08:05:00.000Z')).toEqual([
      'u1',
      '2026-03-09T08:30:00.000Z',
      1_500,
      0,
      0,
    ]);
    expect(await after(6, '2026-03-09T08:21:00.000Z')).toEqual([
      'u1',
      '2026-03-09T08:30:00.000Z',
      540,
      1,
      0,
    ]);
    // Restarted for the new owner: a new deadline, the ladder from the bottom.
    expect(await after(9, '2026-03-09T08:26:00.000Z')).toEqual([
      'u2',
      '2026-03-09T08:55:00.000Z',
      1_740,
      0,
      0,
    ]);
    // Overdue: 09:00 is 300 s past the deadline.
    expect(await after(11, '2026-03-09T09:00:00.000Z')).toEqual([
      'u2',
      '2026-03-09T08:55:00.000Z',
      -300,
      2,
      1,
    ]);
    expect(await after(steps.length, '2026-03-09T09:30:00.000Z')).toEqual(['u2', null, null, 0, 0]);
  });
});
