import { jsonClone } from '../../../src/projection-runner/json-clone';

describe('jsonClone', () => {
  it('copies deeply, so changing the original afterwards leaves the copy alone', () => {
    const original = { id: 'd1', dims: { owner: 'ann' }, owners: [{ from: 'x', owner: 'ann' }] };
    const copy = jsonClone(original);
    original.dims.owner = 'bob';
    original.owners.push({ from: 'y', owner: 'bob' });
    expect(copy).toEqual({
      id: 'd1',
      dims: { owner: 'ann' },
      owners: [{ from: 'x', owner: 'ann' }],
    });
  });

  it('keeps what JSON keeps, as the read store will hold it', () => {
    const value = {
      id: 'd1',
      gone: undefined,
      at: new Date('2026-03-01T09:00:00Z'),
      list: [1, undefined, Number.NaN, 'x', null, () => 1],
      nested: { zero: 0, no: false, inf: Number.POSITIVE_INFINITY },
      fn: () => 1,
    };
    const copy = jsonClone(value);
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
    expect('gone' in copy).toBe(false);
  });
});
