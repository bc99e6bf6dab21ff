import { DeltaTable } from '@loch/table';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryMetrics } from './query-metrics.js';
import { SqlSession } from './session.js';
import type { SqlTable } from './sql-table.js';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-skipping-', threads: 2 });
let plain: SqlSession;

/** The same table without `scan`: the session falls back to a full scanSql. */
const withoutScan = (t: DeltaTable): SqlTable =>
  new Proxy(t, {
    get(target, key) {
      if (key === 'scan') return undefined;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as SqlTable;

beforeAll(async () => {
  plain = new SqlSession({
    engine: fx.engine,
    openTable: (l) => withoutScan(DeltaTable.forPath(fx.ctx, l)),
    baseDir: fx.dir,
  });
  // File k holds ids [100k, 100k+99]: one append per file, disjoint ranges in every column.
  const batch = (k: number): string => `SELECT
      (${k * 100} + i)::BIGINT AS id,
      'p' || ${k % 3} AS p,
      DATE '2024-01-01' + ${k} AS d,
      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL ${k} DAY + INTERVAL (i) MINUTE AS ts,
      (${k * 100} + i + 0.5)::DECIMAL(10, 2) AS dec,
      'n${k}-' || i AS s,
      CASE WHEN ${k % 2} = 0 THEN NULL ELSE i::INTEGER END AS n
    FROM range(100) r(i)`;
  const script = [`CREATE TABLE delta.\`t\` AS ${batch(0)}`];
  for (let k = 1; k < 10; k++) script.push(`INSERT INTO delta.\`t\` ${batch(k)}`);
  script.push(
    `CREATE TABLE delta.\`pt\` PARTITIONED BY (p) AS SELECT i::BIGINT AS id, 'p' || (i % 4) AS p FROM range(40) r(i)`,
  );
  script.push(
    `CREATE TABLE delta.\`cm\` (id BIGINT, label STRING) TBLPROPERTIES ('delta.columnMapping.mode' = 'name')`,
  );
  for (let k = 0; k < 5; k++)
    script.push(`INSERT INTO delta.\`cm\` SELECT ${k * 10} + i, 'l' || i FROM range(10) r(i)`);
  script.push('ALTER TABLE delta.`cm` RENAME COLUMN id TO key');
  await fx.session.execute(script.join(';\n'));
}, 60_000);

async function both(sql: string): Promise<{ rows: unknown[][]; metrics: QueryMetrics }> {
  const a = await fx.session.execute(sql);
  const metrics = fx.session.lastMetrics!;
  const b = await plain.execute(sql);
  const sort = (rows: readonly (readonly unknown[])[]): unknown[][] =>
    rows.map((r) => [...r]).sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0));
  const ra = sort(a[a.length - 1]!.rows);
  expect(ra).toEqual(sort(b[b.length - 1]!.rows));
  return { rows: ra, metrics };
}

describe('data skipping in queries', () => {
  it('scans 1 file of 10 for a point query, with metrics', async () => {
    const { rows, metrics } = await both('SELECT id, s FROM delta.`t` WHERE id = 555');
    expect(rows).toEqual([[555n, 'n5-55']]);
    expect(metrics).toMatchObject({ filesTotal: 10, filesScanned: 1 });
    expect(metrics.bytesScanned).toBeGreaterThan(0);
    expect(metrics.bytesScanned * 5).toBeLessThan(metrics.bytesTotal);
    expect(metrics.tables[0]).toMatchObject({ table: 't', predicate: 'id = 555' });
    expect(metrics.executionMs).toBeGreaterThanOrEqual(0);
    expect(metrics.planningMs).toBeGreaterThanOrEqual(0);
  });

  // [predicate, files that may match]
  const cases: [string, number][] = [
    ['id < 250', 3],
    ['ID = 555', 1],
    ['T."id" = 555', 1],
    ['id BETWEEN 420 AND 530', 2],
    ['id IN (5, 905)', 2],
    ['n IS NULL', 5],
    ['n IS NOT NULL AND id > 700', 2],
    ["s LIKE 'n3-%'", 1],
    ["s LIKE 'n3-1_'", 10],
    ["s >= 'n8'", 2],
    ['NOT (id >= 100)', 1],
    ["id = 5 OR p = 'p2'", 4],
    ["d = DATE '2024-01-04'", 1],
    ["d > '2024-01-08'", 2],
    ["ts >= TIMESTAMP '2024-01-09 00:00:00'", 2],
    ["ts < TIMESTAMP '2024-01-01 01:00:00'", 1],
    ['dec = 305.50', 1],
    ['dec < 100.5', 1],
    ["p = 'p1' AND id < 500", 2],
    ['t.id = 5 AND id < 1000', 1],
    ['id + 0 = 5', 10],
    ['id = (SELECT 5)', 10],
    ['id = 5 OR n = 3', 6],
    ['id = 5 OR id + 0 = 3', 10],
  ];
  for (const [pred, files] of cases) {
    it(`prunes to ${files} file(s) and keeps the result for ${pred}`, async () => {
      const { rows, metrics } = await both(`SELECT * FROM delta.\`t\` WHERE ${pred}`);
      expect(metrics.filesScanned).toBe(files);
      if (files < 10) expect(rows.length).toBeGreaterThan(0);
    });
  }

  it('binds a WHERE name to the column, not to a select alias', async () => {
    const { rows } = await both('SELECT id + 1000 AS id FROM delta.`t` WHERE id = 5');
    expect(rows).toEqual([[1005n]]);
  });

  it('prunes by partition values', async () => {
    const { rows, metrics } = await both("SELECT count(*) FROM delta.`pt` WHERE p = 'p3'");
    expect(rows).toEqual([[10n]]);
    expect(metrics).toMatchObject({ filesTotal: 4, filesScanned: 1 });
  });

  it('prunes a column-mapped table by its physical stats', async () => {
    const { rows, metrics } = await both('SELECT key, label FROM delta.`cm` WHERE key = 23');
    expect(rows).toEqual([[23n, 'l3']]);
    expect(metrics).toMatchObject({ filesTotal: 5, filesScanned: 1 });
  });

  it('does not prune the NULL-filling side of an outer join', async () => {
    const left = await both(
      'SELECT a.id, b.id FROM delta.`t` a LEFT JOIN delta.`t` b ON a.id = b.id + 1 WHERE b.id IS NULL',
    );
    expect(left.rows).toEqual([[0n, null]]);
    expect(left.metrics.tables.map((t) => t.filesScanned)).toEqual([10, 10]);
    const right = await both(
      'SELECT a.id, b.id FROM delta.`t` a RIGHT JOIN delta.`t` b ON a.id = b.id WHERE a.id = 5 AND b.id < 100',
    );
    expect(right.rows).toEqual([[5n, 5n]]);
    expect(right.metrics.tables.map((t) => t.filesScanned)).toEqual([10, 1]);
    const full = await both('SELECT a.id FROM delta.`t` a FULL JOIN delta.`t` b USING (id) WHERE id = 5');
    expect(full.metrics.tables.map((t) => t.filesScanned)).toEqual([10, 10]);
  });

  it('prunes by join conditions only where a failing row can never reach the output', async () => {
    const left = await both(
      'SELECT a.id, b.id FROM delta.`t` a LEFT JOIN delta.`t` b ON a.id = b.id AND b.id < 100 WHERE a.id IN (5, 505)',
    );
    expect(left.rows).toEqual([
      [5n, 5n],
      [505n, null],
    ]);
    expect(left.metrics.tables.map((t) => t.filesScanned)).toEqual([2, 1]);
    const full = await both(
      'SELECT a.id, b.id FROM delta.`t` a FULL JOIN delta.`t` b ON a.id = b.id AND b.id < 100 AND a.id < 100',
    );
    expect(full.rows).toHaveLength(1900);
    expect(full.metrics.tables.map((t) => t.filesScanned)).toEqual([10, 10]);
    const inner = await both(
      'SELECT count(*) FROM delta.`t` a JOIN delta.`t` b ON a.id = b.id AND b.id >= 950',
    );
    expect(inner.rows).toEqual([[50n]]);
    expect(inner.metrics.tables.map((t) => t.filesScanned)).toEqual([10, 1]);
  });

  it('treats constant conditions as unknown, never as pruning everything', async () => {
    expect((await both('SELECT id FROM delta.`t` WHERE true AND id = 5')).metrics.filesScanned).toBe(1);
    expect((await both('SELECT id FROM delta.`t` WHERE false OR id = 5')).rows).toEqual([[5n]]);
  });

  it('prunes each side of an inner join by its own columns only', async () => {
    const { rows, metrics } = await both(
      'SELECT a.id, b.id FROM delta.`t` a JOIN delta.`t` b ON a.id + 100 = b.id WHERE a.id = 5',
    );
    expect(rows).toEqual([[5n, 105n]]);
    expect(metrics.tables.map((t) => t.filesScanned)).toEqual([1, 10]);
    expect(metrics).toMatchObject({ filesTotal: 20, filesScanned: 11 });
  });

  it('prunes inside subqueries and CTEs', async () => {
    const sub = await both('SELECT count(*) FROM (SELECT * FROM delta.`t` WHERE id < 100) x WHERE x.n = 3');
    expect(sub.metrics.filesScanned).toBe(1);
    const cte = await both('WITH c AS (SELECT id FROM delta.`t` WHERE id >= 900) SELECT max(id) FROM c');
    expect(cte.rows).toEqual([[999n]]);
    expect(cte.metrics.filesScanned).toBe(1);
  });

  it('prunes time travel reads against that version', async () => {
    const { rows, metrics } = await both('SELECT count(*) FROM delta.`t` VERSION AS OF 2 WHERE id >= 200');
    expect(rows).toEqual([[100n]]);
    expect(metrics).toMatchObject({ filesTotal: 3, filesScanned: 1 });
  });

  it('scans nothing when no file can match', async () => {
    const { rows, metrics } = await both('SELECT * FROM delta.`t` WHERE id > 5000');
    expect(rows).toEqual([]);
    expect(metrics).toMatchObject({ filesScanned: 0, bytesScanned: 0 });
  });

  it('EXPLAIN shows the pruning before the plan', async () => {
    const [r] = await fx.session.execute('EXPLAIN SELECT * FROM delta.`t` WHERE id = 555');
    const text = r!.rows.map((row) => row.join('\t')).join('\n');
    expect(text).toContain('files scanned 1/10');
    expect(text).toContain('predicate: id = 555');
    expect(r!.rows.length).toBeGreaterThan(1);
  });
});
