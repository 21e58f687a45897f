import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SagaCommand } from '../../sagas/saga';
import { ReassignLeadByRule } from '../../src/assignment/reassign-lead-by-rule';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { sagaDispatch } from '../../src/saga-runner/saga-dispatch';
import { CLOCK, Clock } from '../../src/shared/clock';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;
type Entry = {
  type: string;
  revision: number;
  correlationId: string;
  cause: { kind: string; id: string; version?: number } | null;
  reason?: string;
  data: Record<string, unknown>;
  links: Array<{ aggregate: string; id: string; type: string }> | null;
};

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

jest.setTimeout(120_000);

/**
 * An SLA ladder whose last rung reassigns through the assignment rules, live through HTTP on the
 * file clock: the lead goes to another rep by the rule that routed it (never back to the owner who
 * missed the SLA), and the lead's history chains the escalation decision to the handover.
 */
describe('SLA reassignment through the assignment rules (file clock)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-sla-reassign-'));
  const clockFile = join(dataDir, 'clock.txt');
  const setClock = (at: string) => writeFileSync(clockFile, at);
  let running: RunningApp;
  let manager: Client;
  let intake: Client;
  const reps = ['u-rsg-anna', 'u-rsg-ben'];

  const lead = async (id: string) => (await manager.get(`/api/leads/${id}`)).body.state;
  const history = async (id: string): Promise<Entry[]> => {
    const response = await manager.get(`/api/leads/${id}/history`);
    expect(response.status).toBe(200);
    return response.body as Entry[];
  };
  const receive = async (email: string): Promise<string> => {
    const created = await intake.post('/api/inquiries', {
      channel: 'website_form',
      inquirer: { name: 'Buyer', email, company: `Buyer ${email}`, country: 'DE' },
    });
    expect(created.body.events).toEqual(['InquiryReceived', 'LeadAssigned']);
    return created.body.id;
  };

  beforeAll(async () => {
    // Monday 2 March 2026, 09:00 in Berlin: the DACH team is on shift.
    setClock('2026-03-02T08:00:00.000Z');
    running = await startApp(dataDir, { env: { TEST_CLOCK_FILE: clockFile } });
    manager = httpClient(running.baseUrl, { id: 'u-rsg-mgr', role: 'manager' });
    const admin = manager.as({ id: 'u-rsg-admin', role: 'admin' });
    const team = await admin.post('/api/teams', {
      teamId: 'dach-sales',
      name: 'DACH',
      region: ['DE'],
      productLines: [],
      calendarKey: 'berlin-sales',
    });
    expect(team.status).toBe(201);
    for (const id of reps)
      await manager.as({ id, role: 'rep', teamId: 'dach-sales' }).get('/api/auth/me');

    // Remind the owner at 5 minutes, reassign at 10; a handover restarts the clock.
    const ops = manager.as({ id: 'u-rsg-ops', role: 'operations' });
    const current = (await ops.get('/api/policies/sla.default')).body.body;
    const published = await ops.put(
      '/api/policies/sla.default',
      {
        ...current,
        proposal: { ...current.proposal, enabled: false },
        firstResponse: {
          ...current.firstResponse,
          mode: 'calendar',
          targetMinutes: 30,
          onHandover: 'restart',
          ladder: [
            { level: 1, afterMinutes: 5, action: 'remind_owner' },
            { level: 2, afterMinutes: 10, action: 'reassign' },
          ],
        },
      },
      { 'if-match': '*' },
    );
    expect(published.status).toBe(200);
    intake = manager.as({ id: 'rsg-web-form', role: 'intake' });
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let leadId: string;
  let firstOwner: string;
  let answeredId: string;
  const runStart = '2026-03-02T08:00:00.000Z';

  it('the reassign rung hands the lead to another rep by the rule that routed it', async () => {
    leadId = await receive('reassign@buyer-r.de');
    answeredId = await receive('answered@buyer-a.de');
    firstOwner = (await lead(leadId)).ownerId;
    expect(reps).toContain(firstOwner);
    const assigned = (await history(leadId)).find((e) => e.type === 'LeadAssigned') as Entry;
    expect(assigned.cause).toEqual({
      kind: 'rule',
      id: 'assignment.default#dach-inquiries',
      version: 1,
    });

    // The other lead is answered before its rung: its clock stops and nothing is reassigned.
    setClock('2026-03-02T08:03:00.000Z');
    const answerer = manager.as({
      id: (await lead(answeredId)).ownerId,
      role: 'rep',
      teamId: 'dach-sales',
    });
    const answered = await answerer.post(`/api/leads/${answeredId}/responses`, {
      direction: 'outbound',
      channel: 'email',
      at: '2026-03-02T08:03:00.000Z',
    });
    expect(answered.status).toBe(200);
    const answeredOwner = (await lead(answeredId)).ownerId;

    setClock('2026-03-02T08:11:00.000Z');
    const moved = await until(
      'reassigned',
      () => lead(leadId),
      (body) => body.ownerId !== undefined && body.ownerId !== firstOwner,
    );
    expect(reps).toContain(moved.ownerId);
    expect(moved.ownerId).not.toBe(firstOwner);

    const transfer = await until(
      'transfer in history',
      () => history(leadId),
      (entries) => entries.some((e) => e.type === 'LeadOwnershipTransferred'),
    );
    const handover = transfer.find((e) => e.type === 'LeadOwnershipTransferred') as Entry;
    expect(handover.data).toMatchObject({
      from: firstOwner,
      to: moved.ownerId,
      cause: { kind: 'rule', id: 'assignment.default#dach-inquiries', version: 1 },
    });
    expect(handover.cause).toEqual({
      kind: 'rule',
      id: 'assignment.default#dach-inquiries',
      version: 1,
    });
    expect(handover.reason).toMatch(
      /^SLA escalation \(sla\.default v\d+ level 2\): first response not sent by 2026-03-02T08:30:00\.000Z; least loaded \(\d+ open\) in team dach-sales under assignment\.default v1 rule dach-inquiries/,
    );
    expect(handover.correlationId).toBe(`sla-escalation:${leadId}:first_response:${runStart}:L2`);
    expect((await lead(answeredId)).ownerId).toBe(answeredOwner);
  });

  it('the history links the escalation decision and the reassignment under one correlation id', async () => {
    const correlationId = `sla-escalation:${leadId}:first_response:${runStart}:L2`;
    const entries = await until(
      'linked history',
      () => history(leadId),
      (list) =>
        list.some(
          (e) =>
            e.type === 'LeadOwnershipTransferred' &&
            (e.links ?? []).some((l) => l.type === 'AutomationDecisionRecorded'),
        ),
    );
    const handover = entries.find((e) => e.type === 'LeadOwnershipTransferred') as Entry;
    expect(handover.links).toEqual([
      expect.objectContaining({
        aggregate: 'automation',
        id: leadId,
        type: 'AutomationDecisionRecorded',
      }),
    ]);

    // The reminder rung's task and its decision share that rung's own correlation id.
    const reminderChain = `sla-escalation:${leadId}:first_response:${runStart}:L1`;
    const events = await running.app.get<EventStore>(EVENT_STORE).readAll();
    const chain = (id: string) =>
      events
        .filter((e) => e.metadata.$correlationId === id)
        .map((e) => `${e.streamName.split('-')[0]} ${e.type}`)
        .sort();
    expect(chain(correlationId)).toEqual([
      'automation AutomationDecisionRecorded',
      'lead LeadOwnershipTransferred',
    ]);
    expect(chain(reminderChain)).toEqual([
      'automation AutomationDecisionRecorded',
      'task TaskCreated',
    ]);

    // The restart on handover: the old run cancelled, a new run for the new owner from 08:10.
    const decisions = events.filter(
      (e) => e.streamName === `automation-${leadId}` && e.type === 'AutomationDecisionRecorded',
    );
    expect(
      decisions.some(
        (e) => e.data.step === 'first_response.run' && e.data.decision === 'cancelled',
      ),
    ).toBe(true);
    expect(
      decisions.find(
        (e) =>
          e.data.step === 'first_response.target' &&
          (e.data.detail as Record<string, unknown>).cause === 'handover',
      )?.data.detail,
    ).toMatchObject({ ownerId: (await lead(leadId)).ownerId, cause: 'handover' });
  });

  it('the ownership ledger shows the reassignment with its rule and correlation id', async () => {
    const ledger = await until(
      'ledger',
      async () => (await manager.get(`/api/audit/ownership/lead/${leadId}`)).body,
      (body) => JSON.stringify(body).includes('LeadOwnershipTransferred'),
    );
    const rows = (ledger.rows ?? ledger.entries ?? ledger) as Array<Record<string, unknown>>;
    const row = rows.find((r) => r.eventType === 'LeadOwnershipTransferred');
    expect(row).toMatchObject({
      from: firstOwner,
      to: (await lead(leadId)).ownerId,
      cause: 'rule',
      causeId: 'assignment.default#dach-inquiries',
      causeVersion: 1,
      correlationId: `sla-escalation:${leadId}:first_response:${runStart}:L2`,
    });
  });

  it('a redelivered reassignment does nothing; one for an answered lead is refused and logged', async () => {
    const store = running.app.get<EventStore>(EVENT_STORE);
    const dispatch = sagaDispatch(running.app.get(CommandBus), running.app.get<Clock>(CLOCK));
    const command = (id: string, fromOwnerId: string): SagaCommand => ({
      aggregate: 'lead',
      id,
      commandId: `sla-escalation:${id}:first_response:${runStart}:L2:reassign`,
      correlationId: `sla-escalation:${id}:first_response:${runStart}:L2`,
      type: 'ReassignLeadByRule',
      data: { leadId: id, fromOwnerId, clock: 'first_response', level: 2 },
      occurredAt: '2026-03-02T08:10:00.000Z',
      reason: 'SLA escalation (test)',
      policy: { id: 'sla.default', version: 2 },
    });
    const before = (await store.readStream(`lead-${leadId}`)).length;
    await dispatch(command(leadId, firstOwner), 'sla-escalation');
    expect((await store.readStream(`lead-${leadId}`)).length).toBe(before);

    const answeredBefore = await store.readStream(`lead-${answeredId}`);
    const owner = (await lead(answeredId)).ownerId;
    await expect(dispatch(command(answeredId, owner), 'sla-escalation')).resolves.toBeUndefined();
    expect(await store.readStream(`lead-${answeredId}`)).toHaveLength(answeredBefore.length);
    await expect(
      running.app.get(CommandBus).execute(
        new ReassignLeadByRule(
          { leadId: answeredId, fromOwnerId: owner, clock: 'first_response', level: 2 },
          {
            commandId: 'direct-refusal',
            actor: { userId: 'system', role: 'system' },
            occurredAt: '2026-03-02T08:10:00.000Z',
          },
        ),
      ),
    ).rejects.toMatchObject({ code: 'sla.reassign_answered' });
  });
});
