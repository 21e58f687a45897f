import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SAGAS } from '../../sagas/all-sagas';
import { generate, GenerateSummary } from '../../src/cli/generate-histories';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const UNTIL = '2026-03-01T00:00:00.000Z';
const LIVE_DAYS = 60;
const DAY = 86_400_000;

const sagaOf = (event: RecordedEvent): string | undefined => {
  const commandId = String(event.metadata.commandId ?? '');
  return ALL_SAGAS.find((saga) => commandId.startsWith(`${saga.name}:`))?.name;
};
const isGenerated = (event: RecordedEvent) =>
  String(event.metadata.commandId ?? '').startsWith('gen:');

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let after: string | undefined; ;) {
    const page = await store.readAll({ ...(after !== undefined && { after }), maxCount: 5000 });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1].position;
  }
}

/**
 * Generated history is consistent with the automation: the sagas ran in step with the generator,
 * so when the app starts over the store with its sagas on, their catch-up over the live window
 * sends nothing new; only work falling due after the run's clock can come on top.
 */
describe('generated history and the deal and account sagas', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-gen-automation-'));
  let summary: GenerateSummary;
  let before: RecordedEvent[];
  let after: RecordedEvent[];
  let running: RunningApp | undefined;

  beforeAll(async () => {
    summary = await generate({
      deals: 100,
      seed: 'automation-e2e',
      dataDir,
      until: UNTIL,
      liveDays: LIVE_DAYS,
    });
    running = await startApp(dataDir, { env: { RUN_SAGAS: 'false', RUN_PROJECTIONS: 'false' } });
    const store = running.app.get<EventStore>(EVENT_STORE);
    before = await readAll(store);
    await running.stop({ keepData: true });

    running = await startApp(dataDir, { env: { RUN_PROJECTIONS: 'false' } });
    const ops = httpClient(running.baseUrl, { id: 'e2e-gen-automation-ops', role: 'operations' });
    // Caught up: every saga live and nothing behind, and the log still for a while (timers fired).
    const deadline = Date.now() + 120_000;
    let head: string | null = null;
    let steady = 0;
    while (steady < 3) {
      if (Date.now() > deadline) throw new Error('the sagas did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const status = await ops.get('/api/admin/sagas');
      expect(status.status).toBe(200);
      const lanes = status.body.projections as Array<{
        name: string;
        state: string;
        behind: number;
        failure: unknown;
      }>;
      for (const lane of lanes)
        expect({ name: lane.name, failure: lane.failure }).toEqual({
          name: lane.name,
          failure: null,
        });
      const caughtUp =
        lanes.length === ALL_SAGAS.length &&
        lanes.every((lane) => lane.state === 'live' && lane.behind === 0);
      steady = caughtUp && status.body.head === head ? steady + 1 : 0;
      head = status.body.head;
    }
    after = await readAll(running.app.get<EventStore>(EVENT_STORE));
  }, 300_000);

  afterAll(async () => {
    await running?.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ran every saga in step: stage tasks, reminders, stale questions and lifecycle moves are in the log', () => {
    const bySaga = new Map<string, number>();
    for (const event of before) {
      const saga = sagaOf(event);
      if (saga) bySaga.set(saga, (bySaga.get(saga) ?? 0) + 1);
    }
    for (const saga of ALL_SAGAS)
      expect({ saga: saga.name, some: (bySaga.get(saga.name) ?? 0) > 0 }).toEqual({
        saga: saga.name,
        some: true,
      });
    expect(summary.automationEvents).toBe([...bySaga.values()].reduce((a, b) => a + b, 0));
    const created = before.filter((event) => event.type === 'TaskCreated');
    const sources = new Set(
      created.map((event) => (event.data.source as { saga?: string } | undefined)?.saga),
    );
    for (const saga of ['stage-tasks', 'follow-up-reminders', 'stale-deals'])
      expect(sources).toContain(saga);
    expect(
      before.some(
        (event) =>
          event.type === 'AccountLifecycleChanged' && sagaOf(event) === 'account-lifecycle',
      ),
    ).toBe(true);
  });

  it("the app's catch-up over the live window is a no-op: only what falls due after the run's clock is new", () => {
    const known = new Set(before.map((event) => event.id));
    const added = after.filter((event) => !known.has(event.id));
    const early = added.filter((event) => event.metadata.occurredAt <= UNTIL);
    expect(
      early.map(
        (event) =>
          `${event.type} ${event.streamName} ${String(event.metadata.commandId)} @${event.metadata.occurredAt}`,
      ),
    ).toEqual([]);
    // The generator's commands were all there; the sagas added only what fell due after the
    // clock (the run ends months before today, so dormancy and stale questions do fall due).
    expect(added.filter(isGenerated)).toEqual([]);
    const automation = added.filter((event) => sagaOf(event) !== undefined);
    expect(automation.length).toBeGreaterThan(0);
    expect(automation.every((event) => event.metadata.occurredAt > UNTIL)).toBe(true);
    // Nothing for the live window is dated at app start. (A decision on work due after the clock
    // may be: the app's lanes catch months up independently, and one dated before a later entry
    // on the record's automation log is recorded at the time it is sent.)
    const datedAtStart = automation.filter(
      (event) => Date.parse(event.recordedAt) - Date.parse(event.metadata.occurredAt) < 60_000,
    );
    expect(
      datedAtStart
        .filter((event) => !(String(event.data.dueAt ?? '') > UNTIL))
        .map((event) => `${event.type} ${String(event.metadata.commandId)}`),
    ).toEqual([]);
  });

  it('leaves stage tasks and lifecycle moves to the sagas after go-live, and keeps them before', () => {
    const liveFrom = Date.parse(summary.liveFrom);
    const generated = before.filter(isGenerated);
    const at = (event: RecordedEvent) => Date.parse(event.metadata.occurredAt);
    const templateTasks = (list: RecordedEvent[]) =>
      list.filter((event) => event.type === 'TaskCreated' && event.data.template !== undefined);
    const moves = (list: RecordedEvent[]) =>
      list.filter((event) => event.type === 'AccountLifecycleChanged');
    // The automation's live window (60 minutes) before go-live already belongs to the sagas.
    const automated = liveFrom - 60 * 60_000;
    expect(templateTasks(generated).filter((event) => at(event) >= automated)).toEqual([]);
    expect(moves(generated).filter((event) => at(event) >= automated)).toEqual([]);
    expect(templateTasks(generated).length).toBeGreaterThan(0);
    expect(moves(generated).length).toBeGreaterThan(0);
    // No deal stage entry has its template tasks twice.
    const perEntry = new Map<string, number>();
    for (const event of templateTasks(before)) {
      const template = event.data.template as { stage: string; key: string };
      const deal = (event.data.linkedTo as { id: string }).id;
      const key = `${deal} ${template.stage}.${template.key} ${event.metadata.occurredAt}`;
      perEntry.set(key, (perEntry.get(key) ?? 0) + 1);
    }
    expect([...perEntry].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('has the reps work the automation tasks: few are left open long past their due time', () => {
    const tasks = new Map<string, { saga: string; dueAt: string; open: boolean }>();
    for (const event of before) {
      const taskId = event.streamName.slice('task-'.length);
      if (event.type === 'TaskCreated') {
        const saga = (event.data.source as { saga?: string } | undefined)?.saga;
        if (saga && saga !== 'sla-escalation')
          tasks.set(taskId, { saga, dueAt: String(event.data.dueAt), open: true });
      } else if (event.type === 'TaskCompleted' || event.type === 'TaskCancelled') {
        const task = tasks.get(taskId);
        if (task) task.open = false;
      }
    }
    const done = before.filter(
      (event) =>
        event.type === 'TaskCompleted' && tasks.has(event.streamName.slice('task-'.length)),
    );
    expect(done.length).toBeGreaterThan(tasks.size / 2);
    expect(done.every((event) => event.metadata.actor?.role === 'rep')).toBe(true);
    const longOverdue = [...tasks.values()].filter(
      (task) => task.open && Date.parse(task.dueAt) < Date.parse(UNTIL) - 14 * DAY,
    );
    expect(longOverdue.length).toBeLessThanOrEqual(Math.ceil(tasks.size * 0.1));
    // Stale questions get an answer: an activity, or the deal closed as lost.
    const stale = [...tasks.values()].filter((task) => task.saga === 'stale-deals');
    expect(
      stale.filter((task) => task.open && Date.parse(task.dueAt) < Date.parse(UNTIL) - 3 * DAY),
    ).toEqual([]);
  });

  it('writes nothing when generated again into the store the app has worked on since', async () => {
    await running?.stop({ keepData: true });
    running = undefined;
    const again = await generate({
      deals: 100,
      seed: 'automation-e2e',
      dataDir,
      until: UNTIL,
      liveDays: LIVE_DAYS,
    });
    expect({ wroteNew: again.wroteNew, automation: again.automationEvents }).toEqual({
      wroteNew: false,
      automation: 0,
    });
  }, 300_000);
});
