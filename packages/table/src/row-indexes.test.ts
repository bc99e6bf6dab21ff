import { describe, expect, it } from 'vitest';
import { parseRowIndexes } from './dml-common.js';

describe('parseRowIndexes', () => {
  it('parses a comma-separated list of row indexes', () => {
    expect([...parseRowIndexes('7,0,123456789012,42')]).toEqual([7, 0, 123456789012, 42]);
    expect([...parseRowIndexes('5')]).toEqual([5]);
    expect(parseRowIndexes('').length).toBe(0);
  });

  it('rejects anything but non-negative integers', () => {
    for (const bad of ['1,,2', '1,-2', '1,2,', 'x', '1.5']) {
      expect(() => parseRowIndexes(bad), bad).toThrow(/unexpected row index list/);
    }
  });
});
