import { DomainError } from '../../../domain/shared/domain-error';
import { inTimePoint, instantOf, timePointOf } from '../../../src/audit/as-of/time-point';

describe('as-of time points', () => {
  it('reads a bare date as the end of that day in UTC, an instant as itself', () => {
    expect(instantOf('2026-03-13', 'asOf').toISOString()).toBe('2026-03-13T23:59:59.999Z');
    expect(instantOf('2026-03-13T08:00:00+08:00', 'asOf').toISOString()).toBe(
      '2026-03-13T00:00:00.000Z',
    );
  });

  it('defaults asOf to knownAt, and is undefined without either', () => {
    expect(timePointOf({})).toBeUndefined();
    const point = timePointOf({ knownAt: '2026-03-12T10:00:00Z' });
    expect(point?.asOf.toISOString()).toBe('2026-03-12T10:00:00.000Z');
    expect(point?.knownAt?.toISOString()).toBe('2026-03-12T10:00:00.000Z');
    expect(timePointOf({ asOf: '2026-03-01T00:00:00Z' })?.knownAt).toBeUndefined();
  });

  it('names the field it cannot read', () => {
    expect(() => instantOf('soon', 'knownAt')).toThrow(DomainError);
    try {
      instantOf('soon', 'knownAt');
    } catch (error) {
      expect(error).toMatchObject({ code: 'known_at.invalid', field: 'knownAt' });
    }
  });

  it('keeps an event when it occurred by asOf and, with knownAt, was recorded by then', () => {
    const event = {
      metadata: { occurredAt: '2026-03-13T12:00:00Z' },
      recordedAt: '2026-03-14T09:00:00Z',
    };
    const at = (asOf: string, knownAt?: string) =>
      inTimePoint(
        { asOf: new Date(asOf), knownAt: knownAt ? new Date(knownAt) : undefined },
        event,
      );
    expect(at('2026-03-13T12:00:00Z')).toBe(true);
    expect(at('2026-03-13T11:59:59.999Z')).toBe(false);
    expect(at('2026-03-13T18:00:00Z', '2026-03-13T18:00:00Z')).toBe(false);
    expect(at('2026-03-13T18:00:00Z', '2026-03-14T09:00:00Z')).toBe(true);
  });
});
