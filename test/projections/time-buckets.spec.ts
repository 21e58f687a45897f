import { splitPeriod } from '../../projections/shared/time-buckets';

const d = (iso: string) => new Date(iso);

describe('splitting a period into whole buckets and sub-hour edges', () => {
  it('a whole UTC year is twelve months', () => {
    expect(splitPeriod(d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'))).toEqual({
      runs: [{ level: 'month', fromStart: '2026-01-01T00:00:00.000Z', toStart: '2027-01-01T00:00:00.000Z' }],
      edges: [],
    });
  });

  it('a month in Asia/Kolkata (+05:30) is half-hour edges, hours, days and whole months', () => {
    // March 2026 in Kolkata: 2026-02-28T18:30Z to 2026-03-31T18:30Z.
    expect(splitPeriod(d('2026-02-28T18:30:00Z'), d('2026-03-31T18:30:00Z'))).toEqual({
      runs: [
        { level: 'hour', fromStart: '2026-02-28T19:00:00.000Z', toStart: '2026-03-01T00:00:00.000Z' },
        { level: 'day', fromStart: '2026-03-01T00:00:00.000Z', toStart: '2026-03-31T00:00:00.000Z' },
        { level: 'hour', fromStart: '2026-03-31T00:00:00.000Z', toStart: '2026-03-31T18:00:00.000Z' },
      ],
      edges: [
        { from: '2026-02-28T18:30:00.000Z', to: '2026-02-28T19:00:00.000Z' },
        { from: '2026-03-31T18:00:00.000Z', to: '2026-03-31T18:30:00.000Z' },
      ],
    });
  });

  it('spanning months: days up to the first month, months, then days and hours after', () => {
    const parts = splitPeriod(d('2026-01-30T16:00:00Z'), d('2026-04-02T05:00:00Z'));
    expect(parts.runs).toEqual([
      { level: 'hour', fromStart: '2026-01-30T16:00:00.000Z', toStart: '2026-01-31T00:00:00.000Z' },
      { level: 'day', fromStart: '2026-01-31T00:00:00.000Z', toStart: '2026-02-01T00:00:00.000Z' },
      { level: 'month', fromStart: '2026-02-01T00:00:00.000Z', toStart: '2026-04-01T00:00:00.000Z' },
      { level: 'day', fromStart: '2026-04-01T00:00:00.000Z', toStart: '2026-04-02T00:00:00.000Z' },
      { level: 'hour', fromStart: '2026-04-02T00:00:00.000Z', toStart: '2026-04-02T05:00:00.000Z' },
    ]);
    expect(parts.edges).toEqual([]);
  });

  it('a period inside one hour is a single edge; an empty one is nothing', () => {
    expect(splitPeriod(d('2026-01-01T10:05:00Z'), d('2026-01-01T10:50:00Z'))).toEqual({
      runs: [],
      edges: [{ from: '2026-01-01T10:05:00.000Z', to: '2026-01-01T10:50:00.000Z' }],
    });
    expect(splitPeriod(d('2026-01-02T00:00:00Z'), d('2026-01-01T00:00:00Z'))).toEqual({ runs: [], edges: [] });
  });

  it('covers every instant exactly once', () => {
    const from = d('2025-12-30T22:17:00Z');
    const to = d('2026-03-02T03:44:00Z');
    const { runs, edges } = splitPeriod(from, to);
    const pieces = [
      ...edges.map((e) => [Date.parse(e.from), Date.parse(e.to)]),
      ...runs.map((r) => [Date.parse(r.fromStart), Date.parse(r.toStart)]),
    ].sort((a, b) => a[0] - b[0]);
    expect(pieces[0][0]).toBe(from.getTime());
    expect(pieces[pieces.length - 1][1]).toBe(to.getTime());
    for (let i = 1; i < pieces.length; i += 1) expect(pieces[i][0]).toBe(pieces[i - 1][1]);
  });
});
