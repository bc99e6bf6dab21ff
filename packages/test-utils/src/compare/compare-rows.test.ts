import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetUnionSql } from '../fixtures/expected-rows.js';
import { withTempDir } from '../temp-dir.js';
import { canonicalizeRelation, compareRows, type ExpectedRows, jsonColumnMode } from './compare-rows.js';
import { type DuckRunner, openDuckRunner } from './duck-runner.js';

let db: DuckRunner;
beforeAll(async () => {
  db = await openDuckRunner();
});
afterAll(async () => {
  await db.close();
});

const rel = (sql: string): ExpectedRows => ({ kind: 'relation', sql });
const same = async (a: string, b: string): Promise<boolean> => (await compareRows(db, rel(a), b)).ok;

describe('compareRows on relations', () => {
  it('ignores row order but counts duplicates', async () => {
    expect(
      await same('SELECT * FROM (VALUES (1), (2), (2)) t(x)', 'SELECT * FROM (VALUES (2), (1), (2)) t(x)'),
    ).toBe(true);
    const r = await compareRows(
      db,
      rel('SELECT * FROM (VALUES (1), (1), (2)) t(x)'),
      'SELECT * FROM (VALUES (1), (2), (2)) t(x)',
    );
    expect(r.ok).toBe(false);
    expect(r.diff.missing).toEqual([{ row: 'x=1', count: 1 }]);
    expect(r.diff.unexpected).toEqual([{ row: 'x=2', count: 1 }]);
    expect(r.message).toContain('missing (expected, not read):\n  x=1');
  });

  it('matches columns by name, not position, and fails on a different column set', async () => {
    expect(await same("SELECT 1 AS a, 'x' AS b", "SELECT 'x' AS b, 1 AS a")).toBe(true);
    const r = await compareRows(db, rel('SELECT 1 AS a, 2 AS b'), 'SELECT 1 AS a');
    expect(r.ok).toBe(false);
    expect(r.message).toContain('columns differ: expected [a, b], got [a]');
  });

  it('compares integers by value across widths', async () => {
    expect(await same('SELECT 5::TINYINT AS v', 'SELECT 5::BIGINT AS v')).toBe(true);
    expect(await same('SELECT 5::INTEGER AS v', 'SELECT 6::INTEGER AS v')).toBe(false);
  });

  it('compares decimals by value and scale, not precision', async () => {
    expect(await same('SELECT 1.50::DECIMAL(5,2) AS d', 'SELECT 1.50::DECIMAL(38,2) AS d')).toBe(true);
    expect(await same('SELECT 1.50::DECIMAL(5,2) AS d', 'SELECT 1.5::DECIMAL(5,1) AS d')).toBe(false);
    expect(
      await same(
        "SELECT '-0.000000000000000000000000000000000001'::DECIMAL(38,36) AS d",
        "SELECT '-0.000000000000000000000000000000000001'::DECIMAL(38,36) AS d",
      ),
    ).toBe(true);
  });

  it('compares floats exactly, NaN equal to NaN, float not equal to its double widening', async () => {
    expect(await same("SELECT 'NaN'::DOUBLE AS f", "SELECT 'NaN'::DOUBLE AS f")).toBe(true);
    expect(
      await same("SELECT '0.1'::DOUBLE AS f", "SELECT '0.1000000000000000055511151231257827'::DOUBLE AS f"),
    ).toBe(true); // two spellings of one double
    expect(await same('SELECT 0.1::DOUBLE AS f', 'SELECT 0.10000000000000002::DOUBLE AS f')).toBe(false);
    expect(await same('SELECT 1.1::FLOAT AS f', 'SELECT 1.1::FLOAT::DOUBLE AS f')).toBe(false);
    expect(await same("SELECT 'Infinity'::FLOAT AS f", "SELECT '-Infinity'::FLOAT AS f")).toBe(false);
  });

  it('compares zoned timestamps as UTC instants regardless of the session time zone', async () => {
    await db.query("SET TimeZone = 'America/Los_Angeles'");
    try {
      expect(
        await same(
          "SELECT '2021-09-08 11:11:11.123456+00'::TIMESTAMPTZ AS t",
          "SELECT '2021-09-08 13:11:11.123456+02'::TIMESTAMPTZ AS t",
        ),
      ).toBe(true);
      expect(
        await same(
          "SELECT '2021-09-08 11:11:11+00'::TIMESTAMPTZ AS t",
          "SELECT '2021-09-08 11:11:11+01'::TIMESTAMPTZ AS t",
        ),
      ).toBe(false);
      const rows = await canonicalizeRelation(db, "SELECT '2021-09-08 11:11:11.5+00'::TIMESTAMPTZ AS t");
      expect(rows.rows).toEqual(['t=2021-09-08T11:11:11.500000']);
    } finally {
      await db.query("SET TimeZone = 'UTC'");
    }
  });

  it('compares timestamps at microsecond precision across units', async () => {
    expect(
      await same(
        "SELECT '2020-01-01 00:00:00.123456'::TIMESTAMP AS t",
        "SELECT '2020-01-01 00:00:00.123456'::TIMESTAMP_NS AS t",
      ),
    ).toBe(true);
    expect(
      await same(
        "SELECT '2020-01-01 00:00:00.123'::TIMESTAMP_MS AS t",
        "SELECT '2020-01-01 00:00:00.123'::TIMESTAMP AS t",
      ),
    ).toBe(true);
    expect(
      await same(
        "SELECT '2020-01-01 00:00:00.000001'::TIMESTAMP AS t",
        "SELECT '2020-01-01 00:00:00.000002'::TIMESTAMP AS t",
      ),
    ).toBe(false);
  });

  it('keeps NULL, empty string and the string "null" apart', async () => {
    expect(await same("SELECT ''::VARCHAR AS s", 'SELECT NULL::VARCHAR AS s')).toBe(false);
    expect(await same("SELECT 'null'::VARCHAR AS s", 'SELECT NULL::VARCHAR AS s')).toBe(false);
    expect(await same('SELECT NULL::INTEGER AS s', 'SELECT NULL::VARCHAR AS s')).toBe(true);
  });

  it('does not let separators inside strings forge other rows', async () => {
    expect(await same("SELECT 'a | b=c' AS a, 'x' AS b", "SELECT 'a' AS a, 'c | b=x' AS b")).toBe(false);
  });

  it('compares binary as bytes', async () => {
    const r = await canonicalizeRelation(db, "SELECT '\\xAB\\x01'::BLOB AS b");
    expect(r.rows).toEqual(["b=x'ab01'"]);
    expect(await same("SELECT '\\x00'::BLOB AS b", "SELECT '\\x01'::BLOB AS b")).toBe(false);
  });

  it('compares structs by field name, lists in order, maps as unordered entries', async () => {
    expect(await same("SELECT {'a': 1, 'b': 'x'} AS s", "SELECT {'b': 'x', 'a': 1::BIGINT} AS s")).toBe(true);
    expect(await same('SELECT [1, 2, NULL] AS l', 'SELECT [1, 2, NULL] AS l')).toBe(true);
    expect(await same('SELECT [1, 2] AS l', 'SELECT [2, 1] AS l')).toBe(false);
    expect(await same('SELECT [NULL]::INTEGER[] AS l', 'SELECT []::INTEGER[] AS l')).toBe(false);
    expect(await same('SELECT NULL::INTEGER[] AS l', 'SELECT []::INTEGER[] AS l')).toBe(false);
    expect(await same("SELECT MAP {1: 'a', 2: 'b'} AS m", "SELECT MAP {2: 'b', 1: 'a'} AS m")).toBe(true);
    expect(await same("SELECT MAP {1: 'a', 2: 'b'} AS m", "SELECT MAP {1: 'b', 2: 'a'} AS m")).toBe(false);
    expect(await same('SELECT NULL::STRUCT(a INT) AS s', "SELECT {'a': NULL::INT} AS s")).toBe(false);
  });

  it('recurses through deep nesting (lists of maps of structs of lists)', async () => {
    const a = "SELECT [MAP {'k': {'x': [1, 2], 'y': 1.5::DECIMAL(4,2)}}, NULL] AS deep";
    const b = "SELECT [MAP {'k': {'y': 1.50::DECIMAL(9,2), 'x': [1, 2]}}, NULL] AS deep";
    const c = "SELECT [MAP {'k': {'y': 1.50::DECIMAL(9,2), 'x': [2, 1]}}, NULL] AS deep";
    expect(await same(a, b)).toBe(true);
    expect(await same(a, c)).toBe(false);
    expect(await same('SELECT [[[1]], [[2, 3]]] AS l3', 'SELECT [[[1]], [[2, 3]]] AS l3')).toBe(true);
  });

  it('reads the union of parquet files with differing columns (union by name)', async () => {
    await withTempDir(async (dir) => {
      const f1 = join(dir, 'a.parquet');
      const f2 = join(dir, 'b.parquet');
      await db.query(`COPY (SELECT 1::BIGINT AS id) TO '${f1}' (FORMAT parquet)`);
      await db.query(`COPY (SELECT 2::BIGINT AS id, 7::BIGINT AS part) TO '${f2}' (FORMAT parquet)`);
      const expected = rel(parquetUnionSql([f1, f2]));
      expect(
        (await compareRows(db, expected, 'SELECT * FROM (VALUES (1, NULL), (2, 7)) t(id, part)')).ok,
      ).toBe(true);
      expect((await compareRows(db, expected, 'SELECT * FROM (VALUES (1, 7), (2, 7)) t(id, part)')).ok).toBe(
        false,
      );
    });
  });

  it('reads timestamps written by parquet writers in other units as the same instants', async () => {
    await withTempDir(async (dir) => {
      const f = join(dir, 't.parquet');
      await db.query(
        `COPY (SELECT '2021-01-01 10:00:00.123+00'::TIMESTAMPTZ AS tz, '2021-01-01 10:00:00.123'::TIMESTAMP_MS AS ntz) TO '${f}' (FORMAT parquet)`,
      );
      const actual =
        "SELECT '2021-01-01 10:00:00.123'::TIMESTAMP AS ntz, '2021-01-01 11:00:00.123+01'::TIMESTAMPTZ AS tz";
      expect((await compareRows(db, rel(parquetUnionSql([f])), actual)).ok).toBe(true);
    });
  });

  it('compares empty relations', async () => {
    expect(await same('SELECT 1 AS a WHERE false', 'SELECT 1 AS a WHERE false')).toBe(true);
    expect(await same('SELECT 1 AS a WHERE false', 'SELECT 1 AS a')).toBe(false);
  });
});

