import {
  DealSpan,
  DealStatus,
  DealTimeline,
  dealTimelineProjection,
  SPANS,
  spanClass,
  spanOf,
  TIMELINES,
  TimelineChange,
} from '../../../projections/deal-timeline.projection';
import { dealAt, dealAtSpan, timelinesAt } from '../../support/deal-at-oracle';
import { KNOWN_PROBE, spansAt, spansHeldBy } from '../../../src/audit/as-of/deal-span';
import { TimePoint } from '../../../src/audit/as-of/time-point';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';
import {
  history,
  project,
  ProjectedModel,
  happenedAndRecorded as at,
  dealOpened,
} from '../../support/projection-harness';
import { random } from '../../support/random';

const STAGES = { id: 'stages.default', version: 1 };

const opened = (dealId: string, owner: string, occurredAt: string, recordedAt?: string) =>
  dealOpened(dealId, owner, 1_000_000, occurredAt, recordedAt);

const moved = (dealId: string, to: string, occurredAt: string, recordedAt?: string) =>
  at(
    `deal-${dealId}`,
    'DealStageChanged',
    { from: 'x', to, direction: 'forward', reentry: false, policy: STAGES },
    occurredAt,
    recordedAt,
  );

const won = (dealId: string, minor: number, occurredAt: string, recordedAt?: string) =>
  at(
    `deal-${dealId}`,
    'DealWon',
    { orderReference: 'PO', stage: 'x', amount: { minor, currency: 'USD' }, policy: STAGES },
    occurredAt,
    recordedAt,
  );

const lost = (dealId: string, occurredAt: string, recordedAt?: string) =>
  at(
    `deal-${dealId}`,
    'DealLost',
    { reasonCode: 'price.too_high', reason: 'price', stage: 'x', policy: STAGES },
    occurredAt,
    recordedAt,
  );

const reopened = (dealId: string, stage: string, occurredAt: string, recordedAt?: string) =>
  at(
    `deal-${dealId}`,
    'DealReopened',
    { stage, previousOutcome: 'won', reason: 'x' },
    occurredAt,
    recordedAt,
  );

const point = (asOf: string, knownAt?: string): TimePoint => ({
  asOf: new Date(asOf),
  ...(knownAt ? { knownAt: new Date(knownAt) } : {}),
});

const HOUR = 3_600_000;

