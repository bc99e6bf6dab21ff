import { loadManifest } from '@loch/test-utils';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryOf } from './categories.js';

describe('categoryOf', () => {
  it('picks the most specific rule first', () => {
    expect(categoryOf({ features: ['checkpoint', 'deletion-vectors', 'partitioned'] })).toBe(
      'deletion-vectors',
    );
    expect(categoryOf({ features: ['feature:deletionVectors', 'partitioned'] })).toBe('partitioning');
    expect(categoryOf({ features: ['negative', 'checkpoint'] })).toBe('negative');
    expect(categoryOf({ features: ['partitioned', 'timestamp'] })).toBe('timestamps');
    expect(categoryOf({ features: [] })).toBe('primitives');
  });

  it('gives every category of the summary at least one fixture table', () => {
    const seen = new Map<string, string[]>();
    for (const t of loadManifest().tables) {
      const c = categoryOf(t);
      seen.set(c, [...(seen.get(c) ?? []), t.name]);
    }
    if (process.env['LOCH_SHOW_CATEGORIES'])
      for (const [c, names] of seen) console.log(c, names.length, names.join(' '));
    expect([...seen.keys()].sort()).toEqual([...CATEGORIES].sort());
  });
});
