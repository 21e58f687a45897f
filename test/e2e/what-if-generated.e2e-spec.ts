import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { businessSecondsBetween } from '../../domain/calendar/business-time';
import { CalendarPolicy, findCalendar } from '../../domain/policies/calendar-policy';
import { predictSla } from '../../sagas/sla-prediction';
import { generate, GenerateSummary } from '../../src/cli/generate-histories';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const UNTIL = '2026-03-01T00:00:00.000Z';
const LIVE_DAYS = 300;
const ROOT = join(__dirname, '../..');

/** First responses of live inquiries, in business minutes of the owner's team calendar. */
function firstResponseMinutes(events: RecordedEvent[], calendars: CalendarPolicy): number[] {
  const teamOfUser = new Map<string, string>();
  const calendarOfTeam = new Map<string, string>();
  const owner = new Map<string, string>();
  const received = new Map<string, string>();
  const firstResponse = new Map<string, { at: string; owner?: string }>();
  for (const event of events) {
    const data = event.data as Record<string, string | boolean | undefined>;
    if (event.type === 'TeamCreated')
      calendarOfTeam.set(String(data.teamId), String(data.calendarKey));
    if (event.type === 'UserRegistered' && data.teamId)
      teamOfUser.set(String(data.userId), String(data.teamId));
    if (event.type === 'InquiryReceived' && data.live === true)
      received.set(String(data.leadId), event.metadata.occurredAt);
    if (event.type === 'LeadAssigned' || event.type === 'LeadOwnershipTransferred')
      owner.set(String(data.leadId), String(data.to));
    // Emitted again when an archived email turns out earlier: the last one is the earliest answer.
    if (event.type === 'FirstResponseRecorded' && received.has(String(data.leadId)))
      firstResponse.set(String(data.leadId), {
        at: String(data.at),
        owner: owner.get(String(data.leadId)),
      });
  }
  return [...firstResponse].map(([leadId, response]) => {
    const calendar = findCalendar(
      calendars,
      calendarOfTeam.get(teamOfUser.get(response.owner!)!)!,
    )!;
    return businessSecondsBetween(calendar, received.get(leadId)!, response.at) / 60;
  });
}

/**
 * What-if on generated history: the generator writes the last months live, with the SLA
 * automation escalating in step; the candidate 60-minute first-response target is then replayed
 * beside the 30 minutes in force, over HTTP and from the command line.
 */
