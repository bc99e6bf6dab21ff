import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeRelation } from './compare-rows.js';
import { type DuckRunner, openDuckRunner } from './duck-runner.js';
import { canonicalRowSql, diffRelationsInSql } from './sql-diff.js';

let db: DuckRunner;
beforeAll(async () => {
  db = await openDuckRunner();
});
afterAll(async () => {
  await db.close();
});

const rel = async (sql: string) => ({
  sql,
  columns: (await db.query(`SELECT * FROM (${sql}) LIMIT 0`)).columns,
});

describe('canonicalRowSql', () => {
  it('builds the same row strings as the JS canonicalization', async () => {
    const sql = `SELECT * FROM (VALUES
      (2, 'b', [1, NULL], MAP {'k': 1.50::DECIMAL(5,2)}, {'z': NULL, 'a': '2020-01-01'::DATE}),
      (1, NULL, NULL, NULL, NULL)) t(id, "s t", l, m, st)`;
    const { columns } = await rel(sql);
    const viaSql = await db.query(`SELECT ${canonicalRowSql(columns, '__x')} AS r FROM (${sql}) AS __x`);
    const viaJs = await canonicalizeRelation(db, sql);
    expect(viaSql.rows.map((r) => r[0]).sort()).toEqual([...viaJs.rows].sort());
  });
});

describe('diffRelationsInSql', () => {
  it('returns counts and only the rows whose multiplicity differs', async () => {
    const r = await diffRelationsInSql(
      db,
      await rel('SELECT * FROM (VALUES (1), (1), (2), (3)) t(x)'),
      await rel('SELECT * FROM (VALUES (1), (2), (2), (3), (4)) t(x)'),
    );
    expect(r.expectedCount).toBe(4);
    expect(r.actualCount).toBe(5);
    expect(r.diff).toEqual({
      missing: [{ row: 'x=1', count: 1 }],
      unexpected: [
        { row: 'x=2', count: 1 },
        { row: 'x=4', count: 1 },
      ],
    });
  });

  it('handles empty sides', async () => {
    const r = await diffRelationsInSql(
      db,
      await rel('SELECT 1 AS x WHERE false'),
      await rel('SELECT 1 AS x'),
    );
    expect(r).toEqual({
      expectedCount: 0,
      actualCount: 1,
      diff: { missing: [], unexpected: [{ row: 'x=1', count: 1 }] },
    });
  });
});