describe('deal spans: compact timelines and the keys that select a point', () => {
  let model: ProjectedModel;
  const span = async (id: string) => (await model.get(SPANS, id)) as DealSpan;
  const ids = async (p: TimePoint, wonSince?: string) =>
    (await spansAt(model.store, (logical) => model.name(logical), p, wonSince)).map((s) => s.id);

  beforeAll(async () => {
    model = await project(
      dealTimelineProjection,
      history([
        // d-1: opened 01-10, moved 01-20, won 02-01, reopened 02-10 (to proposal), all live.
        opened('d-1', 'u-ana', '2026-01-10T00:00:00Z'),
        moved('d-1', 'proposal', '2026-01-20T00:00:00Z'),
        won('d-1', 2_000_000, '2026-02-01T00:00:00Z'),
        reopened('d-1', 'proposal', '2026-02-10T00:00:00Z'),
        // d-2: imported on 03-01 with January business times: lost on 01-15, back-dated.
        opened('d-2', 'u-ben', '2026-01-05T00:00:00Z', '2026-03-01T00:00:00Z'),
        lost('d-2', '2026-01-15T00:00:00Z', '2026-03-01T00:00:00Z'),
        // d-3: opened live on 01-02, won on 01-12, the win recorded only on 02-20.
        opened('d-3', 'u-cem', '2026-01-02T00:00:00Z'),
        won('d-3', 500_000, '2026-01-12T00:00:00Z', '2026-02-20T00:00:00Z'),
      ]),
    );
  });
  afterAll(() => model.close());

  it('keeps the selection keys and the size classes of the business and known spans', async () => {
    expect(await span('d-1')).toMatchObject({
      status: 'open',
      openedAt: '2026-01-10T00:00:00.000Z',
      firstKnown: '2026-01-10T00:00:00.000Z',
      ownerNow: 'u-ana',
      f: ['stages.default', 'USD', 'alibaba', 'AE', 'mena', 'valves'],
    });
    // Reopened: no closing any more, so no class.
    expect((await span('d-1')).settledAt).toBeUndefined();
    expect((await span('d-1')).openClass).toBeUndefined();
    // d-2: 10 days = 240 h, in [2^7.5, 2^8) h: class 16; recorded closed at once: no known class.
    expect(await span('d-2')).toMatchObject({
      status: 'lost',
      settledAt: '2026-01-15T00:00:00.000Z',
      settledKnown: '2026-03-01T00:00:00.000Z',
      firstKnown: '2026-03-01T00:00:00.000Z',
      openClass: 'c16',
    });
    expect((await span('d-2')).knownClass).toBeUndefined();
    // d-3: 10 days of business time (class 16); known from 01-02 to 02-20 = 1176 h, in
    // [2^10, 2^10.5) h: class 21.
    expect(await span('d-3')).toMatchObject({ openClass: 'c16', knownClass: 'c21' });
    expect(spanClass(0)).toBe(0);
    expect(spanClass(HOUR - 1)).toBe(0);
    expect(spanClass(HOUR)).toBe(1);
    expect(spanClass(2 * HOUR - 1)).toBe(2);
    expect(spanClass(2 * HOUR)).toBe(3);
    expect(spanClass(240 * HOUR)).toBe(16);
    expect(spanClass(256 * HOUR)).toBe(17);
    expect(spanClass(Number.MAX_SAFE_INTEGER)).toBe(48);
  });

  it('folds a span to the same deal as its full timeline', async () => {
    const d1 = (await span('d-1'))!;
    expect(dealAtSpan(d1, point('2026-01-25T00:00:00Z'))).toMatchObject({
      status: 'open',
      stage: 'proposal',
      enteredStageAt: '2026-01-20T00:00:00.000Z',
    });
    expect(dealAtSpan(d1, point('2026-02-05T00:00:00Z'))).toMatchObject({
      status: 'won',
      won: { at: '2026-02-01T00:00:00.000Z', amount: 2_000_000, owner: 'u-ana' },
    });
    expect(dealAtSpan(d1, point('2026-02-10T00:00:00Z'))).toMatchObject({
      status: 'open',
      won: null,
      stage: 'proposal',
      enteredStageAt: '2026-02-10T00:00:00.000Z',
      changedAt: '2026-02-10T00:00:00.000Z',
    });
    const d3 = (await span('d-3'))!;
    // The win happened on 01-12 but was recorded on 02-20: known at 02-01, still open.
    expect(dealAtSpan(d3, point('2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'))?.status).toBe(
      'open',
    );
    expect(dealAtSpan(d3, point('2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z'))?.status).toBe(
      'won',
    );
    // d-2 was imported on 03-01: known at 02-01, it did not exist.
    const d2 = (await span('d-2'))!;
    expect(dealAtSpan(d2, point('2026-01-10T00:00:00Z', '2026-02-01T00:00:00Z'))).toBeUndefined();
    expect(dealAtSpan(d2, point('2026-01-10T00:00:00Z'))?.status).toBe('open');
    for (const id of ['d-1', 'd-2', 'd-3']) {
      const timeline = (await model.get(TIMELINES, id)) as DealTimeline;
      for (const p of [
        point('2026-01-01T00:00:00Z'),
        point('2026-01-12T00:00:00Z'),
        point('2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),
        point('2026-03-01T00:00:00Z', '2026-02-20T00:00:00Z'),
        point('2026-03-01T00:00:00Z'),
      ]) {
        expect(dealAtSpan(await span(id), p)).toEqual(withoutCardFacts(dealAt(timeline, p)));
      }
    }
  });

  it('selects the deals that may be open at the point, as known then', async () => {
    // 01-10 business time: d-2 open (lost on 01-15), d-3 won on 01-12 not yet.
    expect(await ids(point('2026-01-10T00:00:00Z'))).toEqual(['d-1', 'd-2', 'd-3']);
    // 01-20: d-2 lost for good, d-3 won (and known to be by now).
    expect(await ids(point('2026-01-20T00:00:00Z'))).toEqual(['d-1']);
    // …but as known on 02-01, d-2 did not exist yet and d-3 still looked open.
    expect(await ids(point('2026-01-20T00:00:00Z', '2026-02-01T00:00:00Z'))).toEqual([
      'd-1',
      'd-3',
    ]);
    // Won since 01-01 and by 01-20: d-3's actual counts.
    expect(await ids(point('2026-01-20T00:00:00Z'), '2026-01-01T00:00:00.000Z')).toEqual([
      'd-1',
      'd-3',
    ]);
    expect(await ids(point('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});

function withoutCardFacts<T extends { title: string; accountId: string }>(deal: T | undefined) {
  if (!deal) return undefined;
  const { title: _title, accountId: _accountId, ...rest } = deal;
  return rest;
}

// ---- Against the full timelines, on random histories ---------------------------------------

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
// Values with the characters the ops string uses as separators, and others.
const STAGE_KEYS = ['initial_contact', 'proposal', "odd;stage,'x':y", 'négociation'];
const OWNERS = ['u-ana', 'u-ben', 'u;c,e:m', "u'd"];

function randomTimeline(next: () => number, id: string): DealTimeline {
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
  let time = BASE + Math.floor(next() * 200) * 12 * HOUR;
  let known = time + (next() < 0.5 ? 0 : Math.floor(next() * 60) * 24 * HOUR);
  const step = () => {
    // Ties are common on purpose: several changes at one instant.
    if (next() < 0.7) time += Math.floor(next() * 30 * 24) * HOUR + Math.floor(next() * 1000);
    if (next() < 0.4) known = Math.max(known, time) + Math.floor(next() * 10) * 24 * HOUR;
    else if (next() < 0.5) known = Math.max(known, time);
  };
  const changes: TimelineChange[] = [
    {
      at: iso(time),
      known: iso(known),
      stage: pick(STAGE_KEYS),
      owner: pick(OWNERS),
      amount: next() < 0.2 ? null : Math.floor(next() * 1e7) - 1000,
      closeDate: next() < 0.3 ? null : '2026-06-30',
      shipMonth: next() < 0.5 ? null : '2026-07',
      status: 'open',
    },
  ];
  let status: DealStatus = 'open';
  let settledAt: string | null = null;
  let settledKnown: string | null = null;
  const count = Math.floor(next() * 12);
  for (let k = 0; k < count; k++) {
    step();
    const base = { at: iso(time), known: iso(known) };
    const kind = next();
    let change: TimelineChange;
    // A closed deal is mostly reopened next; its amount or owner may still change meanwhile.
    if (status !== 'open' && kind < 0.6) {
      change = { ...base, status: 'open', stage: pick(STAGE_KEYS) };
    } else if (status !== 'open') {
      change = kind < 0.8 ? { ...base, amount: 42 } : { ...base, owner: pick(OWNERS) };
    } else if (kind < 0.2) change = { ...base, stage: pick(STAGE_KEYS) };
    else if (kind < 0.35) change = { ...base, owner: pick(OWNERS) };
    else if (kind < 0.5)
      change = { ...base, amount: next() < 0.1 ? null : Math.floor(next() * 1e6) };
    else if (kind < 0.6) change = { ...base, closeDate: next() < 0.2 ? null : '2026-09-15' };
    else if (kind < 0.7) change = { ...base, shipMonth: next() < 0.2 ? null : '2026-10' };
    else if (kind < 0.85) {
      change = { ...base, status: 'won' };
      if (next() < 0.8) change.wonAmount = Math.floor(next() * 1e6);
    } else change = { ...base, status: 'lost' };
    if (change.status !== undefined) {
      status = change.status;
      settledAt = status === 'open' ? null : change.at;
      settledKnown = status === 'open' ? null : change.known;
    }
    changes.push(change);
  }
  return {
    id,
    accountId: 'a',
    title: 't',
    stagePolicy: 'stages.default',
    currency: 'EUR',
    channel: 'web',
    country: 'DE',
    region: 'eu',
    productLine: 'pumps',
    openedAt: changes[0].at,
    status,
    settledAt,
    settledKnown,
    changes,
  };
}

describe('deal spans on random histories', () => {
  const next = random(20261127);
  const timelines = Array.from({ length: 400 }, (_, k) =>
    randomTimeline(next, `d-${String(k).padStart(4, '0')}`),
  );
  // Through JSON, as the read store hands them back.
  const stored = timelines.map((t) => JSON.parse(JSON.stringify(t)) as DealTimeline);
  const spans = stored.map((t) => JSON.parse(JSON.stringify(spanOf(t))) as DealSpan);
  const times = timelines.flatMap((t) =>
    t.changes.flatMap((c) => [Date.parse(c.at), Date.parse(c.known)]),
  );
  const randomPoint = (): TimePoint => {
    const asOf = next() < 0.3 ? pick(times) : BASE + Math.floor(next() * 400 * 24 * HOUR);
    if (next() < 0.3) return { asOf: new Date(asOf) };
    const knownAt = next() < 0.3 ? pick(times) : asOf + Math.floor((next() - 0.3) * 80 * 24 * HOUR);
    return { asOf: new Date(asOf), knownAt: new Date(knownAt) };
  };
  const pick = (values: number[]) => values[Math.floor(next() * values.length)];
  const points = Array.from({ length: 300 }, randomPoint);

  it('folds every span to what dealAt gives on the full timeline, at every point', () => {
    for (const p of points) {
      stored.forEach((timeline, k) => {
        expect(dealAtSpan(spans[k], p)).toEqual(withoutCardFacts(dealAt(timeline, p)));
      });
    }
  });

  describe('selection', () => {
    let store: SqliteReadStore;
    const collection = (logical: string) => `t_${logical}`;
    beforeAll(async () => {
      store = SqliteReadStore.open({ file: ':memory:' });
      for (const spec of dealTimelineProjection.collections) {
        await store.ensureCollection({ ...spec, name: collection(spec.name) });
      }
      await store.commit([
        ...stored.map((document) => ({
          kind: 'put' as const,
          collection: collection(TIMELINES),
          document,
        })),
        ...spans.map((document) => ({
          kind: 'put' as const,
          collection: collection(SPANS),
          document,
        })),
      ]);
    });
    afterAll(() => store.close());

    it('reads the deals timelinesAt reads, less those not opened or not known at the point', async () => {
      expect(timelines.length).toBeGreaterThan(KNOWN_PROBE);
      let probed = 0;
      let unprobed = 0;
      for (const p of points) {
        const wonSince = next() < 0.5 ? iso(p.asOf.getTime() - 60 * 24 * HOUR) : undefined;
        const expected = (await timelinesAt(store, collection, p, wonSince))
          .filter((t) => p.knownAt === undefined || t.changes[0].known <= p.knownAt.toISOString())
          .map((t) => t.id);
        const selected = await spansAt(store, collection, p, wonSince);
        expect(selected.map((s) => s.id)).toEqual(expected);
        if (p.knownAt) {
          const known = spans.filter((s) => s.firstKnown <= p.knownAt!.toISOString()).length;
          if (known <= KNOWN_PROBE) probed += 1;
          else unprobed += 1;
        }
      }
      // Both ways of selecting were taken.
      expect(probed).toBeGreaterThan(10);
      expect(unprobed).toBeGreaterThan(10);
    });

    it('reads the same deals of a scope by their owner now as spansAt does', async () => {
      const owners = [...new Set(spans.map((s) => s.ownerNow as string))].sort();
      expect(owners.length).toBeGreaterThan(2);
      for (const [i, p] of points.entries()) {
        const scope = [owners[i % owners.length], owners[(i * 7 + 1) % owners.length]];
        const expected = (await spansAt(store, collection, p))
          .filter((s) => scope.includes(s.ownerNow as string))
          .map((s) => s.id);
        const held = await spansHeldBy(store, collection, p, scope);
        expect(held?.map((s) => s.id)).toEqual(expected);
      }
    });
  });
});