describe('SLA what-if on generated history', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-what-if-gen-'));
  let summary: GenerateSummary;
  let running: RunningApp;
  let events: RecordedEvent[];
  let liveFrom: string;
  let candidate: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let answer: any;

  beforeAll(async () => {
    summary = await generate({
      deals: 60,
      seed: 'what-if-e2e',
      dataDir,
      until: UNTIL,
      liveDays: LIVE_DAYS,
    });
    liveFrom = summary.liveFrom;
    running = await startApp(dataDir, { env: { RUN_SAGAS: 'false', RUN_PROJECTIONS: 'false' } });
    const ops = httpClient(running.baseUrl, { id: 'e2e-what-if-ops', role: 'operations' });
    const current = await ops.get('/api/policies/sla.default');
    expect(current.status).toBe(200);
    candidate = structuredClone(current.body.body);
    expect(candidate.firstResponse.targetMinutes).toBe(30);
    candidate.firstResponse.targetMinutes = 60;
    const asked = await ops.post('/api/policies/what-if', {
      policy: candidate,
      from: liveFrom,
      to: UNTIL,
    });
    expect(asked.status).toBe(200);
    answer = asked.body;
    // The log as it stood at the run's clock: the test's own sign-ins come after it.
    events = (await running.app.get<EventStore>(EVENT_STORE).readAll()).filter(
      (event) => event.metadata.occurredAt <= UNTIL,
    );
  }, 180_000);

  afterAll(async () => {
    await running?.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes live inquiries, answered before, between and after 30 and 60 business minutes', async () => {
    expect(summary.liveInquiries).toBeGreaterThan(20);
    const live = events.filter((e) => e.type === 'InquiryReceived' && e.data.live === true);
    expect(live).toHaveLength(summary.liveInquiries);
    // Recorded as they happened: the SLA automation treats them as live.
    for (const inquiry of live) expect(inquiry.recordedAt).toBe(inquiry.metadata.occurredAt);
    const api = httpClient(running.baseUrl, { id: 'e2e-what-if-ops', role: 'operations' });
    const calendars = (await api.get('/api/policies/calendars.default')).body
      .body as CalendarPolicy;
    const minutes = firstResponseMinutes(events, calendars);
    expect(minutes.length).toBeGreaterThan(15);
    const within30 = minutes.filter((m) => m <= 30).length;
    const between = minutes.filter((m) => m > 30 && m <= 60).length;
    const after60 = minutes.filter((m) => m > 60).length;
    expect({ within30: within30 > 0, between: between > 0, after60: after60 > 0 }).toEqual({
      within30: true,
      between: true,
      after60: true,
    });
  });

  it('moving the first-response target from 30 to 60 business minutes lowers the predicted breaches', () => {
    const inForce = answer.inForce.breaches.byClock.first_response ?? 0;
    expect(inForce).toBeGreaterThan(0);
    expect(answer.candidate.breaches.byClock.first_response ?? 0).toBeLessThan(inForce);
    expect(answer.candidate.breaches.total).toBeLessThan(answer.inForce.breaches.total);
    // The other clock is untouched by the change.
    expect(answer.candidate.breaches.byClock.proposal).toBe(
      answer.inForce.breaches.byClock.proposal,
    );
  });

  it('replaying the policy in force reproduces exactly the escalations that happened', () => {
    expect(answer.actual).toMatchObject({
      reproducedByReplay: true,
      notReproduced: [],
      notRecorded: [],
    });
    // Counted from the automation's record, the figures are those of the replay.
    expect(answer.actual.runs).toEqual(answer.inForce.runs);
    expect(answer.actual.breaches).toEqual(answer.inForce.breaches);
    expect(answer.actual.escalations).toEqual(answer.inForce.escalations);
    expect(answer.actual.escalations.total).toBeGreaterThan(0);

    const fromAutomation = events.filter((event) =>
      String(event.metadata.commandId).startsWith('sla-escalation:'),
    );
    const replayed = predictSla(events, undefined, UNTIL).commands;
    // One by one, in the order they happened: same command, same business time, same content.
    expect(fromAutomation.map((e) => e.metadata.commandId)).toEqual(
      replayed.map((c) => c.commandId),
    );
    fromAutomation.forEach((event, index) => {
      const command = replayed[index];
      expect(event.metadata.occurredAt).toBe(command.occurredAt);
      if (event.type === 'AutomationDecisionRecorded') {
        expect(event.data).toMatchObject(command.data);
      } else {
        expect(event.type).toBe('TaskCreated');
        const task = command.data as {
          taskId: string;
          assigneeId: string;
          dueAt: string;
          title: string;
        };
        expect(event.data).toMatchObject({
          taskId: task.taskId,
          assigneeId: task.assigneeId,
          dueAt: task.dueAt,
          title: task.title,
        });
      }
    });
    const escalated = fromAutomation.filter(
      (event) => event.type === 'AutomationDecisionRecorded' && event.data.decision === 'escalated',
    );
    expect(escalated.length).toBeGreaterThan(0);
    expect(fromAutomation.filter((e) => e.data.decision === 'flagged').length).toBeGreaterThan(0);
  });

  it('recorded each escalation when its rung fell due, as the automation ran', () => {
    // A run's one `scheduled` decision (…:<runStart>:target:scheduled) lists each rung's due time.
    const scheduled = new Map(
      events
        .filter((e) => e.type === 'AutomationDecisionRecorded' && e.data.decision === 'scheduled')
        .map((e) => [
          String(e.metadata.commandId),
          (e.data.detail ?? {}) as Record<string, unknown>,
        ]),
    );
    const rungs = events.filter(
      (e) =>
        e.type === 'AutomationDecisionRecorded' &&
        // The SLA's rungs: the deal sagas, running in step too, create tasks of their own.
        String(e.metadata.commandId).startsWith('sla-escalation:') &&
        ['escalated', 'task_created'].includes(e.data.decision as string),
    );
    expect(rungs.length).toBeGreaterThan(0);
    for (const rung of rungs) {
      // …:L<n>:escalated fired at the level<n>DueAt its run's …:target:scheduled decision named.
      const [, run, level] = /^(.*):L(\d+):(?:escalated|task_created)$/.exec(
        String(rung.metadata.commandId),
      )!;
      const plan = scheduled.get(`${run}:target:scheduled`);
      expect(rung.metadata.occurredAt).toBe(plan?.[`level${level}DueAt`]);
      expect(rung.recordedAt).toBe(rung.metadata.occurredAt);
      expect(rung.metadata.occurredAt >= liveFrom).toBe(true);
    }
  });

  it('prints the same comparison from the command line', async () => {
    // The CLI opens the same embedded store: the app lets go of it first.
    await running.stop({ keepData: true });
    const policyFile = join(dataDir, 'candidate.json');
    writeFileSync(policyFile, JSON.stringify(candidate));
    const run = (args: string[]) =>
      promisify(execFile)(
        join(ROOT, 'node_modules/.bin/ts-node'),
        ['--transpile-only', 'src/cli/what-if.ts', ...args],
        { cwd: ROOT, timeout: 90_000 },
      );
    const { stdout } = await run([
      '--policy',
      policyFile,
      '--from',
      liveFrom,
      '--to',
      UNTIL,
      '--data-dir',
      dataDir,
    ]);
    const row = (section: string, label: string): number[] => {
      const lines = stdout.split('\n');
      const start = lines.findIndex((line) => line.startsWith(section));
      const line = lines.slice(start + 1).find((candidate) => candidate.startsWith(`  ${label} `))!;
      return line
        .slice(44)
        .trim()
        .split(/\s+/)
        .map((n) => Number(n.replace(/,/g, '')));
    };
    expect(stdout).toMatch(/candidate\s+in force\s+actual/);
    expect(row('Breaches', 'first response')).toEqual([
      answer.candidate.breaches.byClock.first_response ?? 0,
      answer.inForce.breaches.byClock.first_response,
      answer.actual.breaches.byClock.first_response,
    ]);
    expect(row('Escalation ladder', 'first_response.level_2')).toEqual([
      answer.candidate.escalations.byLevel['first_response.level_2'],
      answer.inForce.escalations.byLevel['first_response.level_2'],
      answer.actual.escalations.byLevel['first_response.level_2'],
    ]);
    // Reps and teams by name, not id.
    const byRep = stdout.slice(
      stdout.indexOf('Breaches by rep'),
      stdout.indexOf('Breaches by channel'),
    );
    expect(byRep).toMatch(/\n {2}[A-Z][a-z]+ [A-Z][a-z]+ +\d/);
    expect(byRep).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(stdout).toContain('Middle East & Türkiye');
    expect(stdout).toContain('Replaying the policies in force reproduces every one of them');

    const refused = await run([
      '--policy',
      policyFile,
      '--from',
      'last monday',
      '--to',
      UNTIL,
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain('--from must be an ISO 8601 date-time');
  }, 180_000);
});
