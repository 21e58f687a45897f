/**
 * `npm run bench:audit`: as-of reconstruction of one 1,000-event deal stream, beside the raw read
 * (read + JSON.parse, through the same upcasting store the app reads) of that stream, in the same
 * run and interleaved, so both see the same disk and CPU. Target: as-of p50 ≤ 2 × raw p50.
 *
 * The stream is made by the deal decider itself (open, activities with buyer notes, stage moves
 * with notes, quotes, amount and date changes, handovers), sealed by the real PersonalDataCipher
 * and appended to a SQLite event store in a temporary folder. As-of runs through AsOfReader,
 * the code behind `GET /api/deals/:id?asOf=&knownAt=`, as the deal's current owner (a rep), so
 * the record-scope check on the current state is paid too. For contrast it also times the
 * eager path (decrypt every event, then fold), which the as-of reader avoids.
 *
 * Options: --events (1000), --runs (400), --warmup (40). Exits 1 only if the as-of state differs
 * from the eager fold (a wrong answer is not a measurement).
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import lossReasonsDefault from '../config/policies/loss-reasons.default.json';
import stagesDefault from '../config/policies/stages.default.json';
import { dealDecider, DealPolicies } from '../domain/deal/deal.decider';
import type { DealCommand } from '../domain/deal/deal.commands';
import type { DealEvent } from '../domain/deal/deal.events';
import type { DealState } from '../domain/deal/deal.state';
import type { LossReasonPolicy } from '../domain/policies/loss-reason-policy';
import type { StagePolicy } from '../domain/policies/stage-policy';
import { AsOfReader } from '../src/audit/as-of/as-of-reader';
import { TimePoint } from '../src/audit/as-of/time-point';
import { EventStore, RecordedEvent } from '../src/event-store/event-store.port';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { UpcasterRegistry } from '../src/event-store/upcasting/upcaster-registry';
import { UpcastingEventStore } from '../src/event-store/upcasting/upcasting-event-store';
import { runInRequestContext } from '../src/http/request-context';
import { DirectoryFeed } from '../src/identity/directory-feed';
import { RecordAccess } from '../src/identity/record-access';
import { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../src/personal-data/sqlite-subject-key-store';
import { now, percentile, since } from './measure';

const TARGET_RATIO = 2;

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

const policies: DealPolicies = {
  stages: stagesDefault as StagePolicy,
  lossReasons: lossReasonsDefault as LossReasonPolicy,
};

const REPS = ['u-rep-ana', 'u-rep-ben', 'u-rep-cem'];
const CONTACTS = [randomUUID(), randomUUID(), randomUUID()];
const NOTES = [
  'Buyer asked for the CE certificate and a sample of the 600×600 panel before 20 March',
  'Call with Ahmed Al-Farsi: target price USD 17.80 FOB Ningbo, wants 30 % T/T advance',
  'Sent the revised datasheet; buyer compares us with two Shenzhen suppliers',
  'WhatsApp from the purchasing manager: L/C at sight possible for the second order',
];

/** The n-th command of a long, realistic deal: mostly buyer contact, sometimes terms and stages. */
function commandFor(n: number, state: DealState, at: string): DealCommand {
  const deal = state.status === 'none' ? undefined : state;
  if (n % 97 === 0) {
    return {
      type: 'TransferDealOwner',
      data: { to: REPS[(n / 97) % REPS.length], reason: 'Territory rebalance' },
    };
  }
  if (n % 41 === 0) {
    const quoteId = randomUUID();
    return {
      type: 'DraftQuote',
      data: {
        quoteId,
        currency: 'USD',
        totalMinor: 3_600_000 + n * 100,
        incoterm: 'FOB',
        paymentTerm: { method: 'T/T', advancePercent: 30 },
        moq: 500,
        leadTimeDays: 35,
        validUntil: '2031-01-31',
      },
    };
  }
  const draft = deal?.quotes.find((quote) => quote.status === 'draft');
  if (draft && n % 41 === 1) return { type: 'SendQuote', data: { quoteId: draft.quoteId } };
  if (n % 23 === 0) {
    const to = deal?.stage === 'initial_contact' ? 'proposal' : 'initial_contact';
    return { type: 'ChangeStage', data: { to, note: NOTES[n % NOTES.length] } };
  }
  if (n % 19 === 0) {
    return {
      type: 'ChangeDealAmount',
      data: { amount: { minor: 3_000_000 + n * 250, currency: 'USD' } },
    };
  }
  if (n % 29 === 0) {
    const month = String((n % 12) + 1).padStart(2, '0');
    return { type: 'ChangeExpectedCloseDate', data: { date: `2031-${month}-15` } };
  }
  return {
    type: 'LogActivity',
    data: {
      activityId: randomUUID(),
      kind: (['email', 'call', 'im', 'meeting'] as const)[n % 4],
      direction: n % 3 === 0 ? 'inbound' : 'outbound',
      summary: `${NOTES[n % NOTES.length]} (#${n})`,
      at,
      ...(n % 2 === 0 ? { contactId: CONTACTS[n % CONTACTS.length] } : {}),
    },
  };
}

