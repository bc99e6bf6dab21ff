import { describe, expect, it } from 'vitest';
import { isCatalogError } from './errors.js';
import { canonical, likeMatcher, objectName, resolveName, resolveSchema, schemaName } from './names.js';

describe('names', () => {
  it('canonicalises to lower case and rejects what Unity Catalog rejects', () => {
    expect(canonical('Orders')).toBe('orders');
    expect(canonical('ünïcode_Ok-1')).toBe('ünïcode_ok-1');
    for (const bad of ['', 'a.b', 'a b', 'a/b', 'a\tb', 'x\u007f', 'a'.repeat(256)]) {
      let caught: unknown;
      try {
        canonical(bad);
      } catch (e) {
        caught = e;
      }
      expect(isCatalogError(caught, 'INVALID_NAME'), JSON.stringify(bad)).toBe(true);
    }
  });

  it('parses fully qualified strings and parts alike', () => {
    expect(objectName('Main.Sales.Orders')).toEqual({ catalog: 'main', schema: 'sales', name: 'orders' });
    expect(objectName({ catalog: 'A', schema: 'B', name: 'C' })).toEqual({
      catalog: 'a',
      schema: 'b',
      name: 'c',
    });
    expect(schemaName('Main.Sales')).toEqual({ catalog: 'main', schema: 'sales' });
    expect(() => objectName('sales.orders', 'table')).toThrow(
      /table name "sales.orders" must have 3 dot-separated parts/,
    );
    expect(() => schemaName('main')).toThrow(/must have 2 dot-separated parts/);
  });

  it('resolves short names against the current catalog and schema (USE CATALOG / USE SCHEMA)', () => {
    const current = { catalog: 'main', schema: 'sales' };
    expect(resolveName(['Orders'], current)).toEqual({ catalog: 'main', schema: 'sales', name: 'orders' });
    expect(resolveName(['hr', 'people'], current)).toEqual({ catalog: 'main', schema: 'hr', name: 'people' });
    expect(resolveName(['dev', 'hr', 'people'], current)).toEqual({
      catalog: 'dev',
      schema: 'hr',
      name: 'people',
    });
    expect(() => resolveName(['a', 'b', 'c', 'd'], current)).toThrow(/has 4 parts/);
    expect(resolveSchema(['hr'], 'main')).toEqual({ catalog: 'main', schema: 'hr' });
    expect(resolveSchema(['dev', 'HR'], 'main')).toEqual({ catalog: 'dev', schema: 'hr' });
  });

  it('matches SHOW ... LIKE patterns case-insensitively', () => {
    const names = ['orders', 'order_items', 'customers', 'orders2', 'a.b+c'];
    const match = (p?: string) => names.filter(likeMatcher(p));
    expect(match()).toEqual(names);
    expect(match('ORDERS')).toEqual(['orders']);
    expect(match('order*')).toEqual(['orders', 'order_items', 'orders2']);
    expect(match('order%')).toEqual(['orders', 'order_items', 'orders2']);
    expect(match('orders_')).toEqual(['orders2']);
    expect(match('cust* | orders')).toEqual(['orders', 'customers']);
    expect(match('a.b+c')).toEqual(['a.b+c']);
    expect(match('a?b')).toEqual([]);
  });
});
