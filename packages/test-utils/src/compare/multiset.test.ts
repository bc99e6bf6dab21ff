import { describe, expect, it } from 'vitest';
import { diffMultisets, formatDiff } from './multiset.js';

describe('diffMultisets', () => {
  it('is empty for the same rows in any order', () => {
    expect(diffMultisets(['a', 'b', 'a'], ['a', 'a', 'b'])).toEqual({ missing: [], unexpected: [] });
  });

  it('counts duplicates: a row twice is not the row once', () => {
    expect(diffMultisets(['a', 'a', 'b'], ['a', 'b', 'b'])).toEqual({
      missing: [{ row: 'a', count: 1 }],
      unexpected: [{ row: 'b', count: 1 }],
    });
  });

  it('reports everything missing against an empty side', () => {
    expect(diffMultisets(['x', 'x'], [])).toEqual({ missing: [{ row: 'x', count: 2 }], unexpected: [] });
    expect(diffMultisets([], ['y'])).toEqual({ missing: [], unexpected: [{ row: 'y', count: 1 }] });
  });
});

describe('formatDiff', () => {
  it('shows counts and a bounded sample of rows', () => {
    const diff = diffMultisets(['r1', 'r2', 'r3', 'r3'], ['r4']);
    const text = formatDiff(diff, { expected: 4, actual: 1 }, 2);
    expect(text).toContain('expected 4 rows, got 1; 4 missing, 1 unexpected');
    expect(text).toContain('  r1');
    expect(text).toContain('  r2');
    expect(text).not.toContain('r3');
    expect(text).toContain('... and 1 more distinct rows');
    expect(text).toContain('unexpected (read, not expected):\n  r4');
  });
});
