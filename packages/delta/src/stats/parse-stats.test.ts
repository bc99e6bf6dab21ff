import { describe, expect, it } from 'vitest';
import { parseStats, statsNumRecords } from './parse-stats.js';

describe('parseStats', () => {
  it('parses the JSON stats string', () => {
    const stats =
      '{"numRecords":3,"minValues":{"id":1,"s":{"x":"a"}},"maxValues":{"id":3,"s":{"x":"c"}},"nullCount":{"id":0,"s":{"x":1}},"tightBounds":false}';
    expect(parseStats({ stats })).toEqual({
      numRecords: 3,
      minValues: { id: 1, s: { x: 'a' } },
      maxValues: { id: 3, s: { x: 'c' } },
      nullCount: { id: 0, s: { x: 1 } },
      tightBounds: false,
    });
  });

  it('falls back to checkpoint struct stats', () => {
    expect(parseStats({ stats: null, statsParsed: { numRecords: 2, minValues: { a: 1 } } })).toEqual({
      numRecords: 2,
      minValues: { a: 1 },
      maxValues: {},
      nullCount: {},
    });
  });

  it('treats missing or unreadable stats as unknown', () => {
    expect(parseStats({})).toBeUndefined();
    expect(parseStats({ stats: '{broken' })).toBeUndefined();
    expect(parseStats({ stats: '{"minValues":{}}' })).toBeUndefined();
  });
});

describe('statsNumRecords', () => {
  it('reads the count off the front, or from a full parse when it is not first', () => {
    expect(statsNumRecords({ stats: '{"numRecords":42,"minValues":{"a":1}}' })).toBe(42);
    expect(statsNumRecords({ stats: '{"minValues":{"a":1},"numRecords":7}' })).toBe(7);
    expect(statsNumRecords({ stats: '{"numRecords":"9"}' })).toBe(9);
    expect(statsNumRecords({ statsParsed: { numRecords: 5 } })).toBe(5);
  });

  it('is undefined without a count or with unreadable stats', () => {
    expect(statsNumRecords({})).toBeUndefined();
    expect(statsNumRecords({ stats: '{"minValues":{}}' })).toBeUndefined();
    expect(statsNumRecords({ stats: 'not json' })).toBeUndefined();
  });
});
