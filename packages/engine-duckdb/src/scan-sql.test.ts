import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataType, type StructField, type StructType } from '@loch/delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_DELETED_ROWS_LIMIT } from './deleted-rows-registry.js';
import { DuckEngine } from './duck-engine.js';
import { scanSql } from './scan-sql.js';
import type { ScanFile, ScanSpec } from './types.js';

const f = DataType.field;
const p = DataType.primitive;
const schema = (...fields: StructField[]): StructType => DataType.struct(fields);
const mapped = (name: string, type: DataType, physical: string, id: number): StructField =>
  f(name, type, true, { 'delta.columnMapping.physicalName': physical, 'delta.columnMapping.id': id });

describe('scanSql', () => {
  let engine: DuckEngine;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const write = async (name: string, select: string, extra = '') => {
    await engine.run(`COPY (${select}) TO '${file(name)}' (FORMAT parquet${extra})`);
    return file(name);
  };
  const rows = async (spec: ScanSpec, order = '1') => {
    const sql = await engine.scanSql(spec);
    const r = await engine.query(`SELECT to_json(__row)::VARCHAR AS j FROM (${sql}) __row ORDER BY ${order}`);
    return r.rows.map((row) => JSON.parse(String(row[0])) as Record<string, unknown>);
  };
  const types = async (spec: ScanSpec) =>
    (await engine.describe(`SELECT * FROM (${await engine.scanSql(spec)})`)).map(
      (c) => `${c.name} ${c.type}`,
    );
  const scanFile = (
    location: string,
    partitionValues: Record<string, string | null> = {},
    deletedRows?: number[],
  ) => ({ location, partitionValues, ...(deletedRows ? { deletedRows } : {}) }) satisfies ScanFile;

  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 2, threads: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'loch-scan-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads an unpartitioned, unmapped table as one plain read_parquet', async () => {
    const a = await write('plain-a.parquet', "SELECT 1::BIGINT AS id, 'x' AS name");
    const b = await write('plain-b.parquet', "SELECT 2::BIGINT AS id, 'y' AS name");
    const spec: ScanSpec = {
      files: [scanFile(a), scanFile(b)],
      schema: schema(f('id', p('long')), f('name', p('string'))),
      partitionColumns: [],
      columnMappingMode: 'none',
    };
    const sql = scanSql(spec);
    expect(sql).toBe(
      `SELECT "c0" AS "id", "c1" AS "name" FROM read_parquet(['${a}', '${b}'], schema = map {'id': {name: 'c0', type: 'BIGINT', default_value: NULL}, 'name': {name: 'c1', type: 'VARCHAR', default_value: NULL}})`,
    );
    expect(await rows(spec)).toEqual([
      { id: 1, name: 'x' },
      { id: 2, name: 'y' },
    ]);
  });

  it('adds partition values from the log as typed constants, not from paths', async () => {
    const a = await write('part-a.parquet', 'SELECT 1::INTEGER AS v');
    const b = await write('part-b.parquet', 'SELECT 2::INTEGER AS v');
    const c = await write('part-c.parquet', 'SELECT 3::INTEGER AS v');
    const spec: ScanSpec = {
      files: [
        scanFile(a, { d: '2021-01-02', s: 'a b', ts: '2021-01-01 10:00:00', n: '1.50' }),
        scanFile(b, { d: null, s: null, ts: '2021-01-01T10:00:00.123456Z', n: null }),
        scanFile(c, { d: '2021-01-02', s: 'a b', ts: '2021-01-01 10:00:00', n: '1.50' }),
      ],
      schema: schema(
        f('v', p('integer')),
        f('d', p('date')),
        f('s', p('string')),
        f('ts', p('timestamp')),
        f('n', DataType.decimal(5, 2)),
      ),
      partitionColumns: ['d', 's', 'ts', 'n'],
      columnMappingMode: 'none',
    };
    expect(await types(spec)).toEqual([
      'v INTEGER',
      'd DATE',
      's VARCHAR',
      'ts TIMESTAMP WITH TIME ZONE',
      'n DECIMAL(5,2)',
    ]);
    expect(await rows(spec, 'v')).toEqual([
      { v: 1, d: '2021-01-02', s: 'a b', ts: '2021-01-01 10:00:00+00', n: 1.5 },
      { v: 2, d: null, s: null, ts: '2021-01-01 10:00:00.123456+00', n: null },
      { v: 3, d: '2021-01-02', s: 'a b', ts: '2021-01-01 10:00:00+00', n: 1.5 },
    ]);
    // Offset-less timestamps can be read in the writer's zone.
    const la = await rows({ ...spec, partitionTimeZone: 'America/Los_Angeles', columns: ['v', 'ts'] }, 'v');
    expect(la.map((r) => r['ts'])).toEqual([
      '2021-01-01 18:00:00+00',
      '2021-01-01 10:00:00.123456+00',
      '2021-01-01 18:00:00+00',
    ]);
    // Default: one read, values looked up by file_index.
    expect(scanSql(spec)).not.toContain('UNION ALL');
    expect(scanSql(spec)).toContain('file_index');
    // Union strategy: one branch per distinct partition tuple.
    const union = scanSql(spec, { partitionStrategy: 'union' });
    expect(union.split(' UNION ALL ')).toHaveLength(2);
    const r = await engine.query(`SELECT v, d, s, n FROM (${union}) ORDER BY v`);
    expect(r.rows.map((row) => row.map(String))).toEqual([
      ['1', '2021-01-02', 'a b', '1.50'],
      ['2', 'null', 'null', 'null'],
      ['3', '2021-01-02', 'a b', '1.50'],
    ]);
  });

  it('attaches partition values per file with every strategy, deleted rows included', async () => {
    const files: ScanFile[] = [];
    for (let i = 0; i < 75; i++) {
      const location = await write(`many-${i}.parquet`, `SELECT ${i} * 10 + range AS v FROM range(2)`);
      files.push(scanFile(location, { k: String(i % 70) }, i % 10 === 0 ? [1] : undefined));
    }
    const spec: ScanSpec = {
      files,
      schema: schema(f('v', p('long')), f('k', p('long'))),
      partitionColumns: ['k'],
      columnMappingMode: 'none',
    };
    for (const strategy of ['lookup', 'union', 'join'] as const) {
      const sql = scanSql(spec, { partitionStrategy: strategy });
      const r = await engine.query(`SELECT v, k FROM (${sql}) ORDER BY v`);
      const out = r.rows.map((row) => [Number(row[0]), Number(row[1])]);
      expect(out).toHaveLength(150 - 8);
      expect(out.every(([v, k]) => k === Math.floor(v! / 10) % 70)).toBe(true);
      expect(out.some(([v]) => v === 1)).toBe(false);
    }
  });

  it('fills columns missing from files with NULL and widens narrower types', async () => {
    const a = await write('evo-a.parquet', 'SELECT 1::INTEGER AS id');
    const b = await write('evo-b.parquet', "SELECT 2::BIGINT AS id, 'x' AS added, {'x': 1::INTEGER} AS s");
    const spec: ScanSpec = {
      files: [scanFile(a), scanFile(b)],
      schema: schema(
        f('id', p('long')),
        f('added', p('string')),
        f('s', DataType.struct([f('x', p('long')), f('y', p('string'))])),
        f('never', p('double')),
        f('nothing', p('void')),
      ),
      partitionColumns: [],
      columnMappingMode: 'none',
    };
    expect(await types(spec)).toEqual([
      'id BIGINT',
      'added VARCHAR',
      's STRUCT("x" BIGINT, "y" VARCHAR)',
      'never DOUBLE',
      'nothing INTEGER',
    ]);
    expect(await rows(spec, 'id')).toEqual([
      { id: 1, added: null, s: null, never: null, nothing: null },
      { id: 2, added: 'x', s: { x: 1, y: null }, never: null, nothing: null },
    ]);
  });

  it('casts millisecond and naive timestamps to the table type', async () => {
    const a = await write(
      'ts.parquet',
      "SELECT TIMESTAMP_MS '2021-01-01 10:00:00.123' AS t, TIMESTAMP '2021-01-01 10:00:00' AS n",
    );
    const spec: ScanSpec = {
      files: [scanFile(a)],
      schema: schema(f('t', p('timestamp')), f('n', p('timestamp_ntz'))),
      partitionColumns: [],
      columnMappingMode: 'none',
    };
    expect(await types(spec)).toEqual(['t TIMESTAMP WITH TIME ZONE', 'n TIMESTAMP']);
    expect(await rows(spec)).toEqual([{ t: '2021-01-01 10:00:00.123+00', n: '2021-01-01 10:00:00' }]);
  });

  it('reads physical names and returns logical names, nested too (column mapping name)', async () => {
    const a = await write(
      'cm-name.parquet',
      "SELECT 1::BIGINT AS \"col-1\", {'col-3': 'x', 'col-4': [{'col-5': 7}]} AS \"col-2\", MAP {'k': {'col-7': 1}} AS \"col-6\"",
    );
    const inner = DataType.struct([mapped('z', p('integer'), 'col-5', 5)]);
    const spec: ScanSpec = {
      files: [scanFile(a)],
      schema: schema(
        mapped('id', p('long'), 'col-1', 1),
        mapped(
          's',
          DataType.struct([
            mapped('a', p('string'), 'col-3', 3),
            mapped('arr', DataType.array(inner), 'col-4', 4),
          ]),
          'col-2',
          2,
        ),
        mapped(
          'm',
          DataType.map(p('string'), DataType.struct([mapped('q', p('integer'), 'col-7', 7)])),
          'col-6',
          6,
        ),
      ),
      partitionColumns: [],
      columnMappingMode: 'name',
    };
    expect(await rows(spec)).toEqual([{ id: 1, s: { a: 'x', arr: [{ z: 7 }] }, m: { k: { q: 1 } } }]);
  });

  it('matches parquet field ids (column mapping id)', async () => {
    const a = await write(
      'cm-id.parquet',
      "SELECT 1::BIGINT AS whatever, 'x' AS other",
      ', FIELD_IDS {whatever: 1, other: 2}',
    );
    const spec: ScanSpec = {
      files: [scanFile(a)],
      schema: schema(
        mapped('id', p('long'), 'col-a', 1),
        mapped('name', p('string'), 'col-b', 2),
        mapped('late', p('string'), 'col-c', 3),
      ),
      partitionColumns: [],
      columnMappingMode: 'id',
    };
    expect(scanSql(spec)).toContain('map {1: {name:');
    expect(await rows(spec)).toEqual([{ id: 1, name: 'x', late: null }]);
  });

  it('excludes deleted rows (inline and through a registered table)', async () => {
    const a = await write('dv-a.parquet', 'SELECT range AS i FROM range(10000)');
    const b = await write('dv-b.parquet', 'SELECT 10000 + range AS i FROM range(10)');
    const c = await write('dv-c.parquet', 'SELECT 20000 + range AS i FROM range(10)');
    const base = {
      schema: schema(f('i', p('long'))),
      partitionColumns: [],
      columnMappingMode: 'none',
    } as const;
    const small: ScanSpec = {
      ...base,
      files: [scanFile(a, {}, [0, 5, 9999]), scanFile(b, {}, [1]), scanFile(c)],
    };
    const count = async (spec: ScanSpec) => {
      const r = await engine.query(`SELECT count(*), sum(i) FROM (${await engine.scanSql(spec)})`);
      return [Number(r.rows[0]![0]), Number(r.rows[0]![1])];
    };
    const total = (9999 * 10000) / 2 + (10000 * 10 + 45) + (20000 * 10 + 45);
    expect(await count(small)).toEqual([10020 - 4, total - 0 - 5 - 9999 - 10001]);
    const many = Array.from({ length: INLINE_DELETED_ROWS_LIMIT + 1 }, (_, k) => k);
    const large: ScanSpec = { ...base, files: [scanFile(a, {}, many), scanFile(c)] };
    expect(await engine.scanSql(large)).toContain('loch_scratch');
    expect(await count(large)).toEqual([
      10010 - many.length,
      total - (10000 * 10 + 45) - many.reduce((x, y) => x + y, 0),
    ]);
  });

  it('projects columns and adds file and row-index columns', async () => {
    const a = await write('extra.parquet', "SELECT range AS i, 'x' AS s FROM range(3)");
    const spec: ScanSpec = {
      files: [scanFile(a, { k: '7' }, [1])],
      schema: schema(f('i', p('long')), f('s', p('string')), f('k', p('integer'))),
      partitionColumns: ['k'],
      columnMappingMode: 'none',
      columns: ['k', 'i'],
      fileColumn: '_file',
      rowIndexColumn: '_row',
    };
    expect(await rows(spec, 'i')).toEqual([
      { k: 7, i: 0, _file: a, _row: 0 },
      { k: 7, i: 2, _file: a, _row: 2 },
    ]);
  });

  it('returns a typed empty relation for an empty file list', async () => {
    const spec: ScanSpec = {
      files: [],
      schema: schema(f('i', p('long')), f('d', DataType.decimal(10, 2)), f('k', p('date'))),
      partitionColumns: ['k'],
      columnMappingMode: 'none',
      rowIndexColumn: '_row',
    };
    expect(await types(spec)).toEqual(['i BIGINT', 'd DECIMAL(10,2)', 'k DATE', '_row BIGINT']);
    expect(await rows(spec)).toEqual([]);
  });

  it('projects no columns for counting', async () => {
    const a = await write('count.parquet', 'SELECT range AS i FROM range(7)');
    const spec: ScanSpec = {
      files: [scanFile(a, {}, [2])],
      schema: schema(f('i', p('long'))),
      partitionColumns: [],
      columnMappingMode: 'none',
      columns: [],
    };
    const r = await engine.query(`SELECT count(*) FROM (${await engine.scanSql(spec)})`);
    expect(Number(r.rows[0]![0])).toBe(6);
  });

  it('names an unknown projected column', () => {
    expect(() =>
      scanSql({
        files: [],
        schema: schema(f('i', p('long'))),
        partitionColumns: [],
        columnMappingMode: 'none',
        columns: ['nope'],
      }),
    ).toThrow(/'nope'/);
  });

  it('tells DuckDB the row count from numRecords (explicit_cardinality), per read', async () => {
    const a = await write('card-a.parquet', 'SELECT i::BIGINT AS id FROM range(3000) t(i)');
    const b = await write('card-b.parquet', 'SELECT i::BIGINT AS id FROM range(3000, 5000) t(i)');
    const c = await write('card-c.parquet', 'SELECT i::BIGINT AS id FROM range(5000, 5100) t(i)');
    const spec = (files: ScanFile[]): ScanSpec => ({
      files,
      schema: schema(f('id', p('long'))),
      partitionColumns: [],
      columnMappingMode: 'none',
    });
    const estimateOf = async (s: ScanSpec) => {
      const r = await engine.query(`EXPLAIN (FORMAT json) SELECT * FROM (${scanSql(s)})`);
      const walk = (n: { children?: unknown[]; extra_info?: Record<string, unknown> }): number[] => [
        ...(n.extra_info?.Function === 'READ_PARQUET' ? [Number(n.extra_info['Estimated Cardinality'])] : []),
        ...((n.children ?? []) as (typeof n)[]).flatMap(walk),
      ];
      return (JSON.parse(String(r.rows[0]![1])) as Parameters<typeof walk>[0][]).flatMap(walk);
    };
    const withRows = (file: ScanFile, numRecords: number): ScanFile => ({ ...file, numRecords });

    const all = spec([withRows(scanFile(a), 3000), withRows(scanFile(b), 2000), withRows(scanFile(c), 100)]);
    expect(scanSql(all)).toContain('explicit_cardinality = 5100)');
    expect(await estimateOf(all)).toEqual([5100]);
    // One file: DuckDB's own guess for a `schema =` read of one file is 0 rows.
    expect(await estimateOf(spec([withRows(scanFile(a), 3000)]))).toEqual([3000]);
    // A file without stats counts as the average of those with.
    expect(scanSql(spec([withRows(scanFile(a), 3000), scanFile(b), withRows(scanFile(c), 100)]))).toContain(
      'explicit_cardinality = 4650)',
    );
    // No stats at all: no hint (DuckDB guesses), and an empty file is one row, not "no hint".
    expect(scanSql(spec([scanFile(a), scanFile(b)]))).not.toContain('explicit_cardinality');
    expect(scanSql(spec([withRows(scanFile(c), 0)]))).toContain('explicit_cardinality = 1)');
    // Deletion-vector files are a separate read with their own count; the rows stay exact.
    const dv = spec([withRows(scanFile(a), 3000), withRows(scanFile(b, {}, [0, 1, 2]), 2000)]);
    expect(await estimateOf(dv)).toEqual(expect.arrayContaining([3000, 2000]));
    expect((await rows(dv)).length).toBe(4997);
  });
});
