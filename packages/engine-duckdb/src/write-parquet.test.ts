import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataType, type StructField, type StructType } from '@loch/delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from './duck-engine.js';
import { isEngineError } from './errors.js';
import type { ScanSpec, WrittenFile } from './types.js';

const f = DataType.field;
const p = DataType.primitive;
const schema = (...fields: StructField[]): StructType => DataType.struct(fields);
const mapped = (name: string, type: DataType, physical: string, id: number): StructField =>
  f(name, type, true, { 'delta.columnMapping.physicalName': physical, 'delta.columnMapping.id': id });

describe('writeParquet', () => {
  let engine: DuckEngine;
  let root: string;
  let n = 0;
  const newDir = () => path.join(root, `t${n++}`);
  const scanRows = async (spec: ScanSpec, order = '1') => {
    const sql = await engine.scanSql(spec);
    const r = await engine.query(`SELECT to_json(__row)::VARCHAR FROM (${sql}) __row ORDER BY ${order}`);
    return r.rows.map((row) => JSON.parse(String(row[0])) as Record<string, unknown>);
  };
  const toScanFiles = (files: readonly WrittenFile[]) =>
    files.map((w) => ({ location: w.location, partitionValues: w.partitionValues }));
  const physicalColumns = async (file: string) => {
    const r = await engine.query(
      `SELECT name, field_id FROM parquet_schema('${file}') WHERE name <> 'duckdb_schema'`,
    );
    return r.rows.map((row) => (row[1] === null ? String(row[0]) : `${String(row[0])}#${String(row[1])}`));
  };

  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 2, threads: 2 });
    root = mkdtempSync(path.join(tmpdir(), 'loch-write-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes one file with Delta stats in the formats Spark uses', async () => {
    const dir = newDir();
    const s = schema(
      f('id', p('long')),
      f('name', p('string')),
      f('d', p('date')),
      f('ts', p('timestamp')),
      f('ntz', p('timestamp_ntz')),
      f('amount', DataType.decimal(10, 2)),
      f('flag', p('boolean')),
      f('bin', p('binary')),
      f('st', DataType.struct([f('x', p('integer')), f('y', p('double'))])),
      f('arr', DataType.array(p('integer'))),
    );
    const sql = `SELECT range AS id,
        CASE WHEN range = 1 THEN NULL ELSE repeat('z', 40) || range END AS name,
        DATE '2021-01-01' + range::INTEGER AS d,
        TIMESTAMPTZ '2021-01-01 10:00:00.123456+00' + to_seconds(range) AS ts,
        TIMESTAMP '2021-01-01 10:00:00.000999' AS ntz,
        (range * 1.25)::DECIMAL(10,2) AS amount, range > 0 AS flag, 'ab'::BLOB AS bin,
        {'x': range::INTEGER, 'y': CASE WHEN range = 0 THEN NULL ELSE 0.5 END} AS st, [1, 2] AS arr
      FROM range(3)`;
    const files = await engine.writeParquet(sql, {
      directory: dir,
      schema: s,
      partitionColumns: [],
      columnMappingMode: 'none',
    });
    expect(files).toHaveLength(1);
    const w = files[0]!;
    expect(path.dirname(w.location)).toBe(dir);
    expect(path.basename(w.location)).toMatch(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
    const [codec] = (
      await engine.query(
        `SELECT DISTINCT compression FROM parquet_metadata('${w.location}') WHERE compression <> 'UNCOMPRESSED'`,
      )
    ).rows;
    expect(codec).toEqual(['SNAPPY']);
    expect(w.size).toBeGreaterThan(0);
    expect(w.partitionValues).toEqual({});
    expect(w.stats).toEqual({
      numRecords: 3,
      minValues: {
        id: 0,
        name: 'z'.repeat(32),
        d: '2021-01-01',
        ts: '2021-01-01T10:00:00.123Z',
        ntz: '2021-01-01T10:00:00.000',
        amount: 0,
        st: { x: 0, y: 0.5 },
      },
      maxValues: {
        id: 2,
        name: `${'z'.repeat(32)}\u007f`,
        d: '2021-01-03',
        ts: '2021-01-01T10:00:02.124Z',
        ntz: '2021-01-01T10:00:00.001',
        amount: 2.5,
        st: { x: 2, y: 0.5 },
      },
      nullCount: { id: 0, name: 1, d: 0, ts: 0, ntz: 0, amount: 0, flag: 0, bin: 0, st: { x: 0, y: 1 } },
    });
    // No staging directory left behind.
    expect(readdirSync(dir)).toEqual([path.basename(w.location)]);
    expect(
      await scanRows(
        {
          files: toScanFiles(files),
          schema: s,
          partitionColumns: [],
          columnMappingMode: 'none',
          columns: ['id', 'amount'],
        },
        'id',
      ),
    ).toEqual([
      { id: 0, amount: 0 },
      { id: 1, amount: 1.25 },
      { id: 2, amount: 2.5 },
    ]);
  });

  it('partitions into Spark-escaped directories, keeps partition columns out of the files', async () => {
    const dir = newDir();
    const s = schema(f('v', p('long')), f('k', p('string')), f('n', p('integer')));
    const sql = `SELECT * FROM (VALUES (1, 'a/b=c d', 1), (2, NULL, 1), (3, '', 2), (4, 'a/b=c d', 1), (5, 'é#', 2)) t(v, k, n)`;
    const files = await engine.writeParquet(sql, {
      directory: dir,
      schema: s,
      partitionColumns: ['k', 'n'],
      columnMappingMode: 'none',
    });
    const rel = files.map((w) => path.relative(dir, path.dirname(w.location))).sort();
    expect(rel).toEqual([
      'k=__HIVE_DEFAULT_PARTITION__/n=1',
      'k=__HIVE_DEFAULT_PARTITION__/n=2',
      'k=a%2Fb%3Dc d/n=1',
      'k=é%23/n=2',
    ]);
    const byDir = Object.fromEntries(files.map((w) => [path.relative(dir, path.dirname(w.location)), w]));
    expect(byDir['k=a%2Fb%3Dc d/n=1']!.partitionValues).toEqual({ k: 'a/b=c d', n: '1' });
    expect(byDir['k=a%2Fb%3Dc d/n=1']!.stats.numRecords).toBe(2);
    expect(byDir['k=__HIVE_DEFAULT_PARTITION__/n=2']!.partitionValues).toEqual({ k: null, n: '2' });
    expect(await physicalColumns(files[0]!.location)).toEqual(['v']);
    expect(readdirSync(dir).filter((e) => e.startsWith('_loch'))).toEqual([]);
    expect(
      await scanRows(
        { files: toScanFiles(files), schema: s, partitionColumns: ['k', 'n'], columnMappingMode: 'none' },
        'v',
      ),
    ).toEqual([
      { v: 1, k: 'a/b=c d', n: 1 },
      { v: 2, k: null, n: 1 },
      { v: 3, k: null, n: 2 },
      { v: 4, k: 'a/b=c d', n: 1 },
      { v: 5, k: 'é#', n: 2 },
    ]);
  });

  it('formats date and timestamp partition values as Delta strings', async () => {
    const dir = newDir();
    const s = schema(
      f('v', p('integer')),
      f('d', p('date')),
      f('ts', p('timestamp')),
      f('ntz', p('timestamp_ntz')),
      f('m', DataType.decimal(5, 2)),
    );
    const sql =
      "SELECT 1 AS v, DATE '2021-02-03' AS d, TIMESTAMPTZ '2021-01-01 10:00:00.5+00' AS ts, TIMESTAMP '2021-01-01 01:02:03' AS ntz, 1.5::DECIMAL(5,2) AS m";
    const [w] = await engine.writeParquet(sql, {
      directory: dir,
      schema: s,
      partitionColumns: ['d', 'ts', 'ntz', 'm'],
      columnMappingMode: 'none',
    });
    expect(w!.partitionValues).toEqual({
      d: '2021-02-03',
      ts: '2021-01-01T10:00:00.500000Z',
      ntz: '2021-01-01 01:02:03.000000',
      m: '1.50',
    });
    expect(path.relative(dir, path.dirname(w!.location))).toBe(
      'd=2021-02-03/ts=2021-01-01T10%3A00%3A00.500000Z/ntz=2021-01-01 01%3A02%3A03.000000/m=1.50',
    );
    expect(
      await scanRows({
        files: toScanFiles([w!]),
        schema: s,
        partitionColumns: ['d', 'ts', 'ntz', 'm'],
        columnMappingMode: 'none',
      }),
    ).toEqual([
      { v: 1, d: '2021-02-03', ts: '2021-01-01 10:00:00.5+00', ntz: '2021-01-01 01:02:03', m: 1.5 },
    ]);
  });

  it('rolls over to new files past the target size', async () => {
    const dir = newDir();
    const s = schema(f('id', p('long')), f('s', p('string')));
    const files = await engine.writeParquet(
      'SELECT range AS id, md5(range::VARCHAR) AS s FROM range(200000)',
      {
        directory: dir,
        schema: s,
        partitionColumns: [],
        columnMappingMode: 'none',
        targetFileSize: 1_000_000,
      },
    );
    expect(files.length).toBeGreaterThan(1);
    expect(files.reduce((a, w) => a + w.stats.numRecords, 0)).toBe(200000);
    expect(new Set(files.map((w) => w.location)).size).toBe(files.length);
  });

  it('writes physical names and field ids with column mapping, and reads them back (name and id)', async () => {
    const dir = newDir();
    const s = schema(
      mapped('id', p('long'), 'col-1', 1),
      mapped('info', DataType.struct([mapped('city', p('string'), 'col-3', 3)]), 'col-2', 2),
      mapped('part', p('string'), 'col-4', 4),
    );
    const sql = "SELECT * FROM (VALUES (1, {'city': 'Oslo'}, 'x'), (2, NULL, 'y')) t(id, info, part)";
    const files = await engine.writeParquet(sql, {
      directory: dir,
      schema: s,
      partitionColumns: ['part'],
      columnMappingMode: 'name',
    });
    expect(await physicalColumns(files[0]!.location)).toEqual(['col-1#1', 'col-2#2', 'col-3#3']);
    const byPart = Object.fromEntries(files.map((w) => [w.partitionValues['col-4'], w]));
    expect(path.relative(dir, path.dirname(byPart['x']!.location))).toBe('col-4=x');
    expect(byPart['x']!.stats).toEqual({
      numRecords: 1,
      minValues: { 'col-1': 1, 'col-2': { 'col-3': 'Oslo' } },
      maxValues: { 'col-1': 1, 'col-2': { 'col-3': 'Oslo' } },
      nullCount: { 'col-1': 0, 'col-2': { 'col-3': 0 } },
    });
    for (const mode of ['name', 'id'] as const) {
      expect(
        await scanRows(
          { files: toScanFiles(files), schema: s, partitionColumns: ['part'], columnMappingMode: mode },
          'id',
        ),
      ).toEqual([
        { id: 1, info: { city: 'Oslo' }, part: 'x' },
        { id: 2, info: null, part: 'y' },
      ]);
    }
  });

  it('collects stats only for the first numIndexedCols leaves or the statsColumns', async () => {
    const s = schema(
      f('a', p('long')),
      f('st', DataType.struct([f('b', p('long')), f('c', p('long'))])),
      f('d', p('long')),
    );
    const sql = "SELECT 1 AS a, {'b': 2, 'c': 3} AS st, 4 AS d";
    const base = { schema: s, partitionColumns: [], columnMappingMode: 'none' } as const;
    const [two] = await engine.writeParquet(sql, { ...base, directory: newDir(), numIndexedCols: 2 });
    expect(two!.stats.minValues).toEqual({ a: 1, st: { b: 2 } });
    const [chosen] = await engine.writeParquet(sql, {
      ...base,
      directory: newDir(),
      statsColumns: ['d', 'st.c'],
    });
    expect(chosen!.stats.maxValues).toEqual({ st: { c: 3 }, d: 4 });
    expect(chosen!.stats.nullCount).toEqual({ st: { c: 0 }, d: 0 });
  });

  it('lets concurrent writers share a directory without collisions', async () => {
    const dir = newDir();
    const s = schema(f('i', p('long')));
    const results = await Promise.all(
      [0, 1, 2].map((k) =>
        engine.writeParquet(`SELECT ${k} AS i`, {
          directory: dir,
          schema: s,
          partitionColumns: [],
          columnMappingMode: 'none',
        }),
      ),
    );
    const viaUrl = await engine.writeParquet('SELECT 9 AS i', {
      directory: pathToFileURL(dir).href,
      schema: s,
      partitionColumns: [],
      columnMappingMode: 'none',
    });
    expect(path.dirname(viaUrl[0]!.location)).toBe(dir);
    results.push(viaUrl);
    const locations = results.flat().map((w) => w.location);
    expect(new Set(locations).size).toBe(4);
    expect(readdirSync(dir).sort()).toEqual(locations.map((l) => path.basename(l)).sort());
  });

  it('fails with DuckDB message and leaves no staging directory behind', async () => {
    const dir = newDir();
    const err = await engine
      .writeParquet('SELECT * FROM missing_table', {
        directory: dir,
        schema: schema(f('i', p('long'))),
        partitionColumns: [],
        columnMappingMode: 'none',
      })
      .catch((e: unknown) => e);
    expect(isEngineError(err, 'DUCKDB_ERROR')).toBe(true);
    expect((err as Error).message).toContain('missing_table');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

describe('writeParquet compression', () => {
  it('writes the requested codec and names the file after it, as Spark does', async () => {
    const engine = await DuckEngine.create();
    const dir = mkdtempSync(path.join(tmpdir(), 'loch-codec-'));
    try {
      const files = await engine.writeParquet("SELECT range AS id, 'x' || range AS s FROM range(1000)", {
        directory: dir,
        schema: DataType.struct([
          DataType.field('id', DataType.primitive('long')),
          DataType.field('s', DataType.primitive('string')),
        ]),
        partitionColumns: [],
        columnMappingMode: 'none',
        compression: 'zstd',
      });
      expect(path.basename(files[0]!.location)).toMatch(/-c000\.zstd\.parquet$/);
      const codecs = await engine.query(
        `SELECT DISTINCT compression FROM parquet_metadata('${files[0]!.location}')`,
      );
      expect(codecs.rows).toEqual([['ZSTD']]);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
