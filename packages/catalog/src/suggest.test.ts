import { describe, expect, it } from 'vitest';
import { alreadyExists, CatalogError, notFound } from './errors.js';
import { closestName, levenshtein } from './suggest.js';

describe('suggestions', () => {
  it('computes edit distance', () => {
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('order', 'orders')).toBe(1);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('suggests only near misses, deterministically', () => {
    expect(closestName('orders', ['order', 'customers'])).toBe('order');
    expect(closestName('ORDRES', ['orders'])).toBe('orders');
    expect(closestName('x', ['completely_different'])).toBeUndefined();
    expect(closestName('ab', ['ac', 'aa'])).toBe('aa');
    expect(closestName('orders', ['orders'])).toBeUndefined();
  });

  it('builds not-found and already-exists errors with SQLSTATEs', () => {
    const e = notFound('table', 'main.sales.orders', ['order', 'items'], 'main.sales');
    expect(e).toBeInstanceOf(CatalogError);
    expect(e).toMatchObject({
      code: 'TABLE_NOT_FOUND',
      sqlstate: '42P01',
      message: 'table main.sales.orders not found; did you mean main.sales.order?',
    });
    expect(notFound('catalog', 'mian', ['main']).message).toBe('catalog mian not found; did you mean main?');
    expect(notFound('catalog', 'zzz', ['main']).message).toBe(
      'catalog zzz not found; check the name with SHOW CATALOGS',
    );
    expect(alreadyExists('schema', 'main.s').sqlstate).toBe('42P06');
    expect(alreadyExists('table', 'main.s.t').sqlstate).toBe('42P07');
    expect(alreadyExists('function', 'main.s.f').sqlstate).toBe('42723');
    expect(alreadyExists('view', 'main.s.t', 'table').message).toBe(
      'table (not a view) main.s.t already exists; use IF NOT EXISTS, OR REPLACE or another name',
    );
  });
});
