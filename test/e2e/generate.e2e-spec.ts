import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, GenerateSummary } from '../../src/cli/generate-histories';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { PersonalDataCipher } from '../../src/personal-data/personal-data-cipher';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const DEALS = 30;
const SEED = 'e2e-seed';
// Both runs share the clock: histories are a function of seed and clock.
const UNTIL = new Date(
  Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()),
);

/** What a history is made of, without the store's own ids, positions and recording times. */
interface Fact {
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: unknown;
  cause: unknown;
  reason: unknown;
  commandId: unknown;
}

async function generatedFacts(running: RunningApp): Promise<Fact[]> {
  const store = running.app.get<EventStore>(EVENT_STORE);
  const cipher = running.app.get(PersonalDataCipher);
  const events = await store.readAll();
  // Only the generator's commands: policy seeding and the first admin differ per data folder by design.
  const generated = events.filter((event) =>
    String(event.metadata.commandId ?? '').startsWith('gen:'),
  );
  return Promise.all(
    generated.map(async (event: RecordedEvent) => ({
      stream: event.streamName,
      revision: event.revision,
      type: event.type,
      data: await cipher.open(event.data),
      occurredAt: event.metadata.occurredAt,
      actor: event.metadata.actor,
      cause: event.metadata.cause,
      reason: event.metadata.reason,
      commandId: event.metadata.commandId,
    })),
  );
}

describe('history generator (npm run generate)', () => {
  const folders: string[] = [];
  let first: GenerateSummary;
  let running: RunningApp;
  let facts: Fact[];

  beforeAll(async () => {
    folders.push(
      mkdtempSync(join(tmpdir(), 'tradeflow-gen-a-')),
      mkdtempSync(join(tmpdir(), 'tradeflow-gen-b-')),
    );
    first = await generate({ deals: DEALS, seed: SEED, dataDir: folders[0], until: UNTIL });
    // The generator has closed its application context; the HTTP app opens the same folder.
    running = await startApp(folders[0], { env: { RUN_SAGAS: 'false' } });
    facts = await generatedFacts(running);
  }, 120_000);

  afterAll(async () => {
    await running?.stop({ keepData: true });
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('writes the requested deals through the command pipeline, with back-dated business times', () => {
    expect(first.deals).toBe(DEALS);
    expect(first.events).toBe(facts.length);
    expect(facts.filter((fact) => fact.type === 'DealOpened')).toHaveLength(DEALS);
    const times = facts.map((fact) => Date.parse(fact.occurredAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(UNTIL.getTime());
    // About eighteen months of history, not one burst at generation time.
    expect(UNTIL.getTime() - Math.min(...times)).toBeGreaterThan(300 * 86_400_000);
  });

  it('serves a generated lead over HTTP', async () => {
    const lead = facts.find((fact) => fact.type === 'LeadConverted')!;
    const leadId = lead.stream.slice('lead-'.length);
    const api = httpClient(running.baseUrl, { id: 'e2e-generate-manager', role: 'manager' });
    const response = await api.get(`/api/leads/${leadId}`);
    expect(response.status).toBe(200);
    expect(response.body.state).toMatchObject({
      leadId,
      status: 'converted',
      convertedTo: { dealId: lead.data.dealId, accountId: lead.data.accountId },
    });
    expect(response.body.state.inquirer.name).toEqual(expect.any(String));
  });

  it('holds wins, losses, quotes, payments, handovers and backward stage moves', () => {
    const types = new Set(facts.map((fact) => fact.type));
    for (const type of [
      'DealWon',
      'DealLost',
      'QuoteSent',
      'DealPaymentRecorded',
      'DealPaidInFull',
    ])
      expect(types).toContain(type);
    expect(types.has('DealOwnerTransferred') || types.has('LeadOwnershipTransferred')).toBe(true);
    const backward = facts.filter(
      (fact) => fact.type === 'DealStageChanged' && fact.data.direction === 'backward',
    );
    expect(backward.length).toBeGreaterThan(0);
    const channels = new Set(
      facts.filter((f) => f.type === 'InquiryReceived').map((f) => f.data.channel),
    );
    expect(channels.size).toBeGreaterThanOrEqual(6);
    const lost = facts.filter((fact) => fact.type === 'DealLost');
    for (const loss of lost) expect(loss.data.reasonCode).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it('keeps every stream in business-time order', () => {
    const last = new Map<string, string>();
    for (const fact of [...facts].sort(
      (a, b) => a.stream.localeCompare(b.stream) || a.revision - b.revision,
    )) {
      const previous = last.get(fact.stream);
      if (previous)
        expect(Date.parse(fact.occurredAt)).toBeGreaterThanOrEqual(Date.parse(previous));
      last.set(fact.stream, fact.occurredAt);
    }
  });

  it('gives the same event types and data for the same seed', async () => {
    const second = await generate({ deals: DEALS, seed: SEED, dataDir: folders[1], until: UNTIL });
    expect(second.events).toBe(first.events);
    const other = await startApp(folders[1], { env: { RUN_SAGAS: 'false' } });
    try {
      const otherFacts = await generatedFacts(other);
      const byStream = (list: Fact[]) =>
        [...list].sort((a, b) => a.stream.localeCompare(b.stream) || a.revision - b.revision);
      expect(byStream(otherFacts)).toEqual(byStream(facts));
    } finally {
      await other.stop({ keepData: true });
    }
  }, 120_000);

  it('writes nothing new when the same seed and clock run again on the same store', async () => {
    await running.stop({ keepData: true });
    const again = await generate({ deals: DEALS, seed: SEED, dataDir: folders[0], until: UNTIL });
    expect(again.wroteNew).toBe(false);
    running = await startApp(folders[0], { env: { RUN_SAGAS: 'false' } });
  }, 120_000);
});
