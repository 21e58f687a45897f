import { dealTimelineProjection } from '../../../projections/deal-timeline.projection';
import { lateClass } from '../../../projections/shared/board-history';
import { dealsKnownLater } from '../../../src/audit/as-of/known-later';
import { log, Planned, DealStream } from '../../support/planned-history';
import { project, ProjectedModel } from '../../support/projection-harness';

/**
 * The deals a knownAt query must fold at the point: a change on or before asOf recorded after
 * knownAt. Four deals: one live (recorded as it happened), one imported a month late, one changed
 * after asOf, one whose only late change happened after asOf.
 */
describe('dealsKnownLater', () => {
  let model: ProjectedModel;
  const planned: Planned[] = [];

  beforeAll(async () => {
    const live = new DealStream('live', 'USD')
      .open('u-ana', 'initial_contact', 1000, '2026-01-05T10:00:00Z')
      .move('qualified', '2026-02-10T10:00:00Z');
    const imported = new DealStream('imported', 'USD')
      .open('u-ana', 'initial_contact', 1000, '2026-01-06T10:00:00Z', '2026-03-01T00:00:00Z')
      .move('qualified', '2026-01-20T10:00:00Z', '2026-03-01T00:00:00Z');
    const changedLater = new DealStream('changed-later', 'USD')
      .open('u-ben', 'initial_contact', null, '2026-01-07T10:00:00Z')
      .reprice(5000, '2026-02-20T10:00:00Z');
    const lateAfterAsOf = new DealStream('late-after-as-of', 'USD')
      .open('u-ben', 'initial_contact', 1000, '2026-01-08T10:00:00Z')
      .move('qualified', '2026-02-16T10:00:00Z', '2026-02-25T10:00:00Z');
    for (const deal of [live, imported, changedLater, lateAfterAsOf]) planned.push(...deal.events);
    model = await project(dealTimelineProjection, log(planned), 2);
  });
  afterAll(() => model.close());

  const known = (asOf: string, knownAt: string, limit = 1000) =>
    dealsKnownLater(model.store, model.name, new Date(asOf), new Date(knownAt), limit);

  it('names the deals with a change by asOf recorded after knownAt, whatever its lateness', async () => {
    // asOf 02-15, knownAt 02-12: the import (recorded 03-01, changes in January) only.
    expect([...(await known('2026-02-15T00:00:00Z', '2026-02-12T00:00:00Z'))!]).toEqual([
      'imported',
    ]);
    // asOf 02-17: the late move of 02-16 (recorded 02-25) too.
    expect([...(await known('2026-02-17T00:00:00Z', '2026-02-12T00:00:00Z'))!].sort()).toEqual([
      'imported',
      'late-after-as-of',
    ]);
    // asOf 02-21, knownAt 02-20T12:00: the reprice (02-20T10, recorded at once) is known by then.
    expect([...(await known('2026-02-21T00:00:00Z', '2026-02-20T12:00:00Z'))!].sort()).toEqual([
      'imported',
      'late-after-as-of',
    ]);
    // knownAt after every recording: nothing to fold.
    expect([...(await known('2026-03-05T00:00:00Z', '2026-03-02T00:00:00Z'))!]).toEqual([]);
  });

  it('gives up past the limit, counting every change recorded after knownAt that it reads', async () => {
    // Recorded after 01-01 and happened by 02-21: all 8 changes, each read from its class's range.
    expect(await known('2026-02-21T00:00:00Z', '2026-01-01T00:00:00Z', 7)).toBeUndefined();
    expect(await known('2026-02-21T00:00:00Z', '2026-01-01T00:00:00Z', 8)).toBeDefined();
  });

  it('files each change under the class of how late it was recorded', () => {
    expect(lateClass('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe('l0');
    expect(lateClass('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.999Z')).toBe('l0');
    expect(lateClass('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z')).toBe('l1');
    // 53 days 14 hours = 4,629,600 s, between 2^22 and 2^23 s: class 23.
    expect(lateClass('2026-01-06T10:00:00.000Z', '2026-03-01T00:00:00.000Z')).toBe('l23');
  });
});
