import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stagesDefault from '../../config/policies/stages.default.json';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;
interface ListedTask {
  id: string;
  title: string;
  dueAt: string;
  assigneeId: string;
  linkedTo: { kind: string; id: string };
  sourceSaga: string | null;
}

const HOUR_MS = 3_600_000;
const titlesOf = (stage: string) =>
  (stagesDefault.openStages.find((s) => s.key === stage)?.taskTemplates ?? []).map((t) => ({
    title: t.title.en,
    hours: t.dueOffsetHours,
  }));

/**
 * The deal sagas through HTTP on a clock the test moves (TEST_CLOCK_FILE): entering a stage creates
 * its template tasks for the owner; a sent quote's reminder fires at the start of the customer's
 * working day, in Riyadh, where Sunday is a working day.
 */
describe('deal sagas live, on the file clock', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-sagas-live-'));
  const clockFile = join(dataDir, 'clock.txt');
  const setClock = (at: string) => writeFileSync(clockFile, at);
  let running: RunningApp;
  let rep: Client;
  let manager: Client;
  let dealId: string;

  const dealTasks = async (reader = manager): Promise<ListedTask[]> => {
    const listed = await reader.get('/api/reports/tasks?assignee=u-rep-1&limit=500');
    expect(listed.status).toBe(200);
    // The SLA saga's tasks on the same deal are not this test's.
    return (listed.body.tasks as ListedTask[]).filter(
      (t) => t.linkedTo.id === dealId && t.sourceSaga !== 'sla-escalation',
    );
  };
  const waitForTasks = async (
    check: (tasks: ListedTask[]) => boolean,
    reader = manager,
  ): Promise<ListedTask[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const tasks = await dealTasks(reader);
      if (check(tasks)) return tasks;
      if (Date.now() > deadline) throw new Error(`tasks not as expected: ${JSON.stringify(tasks)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    // Tuesday 3 March 2026, 09:00 in Berlin, 11:00 in Riyadh.
    setClock('2026-03-03T08:00:00.000Z');
    running = await startApp(dataDir, { env: { TEST_CLOCK_FILE: clockFile } });
    rep = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
    manager = rep.as({ id: 'u-mgr-1', role: 'manager' });
  });
  afterAll(() => running.stop());

  it('creates the stage’s template tasks for the owner on entry, due their offset after it', async () => {
    const leadId = (
      await rep.post('/api/inquiries', {
        channel: 'alibaba',
        inquirer: {
          name: 'Faisal Al-Harbi',
          email: 'faisal@riyadh-pumps.sa',
          company: 'Riyadh Pumps Trading',
          country: 'SA',
        },
      })
    ).body.id;
    await rep.post(`/api/leads/${leadId}/owner`, { to: 'u-rep-1', reason: 'Gulf territory' });
    const converted = await rep.post(`/api/leads/${leadId}/convert`, {
      newAccount: {
        name: 'Riyadh Pumps Trading',
        country: 'SA',
        timeZone: 'Asia/Riyadh',
        website: 'riyadh-pumps.sa',
        mainProducts: ['pumps'],
        customerType: 'distributor',
        grade: 'A',
      },
      deal: { title: 'Centrifugal pumps', productLine: 'pumps', currency: 'USD' },
    });
    expect(converted.status).toBe(201);
    dealId = converted.body.dealId;

    const opened = Date.parse('2026-03-03T08:00:00.000Z');
    const initial = titlesOf('initial_contact');
    const first = await waitForTasks((tasks) => tasks.length >= initial.length);
    // The owner has no team calendar here: offsets count in calendar hours.
    expect(first.map((t) => [t.title, t.dueAt, t.assigneeId]).sort()).toEqual(
      initial
        .map((t) => [t.title, new Date(opened + t.hours * HOUR_MS).toISOString(), 'u-rep-1'])
        .sort(),
    );

    setClock('2026-03-03T09:00:00.000Z');
    const path = `/api/deals/${dealId}`;
    expect(
      (await rep.patch(path, { amount: { minor: 2_500_000, currency: 'USD' }, incoterm: 'FOB' }))
        .status,
    ).toBe(200);
    expect((await rep.post(`${path}/stage`, { to: 'proposal' })).status).toBe(200);
    const proposal = titlesOf('proposal');
    const both = await waitForTasks((tasks) => tasks.length >= initial.length + proposal.length);
    const moved = Date.parse('2026-03-03T09:00:00.000Z');
    expect(
      both
        .filter((t) => proposal.some((p) => p.title === t.title))
        .map((t) => [t.title, t.dueAt])
        .sort(),
    ).toEqual(
      proposal.map((t) => [t.title, new Date(moved + t.hours * HOUR_MS).toISOString()]).sort(),
    );
    expect(both).toHaveLength(initial.length + proposal.length);
  }, 60_000);

  it('fires a sent quote’s reminder at the start of the customer’s working day, and not before', async () => {
    // Tuesday 3 March, 13:00 in Riyadh: day 3 is Friday 6 March, a weekend day there.
    setClock('2026-03-03T10:00:00.000Z');
    const path = `/api/deals/${dealId}`;
    const drafted = await rep.post(`${path}/quotes`, {
      currency: 'USD',
      incoterm: 'FOB',
      paymentTerm: { method: 'T/T', advancePercent: 30 },
      moq: 10,
      leadTimeDays: 40,
      validUntil: '2026-04-30',
      lines: [
        {
          description: 'Centrifugal pump 15 kW',
          quantity: 10,
          unit: 'pcs',
          unitPriceMinor: 250_000,
          unitCostMinor: 190_000,
        },
      ],
    });
    expect(drafted.status).toBe(201);
    const sent = await rep.post(`${path}/quotes/${drafted.body.quoteId}/send`);
    expect(sent.status).toBe(200);
    const before = (await dealTasks()).length;
    expect(before).toBe(titlesOf('initial_contact').length + titlesOf('proposal').length);
    const isReminder = (t: ListedTask) => t.title.startsWith('Follow up on quote');

    // Sunday 8 March, 08:59 in Riyadh: not yet. (Signed in again: the earlier sessions expired.)
    setClock('2026-03-08T05:59:00.000Z');
    const later = manager.as({ id: 'u-mgr-2', role: 'manager' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await dealTasks(later)).filter(isReminder)).toEqual([]);

    // 09:00 in Riyadh: the day-3 reminder, due by the end of the customer's working day.
    setClock('2026-03-08T06:00:05.000Z');
    const tasks = await waitForTasks((all) => all.some(isReminder), later);
    const reminder = tasks.find(isReminder) as ListedTask;
    expect(reminder).toMatchObject({
      title: 'Follow up on quote version 1 (day 3)',
      dueAt: '2026-03-08T15:00:00.000Z',
      assigneeId: 'u-rep-1',
      sourceSaga: 'follow-up-reminders',
    });
    const created = (await later.get(`/api/tasks/${reminder.id}/history`)).body[0];
    expect(created).toMatchObject({ type: 'TaskCreated', occurredAt: '2026-03-08T06:00:00.000Z' });
    expect(tasks.length).toBe(before + 1);
  }, 60_000);
});