/** Appends `count` decided, sealed events to one deal stream; business time one hour apart. */
async function buildDealStream(
  store: EventStore,
  cipher: PersonalDataCipher,
  count: number,
  start: Date,
): Promise<{ dealId: string; owner: string }> {
  const dealId = randomUUID();
  const streamName = `deal-${dealId}`;
  let state: DealState = dealDecider.initialState;
  let revision = -1;
  for (let n = 0; revision < count - 1; n++) {
    const at = new Date(start.getTime() + n * 3_600_000).toISOString();
    const command: DealCommand =
      n === 0
        ? {
            type: 'OpenDeal',
            data: {
              dealId,
              accountId: randomUUID(),
              title: '2,000 LED panels for Dubai',
              ownerId: REPS[0],
              channel: 'alibaba',
              country: 'AE',
              productLine: 'led-panels',
              currency: 'USD',
              amount: { minor: 3_800_000, currency: 'USD' },
              incoterm: 'FOB',
              contactId: CONTACTS[0],
            },
          }
        : commandFor(n, state, at);
    const actor = { userId: state.status === 'none' ? REPS[0] : state.ownerId, role: 'rep' };
    const decided = dealDecider.decide(command, state, { now: at, actor, policies }) as DealEvent[];
    const events = (decided.slice(0, count - 1 - revision) as DealEvent[]).map((event) => event);
    if (events.length === 0) continue;
    const commandId = randomUUID();
    const sealed = await Promise.all(
      events.map(async (event) => ({
        type: event.type,
        data: await cipher.seal(
          event.type,
          event.data as unknown as Record<string, unknown>,
          streamName,
        ),
        metadata: {
          occurredAt: at,
          $correlationId: commandId,
          $causationId: commandId,
          commandId,
          actor,
          cause: { kind: 'person' as const, id: actor.userId },
        },
      })),
    );
    const result = await store.append(streamName, sealed, {
      expectedRevision: revision < 0 ? 'no_stream' : revision,
    });
    revision = result.nextExpectedRevision;
    for (const event of events) state = dealDecider.evolve(state, event);
  }
  return { dealId, owner: (state as { ownerId: string }).ownerId };
}

const ms = (ns: number) => (ns / 1e6).toFixed(3);

