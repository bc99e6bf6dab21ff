import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataType } from '@loch/delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_DELETED_ROWS_LIMIT } from './deleted-rows-registry.js';
import { DuckEngine } from './duck-engine.js';
import { isEngineError } from './errors.js';

describe('DuckEngine', () => {
  let engine: DuckEngine;
  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 2, threads: 2 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('runs queries and reports DuckDB column types', async () => {
    const r = await engine.query("SELECT 1::BIGINT AS a, 'x' AS b, 1.50::DECIMAL(10,2) AS d");
    expect(r.columns).toEqual([
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'd', type: 'DECIMAL(10,2)' },
    ]);
    expect(r.rows[0]![0]).toBe(1n);
    expect(r.rows[0]![1]).toBe('x');
  });

  it('returns the result of the last statement and keeps objects across pooled connections', async () => {
    await engine.run('CREATE TABLE t_pool AS SELECT range AS i FROM range(10)');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, k) => engine.query(`SELECT ${k} AS k, count(*) AS n FROM t_pool`)),
    );
    expect(results.map((r) => [Number(r.rows[0]![0]), Number(r.rows[0]![1])])).toEqual(
      Array.from({ length: 6 }, (_, k) => [k, 10]),
    );
    const last = await engine.query('SELECT 1 AS a; SELECT 2 AS b');
    expect(last.columns[0]!.name).toBe('b');
  });

  it('runs sessions in UTC', async () => {
    const r = await engine.query("SELECT CAST(TIMESTAMP '2021-01-01 10:00:00' AS TIMESTAMPTZ)::VARCHAR AS t");
    expect(r.rows[0]![0]).toBe('2021-01-01 10:00:00+00');
  });

  it('describes a query without running it', async () => {
    const cols = await engine.describe("SELECT 1::INTEGER AS a, {'x': 1} AS s, [1.5] AS l");
    expect(cols).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 's', type: 'STRUCT("x" INTEGER)' },
      { name: 'l', type: 'DECIMAL(2,1)[]' },
    ]);
  });

  it('streams large results chunk by chunk', async () => {
    let rows = 0;
    let chunks = 0;
    let sum = 0n;
    const out = await engine.stream('SELECT range AS i FROM range(10000)', (chunk) => {
      chunks++;
      rows += chunk.rows.length;
      for (const r of chunk.rows) sum += r[0] as bigint;
    });
    expect(out.rowCount).toBe(10000);
    expect(rows).toBe(10000);
    expect(chunks).toBeGreaterThan(1);
    expect(sum).toBe(49995000n);
    expect(out.columns).toEqual([{ name: 'i', type: 'BIGINT' }]);
  });

  it('passes errors thrown by a stream callback through unchanged', async () => {
    const mine = new Error('stop here');
    const err = await engine
      .stream('SELECT range FROM range(10000)', () => {
        throw mine;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(mine);
    // The connection is still usable afterwards.
    expect((await engine.query('SELECT 42 AS x')).rows[0]![0]).toBe(42);
  });

  it('wraps DuckDB errors keeping their message', async () => {
    const err = await engine.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(isEngineError(err, 'DUCKDB_ERROR')).toBe(true);
    expect((err as Error).message).toContain('no_such_table');
  });

  it('fails fast on extensions that would need the network', async () => {
    const err = await engine
      .query("SELECT * FROM read_csv('https://example.invalid/x.csv')")
      .catch((e: unknown) => e);
    expect(isEngineError(err, 'DUCKDB_ERROR')).toBe(true);
  });

  it('does not block a short query behind a long one', async () => {
    const order: string[] = [];
    const long = engine
      .query('SELECT count(*) FROM range(30000000) a WHERE a.range % 7 = 3')
      .then(() => order.push('long'));
    const short = engine.query('SELECT 1').then(() => order.push('short'));
    await Promise.all([long, short]);
    expect(order).toEqual(['short', 'long']);
  });

  it('keeps deleted-row tables out of a file-backed database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loch-engine-'));
    try {
      const dbPath = path.join(dir, 'db.duckdb');
      const file = path.join(dir, 'data.parquet');
      const e1 = await DuckEngine.create({ path: dbPath });
      await e1.run(`COPY (SELECT range AS i FROM range(5000)) TO '${file}' (FORMAT parquet)`);
      const deletedRows = Array.from({ length: INLINE_DELETED_ROWS_LIMIT + 10 }, (_, k) => k);
      const sql = await e1.scanSql({
        files: [{ location: file, partitionValues: {}, deletedRows }],
        schema: DataType.struct([DataType.field('i', DataType.primitive('long'))]),
        partitionColumns: [],
        columnMappingMode: 'none',
      });
      expect(Number((await e1.query(`SELECT count(*) FROM (${sql})`)).rows[0]![0])).toBe(
        5000 - deletedRows.length,
      );
      await e1.close();
      const e2 = await DuckEngine.create({ path: dbPath });
      const tables = await e2.query("SELECT count(*) FROM duckdb_tables() WHERE database_name <> 'temp'");
      expect(Number(tables.rows[0]![0])).toBe(0);
      await e2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects use after close', async () => {
    const e2 = await DuckEngine.create();
    await e2.close();
    const err = await e2.query('SELECT 1').catch((e: unknown) => e);
    expect(isEngineError(err, 'ENGINE_CLOSED')).toBe(true);
  });

  it('exposes a parquet action reader', () => {
    expect(typeof engine.actionReader.readActions).toBe('function');
  });
});
