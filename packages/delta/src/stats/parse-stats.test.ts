import { describe, expect, it } from 'vitest';
import { parseStats } from './parse-stats.js';

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