describe('compareRows against JSON transcriptions', () => {
  const json = (columns: { name: string; type: string }[], rows: unknown[][]): ExpectedRows => ({
    kind: 'json',
    columns,
    rows,
  });

  it('casts typed cells: integers (big ones as strings), floats, decimals, booleans', async () => {
    const expected = json(
      [
        { name: 'l', type: 'long' },
        { name: 'f', type: 'float' },
        { name: 'd', type: 'double' },
        { name: 'dec', type: 'decimal(20,5)' },
        { name: 'b', type: 'boolean' },
      ],
      [
        ['9223372036854775807', 3.4000000953674316, 1.234567890123, '67.89000', true],
        [1, 3.4, 5.0, '-1.00000', false],
      ],
    );
    const actual = `SELECT * FROM (VALUES
      (9223372036854775807::BIGINT, 3.4::FLOAT, 1.234567890123::DOUBLE, 67.89::DECIMAL(20,5), true),
      (1::BIGINT, 3.4::FLOAT, 5::DOUBLE, -1::DECIMAL(20,5), false)) t(l, f, d, dec, b)`;
    const r = await compareRows(db, expected, actual);
    expect(r.message).toBe('');
    expect(r.ok).toBe(true);
    const off = await compareRows(
      db,
      expected,
      actual.replace('67.89::DECIMAL(20,5)', '67.88::DECIMAL(20,5)'),
    );
    expect(off.ok).toBe(false);
    const scale = json([{ name: 'dec', type: 'decimal(20,5)' }], [['67.89000']]);
    expect((await compareRows(db, scale, 'SELECT 67.89::DECIMAL(20,5) AS dec')).ok).toBe(true);
    expect((await compareRows(db, scale, 'SELECT 67.89::DECIMAL(20,2) AS dec')).ok).toBe(false);
  });

  it('reads timestamps as UTC instants with trimmed fractions and timestamp_ntz as wall clock', async () => {
    const expected = json(
      [
        { name: 'ts', type: 'timestamp' },
        { name: 'ntz', type: 'timestamp_ntz' },
        { name: 'dt', type: 'date' },
      ],
      [['2023-05-31T18:58:33.633Z', '2021-11-18T02:30:00.123456', '2023-12-22']],
    );
    const actual =
      "SELECT '2023-05-31 20:58:33.633+02'::TIMESTAMPTZ AS ts, '2021-11-18 02:30:00.123456'::TIMESTAMP AS ntz, '2023-12-22'::DATE AS dt";
    expect((await compareRows(db, expected, actual)).ok).toBe(true);
    const shifted = actual.replace('+02', '+00');
    expect((await compareRows(db, expected, shifted)).ok).toBe(false);
  });

  it('treats an empty actual string as the NULL the transcription wrote', async () => {
    const expected = json([{ name: 's', type: 'string' }], [[null], ['a']]);
    expect((await compareRows(db, expected, "SELECT * FROM (VALUES (''), ('a')) t(s)")).ok).toBe(true);
    expect((await compareRows(db, expected, "SELECT * FROM (VALUES ('b'), ('a')) t(s)")).ok).toBe(false);
  });

  it('compares nested columns in display form, map entries in any order', async () => {
    const expected = json(
      [
        { name: 'struct_col', type: 'struct' },
        { name: 'arr', type: 'array' },
        { name: 'm', type: 'map' },
        { name: 'v', type: 'variant' },
      ],
      [
        [
          '{field: 1, field.one: 2}',
          '[{metadata: 0101, value: 02}, , {metadata: 0101, value: 03}]',
          '{nullKey: , 0: {metadata: 01, value: 0c}}',
          '{metadata: 010100036b6579, value: 02010000020c00}',
        ],
      ],
    );
    const actual = `SELECT {'field': 1, 'field.one': 2} AS struct_col,
      [{'metadata': '\\x01\\x01'::BLOB, 'value': '\\x02'::BLOB}, NULL, {'metadata': '\\x01\\x01'::BLOB, 'value': '\\x03'::BLOB}] AS arr,
      MAP {'0': {'metadata': '\\x01'::BLOB, 'value': '\\x0C'::BLOB}, 'nullKey': NULL} AS m,
      {'metadata': '\\x01\\x01\\x00\\x03\\x6b\\x65\\x79'::BLOB, 'value': '\\x02\\x01\\x00\\x00\\x02\\x0c\\x00'::BLOB} AS v`;
    const r = await compareRows(db, expected, actual);
    expect(r.message).toBe('');
    const wrong = await compareRows(db, expected, actual.replace("'value': '\\x03'", "'value': '\\x04'"));
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain('value: 04');
  });

  it('renders nested timestamps and null structs the way the display form does', async () => {
    const expected = json([{ name: 's', type: 'struct' }], [['{t: 2021-01-01T00:00:00.5Z, n: }'], [null]]);
    const actual =
      "SELECT * FROM (VALUES ({'t': '2021-01-01 00:00:00.5+00'::TIMESTAMPTZ, 'n': NULL::INT}), (NULL)) x(s)";
    const r = await compareRows(db, expected, actual);
    expect(r.message).toBe('');
  });

  it('handles an empty transcription', async () => {
    const expected = json([{ name: 'id', type: 'long' }], []);
    expect((await compareRows(db, expected, 'SELECT 1::BIGINT AS id WHERE false')).ok).toBe(true);
    expect((await compareRows(db, expected, 'SELECT 1::BIGINT AS id')).ok).toBe(false);
  });

  it('rejects unknown JSON types', () => {
    expect(() => jsonColumnMode('interval')).toThrow(/unknown JSON fixture column type 'interval'/);
    expect(jsonColumnMode('decimal(4,1)')).toEqual({
      kind: 'typed',
      type: { kind: 'decimal', precision: 4, scale: 1 },
    });
  });
});