async function main(): Promise<void> {
  const eventCount = arg('events', 1000);
  const runs = arg('runs', 400);
  const warmup = arg('warmup', 40);
  const dir = mkdtempSync(join(tmpdir(), 'tradeflow-bench-audit-'));
  const sqlite = SqliteEventStore.open({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const store = new UpcastingEventStore(sqlite, new UpcasterRegistry());
  const keys = new SqliteSubjectKeyStore(sqlite.sharedConnection(), randomBytes(32));
  const cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
  try {
    const start = new Date('2026-01-05T08:00:00Z');
    const { dealId, owner } = await buildDealStream(store, cipher, eventCount, start);
    const streamName = `deal-${dealId}`;
    const stored = await store.readStream(streamName);
    const sealedCount = stored.filter((event) => event.data.$personal !== undefined).length;

    // A rep's scope is judged on the deal's owner: the directory is consulted for team leads only.
    const access = new RecordAccess(undefined as unknown as DirectoryFeed);
    const reader = new AsOfReader(store, cipher, access);
    const principal = { kind: 'user', tokenId: 'bench', userId: owner, role: 'rep', teamId: null };
    const context = {
      correlationId: 'bench',
      actor: { userId: owner, role: 'rep' },
      principal,
      mayBackdate: false,
      requestFingerprint: '',
    } as Parameters<typeof runInRequestContext>[0];
    // Three quarters of the way through the stream, known at the end: folds ~750 of 1,000 events.
    const point: TimePoint = {
      asOf: new Date(stored[Math.floor(eventCount * 0.75)].metadata.occurredAt),
      knownAt: new Date(Date.now() + 60_000),
    };
    const asOf = () => runInRequestContext(context, () => reader.read('deal', dealId, point));
    const raw = () => store.readStream(streamName);
    const eager = async () => {
      const opened = await Promise.all(
        (await store.readStream(streamName)).map(async (event) => ({
          ...event,
          data: await cipher.open(event.data),
        })),
      );
      let state: DealState = dealDecider.initialState;
      for (const event of opened) state = dealDecider.evolve(state, event as unknown as DealEvent);
      let past: DealState = dealDecider.initialState;
      for (const event of opened.filter(
        (e) => Date.parse(e.metadata.occurredAt) <= point.asOf.getTime(),
      ))
        past = dealDecider.evolve(past, event as unknown as DealEvent);
      return { state, past };
    };

    const check = await asOf();
    const expected = (await eager()).past;
    if (!isDeepStrictEqual(check.state, expected)) {
      console.error('as-of state differs from the eager fold of the decrypted stream');
      process.exitCode = 1;
      return;
    }

    const samples = { raw: [] as number[], asOf: [] as number[], eager: [] as number[] };
    const time = async (operation: () => Promise<unknown>): Promise<number> => {
      const begin = now();
      await operation();
      return since(begin);
    };
    for (let run = 0; run < warmup + runs; run++) {
      // Interleaved, in a rotating order, so drift and GC land on all three alike.
      const order = [
        ['raw', raw],
        ['asOf', asOf],
        ['eager', eager],
      ] as const;
      for (let k = 0; k < order.length; k++) {
        const [name, operation] = order[(run + k) % order.length];
        const took = await time(operation as () => Promise<unknown>);
        if (run >= warmup) samples[name].push(took);
      }
    }

    const p = (name: keyof typeof samples, q: number) => percentile(samples[name], q);
    const ratio50 = p('asOf', 50) / p('raw', 50);
    const ratio99 = p('asOf', 99) / p('raw', 99);
    const verdict = ratio50 <= TARGET_RATIO ? 'PASS' : 'FAIL';
    const folded = check.revision + 1;
    console.log(
      `bench:audit — one deal stream of ${stored.length} events (${sealedCount} with sealed personal data), SQLite, ${runs} runs after ${warmup} warm-up`,
    );
    console.log(
      `as-of point: asOf=${point.asOf.toISOString()} (folds ${folded} events) knownAt=${point.knownAt!.toISOString()}`,
    );
    console.log('');
    console.log('                                          p50 ms     p99 ms');
    console.log(
      `raw stream read + parse                 ${ms(p('raw', 50)).padStart(8)}   ${ms(p('raw', 99)).padStart(8)}`,
    );
    console.log(
      `as-of reconstruction (AsOfReader)       ${ms(p('asOf', 50)).padStart(8)}   ${ms(p('asOf', 99)).padStart(8)}`,
    );
    console.log(
      `  for contrast: decrypt all, then fold  ${ms(p('eager', 50)).padStart(8)}   ${ms(p('eager', 99)).padStart(8)}`,
    );
    console.log('');
    console.log(
      `as-of / raw: p50 ${ratio50.toFixed(2)}×, p99 ${ratio99.toFixed(2)}× (target p50 ≤ ${TARGET_RATIO}×): ${verdict}`,
    );
  } finally {
    await keys.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
