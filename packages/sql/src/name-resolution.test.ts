import type { ObjectInfo, ObjectName } from '@loch/catalog';
import { describe, expect, it } from 'vitest';
import { type NameResolver, resolveNames } from './name-resolution.js';

const base = { owner: 'admin', createdAt: new Date(0), updatedAt: new Date(0), displayName: '' };
const objects: Record<string, ObjectInfo> = {
  'main.default.orders': {
    ...base,
    kind: 'table',
    catalog: 'main',
    schema: 'default',
    name: 'orders',
    fullName: 'main.default.orders',
    id: '1',
    tableType: 'managed',
    location: '/wh/t1',
    format: 'delta',
    properties: {},
  },
  'main.sales.v': {
    ...base,
    kind: 'view',
    catalog: 'main',
    schema: 'sales',
    name: 'v',
    fullName: 'main.sales.v',
    id: '2',
    sql: 'SELECT * FROM orders',
    properties: { 'view.catalogAndNamespace.part.0': 'main', 'view.catalogAndNamespace.part.1': 'default' },
  },
};

const resolver: NameResolver = {
  current: { catalog: 'main', schema: 'default' },
  lookup: async (n: ObjectName) => objects[`${n.catalog}.${n.schema}.${n.name}`],
  notFound: async (n) => {
    throw new Error(`not found ${n.catalog}.${n.schema}.${n.name}`);
  },
  schemaExists: async (s) => s.catalog === 'main' && ['default', 'sales'].includes(s.schema),
  catalogExists: async (c) => c === 'main',
  engineHasCatalog: async (c) => c === 'memory',
  engineHasRelation: async (n) => n === 'scratch',
};

const resolve = (sql: string) => resolveNames(sql, resolver);

describe('resolveNames', () => {
  it('turns named tables into delta paths, adding the table name as alias where a query reads them', async () => {
    expect(await resolve('SELECT orders.id FROM orders')).toBe(
      'SELECT orders.id FROM delta.`/wh/t1` AS "orders"',
    );
    expect(await resolve('SELECT * FROM `MAIN`.default.Orders o')).toBe('SELECT * FROM delta.`/wh/t1` o');
    expect(await resolve('SELECT * FROM orders VERSION AS OF 3')).toBe(
      'SELECT * FROM delta.`/wh/t1` VERSION AS OF 3 AS "orders"',
    );
    expect(await resolve('INSERT INTO orders VALUES (1)')).toBe('INSERT INTO delta.`/wh/t1` VALUES (1)');
    expect(await resolve('DESCRIBE HISTORY orders')).toBe('DESCRIBE HISTORY delta.`/wh/t1`');
  });

  it('expands views against the schema they were created in', async () => {
    expect(await resolve('SELECT * FROM sales.v')).toBe(
      'SELECT * FROM (SELECT * FROM delta.`/wh/t1` AS "orders") AS "v"',
    );
    await expect(resolve('INSERT INTO sales.v VALUES (1)')).rejects.toThrow('is a view');
  });

  it('leaves CTEs, DuckDB relations, unknown schemas and FROM inside calls alone', async () => {
    const same = [
      'WITH x AS (SELECT 1) SELECT * FROM x',
      'SELECT * FROM scratch',
      'SELECT * FROM pg_catalog.pg_class',
      'SELECT * FROM memory.main.t',
      "SELECT extract(year FROM d), trim(BOTH 'x' FROM s) FROM delta.`/p`",
      'SELECT a IS DISTINCT FROM b',
      "SELECT * FROM read_parquet('x')",
    ];
    for (const sql of same) expect(await resolve(sql)).toBe(sql);
  });

  it('reports unknown names in known schemas and catalogs', async () => {
    await expect(resolve('SELECT * FROM order')).rejects.toThrow('not found main.default.order');
    await expect(resolve('SELECT * FROM main.nope.t')).rejects.toThrow('not found main.nope.t');
    await expect(resolve('SELECT * FROM nocat.s.t')).rejects.toThrow('not found nocat.s.t');
  });

  it('treats every table of a FROM list and both sides of a MERGE as tables', async () => {
    expect(await resolve('SELECT 1 FROM orders a, orders b')).toBe(
      'SELECT 1 FROM delta.`/wh/t1` a, delta.`/wh/t1` b',
    );
    expect(
      await resolve('MERGE INTO orders USING orders s ON orders.id = s.id WHEN MATCHED THEN UPDATE SET *'),
    ).toBe(
      'MERGE INTO delta.`/wh/t1` AS "orders" USING delta.`/wh/t1` s ON orders.id = s.id WHEN MATCHED THEN UPDATE SET *',
    );
  });
});
