import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StructField, StructType } from '@loch/delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from './duck-engine.js';
import { expectedFileColumns } from './file-schemas.js';
import type { ScanSpec } from './types.js';

const field = (
  name: string,
  type: StructField['type'],
  metadata: StructField['metadata'] = {},
): StructField => ({
  name,
  type,
  nullable: true,
  metadata,
});
const long = { kind: 'primitive', name: 'long' } as const;
const str = { kind: 'primitive', name: 'string' } as const;
const schemaOf = (...fields: StructField[]): StructType => ({ kind: 'struct', fields });

describe('reading files without the schema parameter', () => {
  let engine: DuckEngine;
  let dir: string;
  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 2, threads: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'loch-file-schemas-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = async (name: string, select: string): Promise<string> => {
    const file = path.join(dir, name);
    await engine.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
    return file;
  };
  const spec = (schema: StructType, files: string[], extra: Partial<ScanSpec> = {}): ScanSpec => ({
    files: files.map((location) => ({ location, partitionValues: {} })),
    schema,
    partitionColumns: [],
    columnMappingMode: 'none',
    ...extra,
  });

  it('reads files equal to the table by name, so DuckDB sees their min/max', async () => {
    const a = await write('a.parquet', "SELECT range AS id, 'x' || range AS s FROM range(0, 100)");
    const b = await write('b.parquet', "SELECT range AS id, 'y' || range AS s FROM range(100, 300)");
    const table = schemaOf(field('id', long), field('s', str));
    // DuckDB 1.5 exposes statistics for a read of one file (none for several, either way).
    const one = await engine.scanSql(spec(table, [b]));
    expect(one).not.toContain('schema =');
    const stats = await engine.query(`SELECT stats(id) FROM (${one}) LIMIT 1`);
    expect(String(stats.rows[0]![0])).toContain('Min: 100, Max: 299');
    const sql = await engine.scanSql(spec(table, [a, b]));
    expect(sql).not.toContain('schema =');
    const r = await engine.query(`SELECT count(*), sum(id), max(s) FROM (${sql})`);
    expect(r.rows[0]!.map(String)).toEqual(['300', '44850', 'y299']);
  });

  it('keeps the parameter for a file missing a column, which reads as NULL', async () => {
    const full = await write('full.parquet', "SELECT 1::BIGINT AS id, 'a' AS s");
    const old = await write('old.parquet', 'SELECT 2::BIGINT AS id');
    const sql = await engine.scanSql(spec(schemaOf(field('id', long), field('s', str)), [full, old]));
    expect(sql).toContain('schema =');
    const r = await engine.query(`SELECT id, s FROM (${sql}) ORDER BY id`);
    expect(r.rows.map((row) => row.map((v) => (v === null ? null : String(v))))).toEqual([
      ['1', 'a'],
      ['2', null],
    ]);
  });

  it('keeps the parameter for a narrower type in a file (type widening)', async () => {
    const narrow = await write('narrow.parquet', 'SELECT 7::INTEGER AS id');
    const sql = await engine.scanSql(spec(schemaOf(field('id', long)), [narrow]));
    expect(sql).toContain('schema =');
    const r = await engine.query(`SELECT typeof(id), id FROM (${sql})`);
    expect(r.rows[0]!.map(String)).toEqual(['BIGINT', '7']);
  });

  it('keeps the parameter for columns in another order than the table', async () => {
    const swapped = await write('swapped.parquet', "SELECT 'q' AS s, 5::BIGINT AS id");
    const sql = await engine.scanSql(spec(schemaOf(field('id', long), field('s', str)), [swapped]));
    expect(sql).toContain('schema =');
    const r = await engine.query(`SELECT id, s FROM (${sql})`);
    expect(r.rows[0]!.map(String)).toEqual(['5', 'q']);
  });

  it('reads the file and row-number virtual columns in the plain form', async () => {
    const f = await write('rows.parquet', 'SELECT range AS id FROM range(5)');
    const sql = await engine.scanSql(
      spec(schemaOf(field('id', long)), [f], { fileColumn: '__f', rowIndexColumn: '__r' }),
    );
    expect(sql).not.toContain('schema =');
    const r = await engine.query(`SELECT id, __r, __f FROM (${sql}) WHERE id = 3`);
    expect(r.rows[0]!.map(String)).toEqual(['3', '3', f]);
  });

  it('is not used for column mapping, nested or time-zone-dependent types, or virtual column names', () => {
    const mapped = spec(schemaOf(field('id', long, { 'delta.columnMapping.physicalName': 'col-1' })), ['x'], {
      columnMappingMode: 'name',
    });
    expect(expectedFileColumns(mapped)).toBeUndefined();
    const nested = schemaOf(field('st', { kind: 'struct', fields: [field('a', long)] }));
    expect(expectedFileColumns(spec(nested, ['x']))).toBeUndefined();
    const ts = schemaOf(field('t', { kind: 'primitive', name: 'timestamp' }));
    expect(expectedFileColumns(spec(ts, ['x']))).toBeUndefined();
    expect(expectedFileColumns(spec(schemaOf(field('filename', str)), ['x']))).toBeUndefined();
    const decimal = schemaOf(field('d', { kind: 'decimal', precision: 18, scale: 2 }), field('id', long));
    expect(expectedFileColumns(spec(decimal, ['x']))).toBe('d\tDECIMAL(18,2)\nid\tBIGINT');
  });

  it('leaves partition columns out of the file schema', async () => {
    const f = await write('part.parquet', 'SELECT 1::BIGINT AS id');
    const sql = await engine.scanSql({
      ...spec(schemaOf(field('id', long), field('p', str)), [f]),
      partitionColumns: ['p'],
      files: [{ location: f, partitionValues: { p: 'z' } }],
    });
    expect(sql).not.toContain('schema =');
    const r = await engine.query(`SELECT id, p FROM (${sql})`);
    expect(r.rows[0]!.map(String)).toEqual(['1', 'z']);
  });
});
