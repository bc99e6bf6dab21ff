import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loch, ndjson, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe('create, insert, select in every format', () => {
  beforeAll(() => {
    sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`people\` (id BIGINT NOT NULL, name STRING, score DECIMAL(5,2)) USING DELTA;
       INSERT INTO delta.\`people\` VALUES (1, 'ann', 1.5), (2, 'bo, "b"', NULL)`,
    );
  });

  it('writes a Delta log under the warehouse', () => {
    expect(existsSync(join(cli.dir, 'people', '_delta_log', '00000000000000000000.json'))).toBe(true);
    expect(existsSync(join(cli.dir, 'people', '_delta_log', '00000000000000000001.json'))).toBe(true);
  });

  it('ndjson', () => {
    expect(ndjson(sqlOk(cli.dir, 'SELECT * FROM delta.`people` ORDER BY id'))).toEqual([
      { id: 1, name: 'ann', score: '1.50' },
      { id: 2, name: 'bo, "b"', score: null },
    ]);
  });

  it('json', () => {
    expect(JSON.parse(sqlOk(cli.dir, 'SELECT id, name FROM delta.`people` ORDER BY id', 'json'))).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bo, "b"' },
    ]);
  });

  it('csv', () => {
    const out = sqlOk(cli.dir, 'SELECT id, name FROM delta.`people` ORDER BY id', 'csv');
    expect(out.trim().split(/\r?\n/)).toEqual(['id,name', '1,ann', '2,"bo, ""b"""']);
  });

  it('table (the default)', () => {
    const r = loch(['sql', '--warehouse', cli.dir, 'SELECT id, name FROM delta.`people` ORDER BY id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('id');
    expect(r.stdout).toContain('ann');
    expect(r.stdout).toContain('bo, "b"');
  });

  it('INSERT reports affected rows like Databricks', () => {
    expect(ndjson(sqlOk(cli.dir, "INSERT INTO delta.`people` (id, name) SELECT 3, 'cy'"))).toEqual([
      { num_affected_rows: 1, num_inserted_rows: 1 },
    ]);
    expect(ndjson(sqlOk(cli.dir, 'SELECT count(*) AS n, count(score) AS s FROM delta.`people`'))).toEqual([
      { n: 3, s: 1 },
    ]);
  });

  it('resolves absolute paths and file:// URLs to the same table', () => {
    const abs = join(cli.dir, 'people');
    const a = ndjson(sqlOk(cli.dir, `SELECT count(*) AS n FROM delta.\`${abs}\``));
    const b = ndjson(sqlOk(cli.dir, `SELECT count(*) AS n FROM delta.\`file://${abs}\``));
    expect(a).toEqual(b);
  });
});

describe('ndjson value rules', () => {
  it('prints every type as the contract says', () => {
    const out = sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`types\` (
         i INT, big BIGINT, huge BIGINT, dec DECIMAL(10,3), d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, b BINARY,
         s STRUCT<a: INT, b: STRING>, arr ARRAY<INT>, m MAP<STRING, INT>, str STRING, ok BOOLEAN, dbl DOUBLE);
       INSERT INTO delta.\`types\` SELECT
         1, 42, 9007199254740993, 1.5, DATE '2024-01-31', TIMESTAMPTZ '2024-01-31 12:34:56.123456+00',
         TIMESTAMP '2024-01-31 12:34:56.123456', 'hi'::BLOB, {'a': 1, 'b': 'x'}, [1, 2, NULL], MAP {'k': 1},
         'str', true, 1.25;
       SELECT * FROM delta.\`types\``,
    );
    expect(ndjson(out)).toEqual([
      {
        i: 1,
        big: 42,
        huge: '9007199254740993',
        dec: '1.500',
        d: '2024-01-31',
        ts: '2024-01-31T12:34:56.123456Z',
        ntz: '2024-01-31T12:34:56.123456',
        b: 'aGk=',
        s: { a: 1, b: 'x' },
        arr: [1, 2, null],
        m: [{ key: 'k', value: 1 }],
        str: 'str',
        ok: true,
        dbl: 1.25,
      },
    ]);
  });
});

describe('scripts of several statements', () => {
  const script = (t: string) =>
    `CREATE TABLE delta.\`${t}\` (id INT); INSERT INTO delta.\`${t}\` VALUES (7); SELECT 'first' AS a; SELECT id FROM delta.\`${t}\``;

  it('print every result as a table, in order', () => {
    const table = sqlOk(cli.dir, script('multi_table'), 'table');
    const inserted = table.indexOf('num_affected_rows');
    const first = table.indexOf('first');
    const id = table.indexOf('id\n');
    expect(inserted).toBeGreaterThanOrEqual(0);
    expect(first).toBeGreaterThan(inserted);
    expect(id).toBeGreaterThan(first);
  });

  it('print only the last result in machine formats', () => {
    expect(ndjson(sqlOk(cli.dir, script('multi_ndjson')))).toEqual([{ id: 7 }]);
    expect(sqlOk(cli.dir, "SELECT 1 AS a; SELECT 'x' AS b", 'csv')).toBe('b\nx\n');
  });
});
