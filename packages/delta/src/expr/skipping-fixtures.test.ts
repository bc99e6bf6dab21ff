// Data skipping against real tables written by Spark / Databricks (see /work/shared/delta-fixtures).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbParquetActionReader } from '../../../engine-duckdb/src/parquet-action-reader.js';
import type { ObjectMeta, ObjectStore, ParquetActionReader, PutOutcome } from '../contracts.js';
import { physicalName } from '../schema/column-mapping.js';
import { loadSnapshot } from '../snapshot/load-snapshot.js';
import type { Snapshot } from '../snapshot/types.js';
import { fromDuckDbSelectWhere } from './from-sql-ast.js';
import { pruneFiles } from './skipping.js';
import { Expr } from './types.js';
import { compareUtf8 } from './values.js';

const TABLES = '/work/shared/delta-fixtures/tables';

/** Read-only ObjectStore over a local directory. */
class FsStore implements ObjectStore {
  constructor(readonly root: string) {}
  get url(): string {
    return `file://${this.root}`;
  }
  async list(prefix: string): Promise<ObjectMeta[]> {
    const out: ObjectMeta[] = [];
    const walk = (rel: string): void => {
      for (const e of readdirSync(join(this.root, rel), { withFileTypes: true })) {
        const p = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) walk(p);
        else if (p.startsWith(prefix)) {
          const s = statSync(join(this.root, p));
          out.push({ path: p, size: s.size, lastModified: s.mtimeMs });
        }
      }
    };
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    walk(dir);
    return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  }
  async head(path: string): Promise<ObjectMeta | undefined> {
    try {
      const s = statSync(join(this.root, path));
      return { path, size: s.size, lastModified: s.mtimeMs };
    } catch {
      return undefined;
    }
  }
  async get(path: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(readFileSync(join(this.root, path)));
    } catch {
      throw Object.assign(new Error(`not found: ${path}`), { code: 'NOT_FOUND' });
    }
  }
  async put(): Promise<void> {
    throw new Error('read-only');
  }
  async putIfAbsent(): Promise<PutOutcome> {
    throw new Error('read-only');
  }
  async delete(): Promise<void> {
    throw new Error('read-only');
  }
  resolve(path: string): string {
    return join(this.root, path);
  }
}

let instance: DuckDBInstance;
let reader: ParquetActionReader;
let closeConn: () => void;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  closeConn = () => conn.closeSync();
  reader = new DuckDbParquetActionReader(conn);
});
afterAll(() => {
  closeConn();
  instance.closeSync();
});

const load = (name: string): Promise<Snapshot> =>
  loadSnapshot(new FsStore(join(TABLES, name, 'delta')), reader);
const { col, lit } = Expr;
const scanned = (s: Snapshot, pred: Expr): number => pruneFiles(s, pred).filesScanned;
/** Ids (min of the `id` stat) of the files kept, to name them in assertions. */
const keptIds = (s: Snapshot, pred: Expr): number[] =>
  pruneFiles(s, pred)
    .files.map((f) => {
      const stats = (typeof f.stats === 'string' ? JSON.parse(f.stats) : f.statsParsed) as {
        minValues: { id: number };
      };
      return Number(stats.minValues.id);
    })
    .sort((a, b) => a - b);

describe('fixture tables', () => {
  it('v2-json-sidecars-struct-stats-only: id > 3 keeps the files of ids 4 and 5 (stats_parsed only)', async () => {
    const s = await load('v2-json-sidecars-struct-stats-only');
    expect(s.files.every((f) => f.stats == null && f.statsParsed !== undefined)).toBe(true);
    expect(keptIds(s, Expr.gt(col('id'), lit(3)))).toEqual([4, 5]);
    expect(pruneFiles(s, Expr.gt(col('id'), lit(3)))).toMatchObject({ filesTotal: 5, filesScanned: 2 });
    expect(scanned(s, Expr.eq(col('value'), lit('value_2')))).toBe(1);
  });

  it('v1-multi-part-partitioned-struct-stats-only: part = 0 keeps the one file of id 3', async () => {
    const s = await load('v1-multi-part-partitioned-struct-stats-only');
    expect(s.partitionColumns).toEqual(['part']);
    expect(keptIds(s, Expr.eq(col('part'), lit(0)))).toEqual([3]);
    expect(keptIds(s, Expr.not(Expr.eq(col('part'), lit(0))))).toEqual([1, 2, 4, 5]);
    expect(keptIds(s, Expr.and(Expr.eq(col('part'), lit(1)), Expr.gt(col('id'), lit(2))))).toEqual([4]);
  });

  it('data-skipping-basic-stats-all-types-checkpoint: every type skips and keeps', async () => {
    const s = await load('data-skipping-basic-stats-all-types-checkpoint');
    expect(s.files).toHaveLength(1);
    const keep: Expr[] = [
      Expr.eq(col('as_int'), lit(0)),
      Expr.eq(col('as_long'), lit(0n)),
      Expr.eq(col('as_byte'), lit(0)),
      Expr.eq(col('as_short'), lit(0)),
      Expr.eq(col('as_float'), lit(0, { kind: 'primitive', name: 'double' })),
      Expr.eq(col('as_double'), lit(0)),
      Expr.eq(col('as_string'), lit('0')),
      Expr.eq(col('as_date'), Expr.date('2000-01-01')),
      // Spark wrote 2000-01-01T00:00:00.000-08:00, i.e. 08:00 UTC.
      Expr.eq(col('as_timestamp'), Expr.timestamp('2000-01-01T08:00:00Z')),
      Expr.eq(col('as_big_decimal'), Expr.decimal('0')),
    ];
    const skip: Expr[] = [
      Expr.gt(col('as_int'), lit(0)),
      Expr.lt(col('as_long'), lit(0n)),
      Expr.ne(col('as_byte'), lit(0)),
      Expr.ge(col('as_short'), lit(1)),
      Expr.gt(col('as_float'), lit(0.001, { kind: 'primitive', name: 'double' })),
      Expr.lt(col('as_double'), lit(-0.5)),
      Expr.gt(col('as_string'), lit('0')),
      Expr.lt(col('as_date'), Expr.date('2000-01-01')),
      Expr.eq(col('as_timestamp'), Expr.timestamp('2000-01-01T00:00:00Z')),
      Expr.eq(col('as_big_decimal'), Expr.decimal('1')),
      Expr.isNull(col('as_int')),
    ];
    for (const p of keep) expect(scanned(s, p), JSON.stringify(p, bigints)).toBe(1);
    for (const p of skip) expect(scanned(s, p), JSON.stringify(p, bigints)).toBe(0);
  });

  it('data-skipping-partition-and-data-column', async () => {
    const s = await load('data-skipping-partition-and-data-column');
    expect(s.files).toHaveLength(4);
    expect(scanned(s, Expr.and(Expr.eq(col('part'), lit(0)), Expr.eq(col('id'), lit(0))))).toBe(1);
    expect(scanned(s, Expr.or(Expr.eq(col('part'), lit(1)), Expr.eq(col('id'), lit(1))))).toBe(3);
    expect(scanned(s, Expr.eq(col('part'), lit(1)))).toBe(2);
    expect(scanned(s, Expr.eq(col('part'), lit(2)))).toBe(0);
  });

  it('data-skipping-change-stats-collected-across-versions: columns without stats may match', async () => {
    const s = await load('data-skipping-change-stats-collected-across-versions');
    expect(s.files).toHaveLength(3);
    // File 1 has stats on col1 and col2, file 2 only on col1, file 3 only numRecords; all hold 0s.
    expect(scanned(s, Expr.gt(col('col1'), lit(0)))).toBe(1);
    expect(scanned(s, Expr.gt(col('col2'), lit(0)))).toBe(2);
    expect(scanned(s, Expr.eq(col('col1'), lit(0)))).toBe(3);
  });

  it('timestamp-truncation-stats: a max truncated to ms still keeps the sub-ms row', async () => {
    const s = await load('timestamp-truncation-stats');
    // File 2 holds 4.000500s with max stat 4.000s.
    expect(keptIds(s, Expr.gt(col('ts_col'), Expr.timestamp('1970-01-01T00:00:04.000100Z')))).toEqual([3, 5]);
    expect(keptIds(s, Expr.eq(col('ts_col'), Expr.timestamp('1970-01-01T00:00:04.000500Z')))).toEqual([3]);
    expect(keptIds(s, Expr.gt(col('ts_col'), Expr.timestamp('1970-01-01T00:00:04.001Z')))).toEqual([5]);
    expect(keptIds(s, Expr.lt(col('ts_col'), Expr.timestamp('1970-01-01T00:00:03Z')))).toEqual([1]);
  });

  it('parsed-stats: stats from the checkpoint and commits after it', async () => {
    const s = await load('parsed-stats');
    expect(s.files).toHaveLength(6);
    expect(keptIds(s, Expr.between(col('id'), lit(150), lit(250)))).toEqual([101, 201]);
    // '_' is a LIKE wildcard: 'name_5%' is not a prefix pattern, so it prunes nothing.
    expect(keptIds(s, Expr.like(col('name'), 'name_5%'))).toHaveLength(6);
    expect(keptIds(s, Expr.like(col('name'), 'name!_5%', '!'))).toEqual([1, 401, 501]);
    expect(keptIds(s, Expr.startsWith(col('name'), 'name_5'))).toEqual([1, 401, 501]);
    // The checkpoint's stats_parsed timestamps read back without a fraction ('1970-01-01 00:00:02').
    expect(keptIds(s, Expr.ge(col('ts_col'), Expr.timestamp('1970-01-01T00:00:02.000999Z')))).toEqual([
      1, 101, 201, 301, 401, 501,
    ]);
    expect(keptIds(s, Expr.ge(col('ts_col'), Expr.timestamp('1970-01-01T00:00:02.001Z')))).toEqual([
      101, 201, 301, 401, 501,
    ]);
    expect(keptIds(s, Expr.lt(col('ts_col'), Expr.timestamp('1970-01-01T00:00:03Z')))).toEqual([1]);
  });

  it('stats-writing-all-types: column mapping (name), nested, every stat type', async () => {
    const s = await load('stats-writing-all-types');
    expect(s.columnMappingMode).toBe('name');
    const keep: Expr[] = [
      Expr.eq(col('byte_col'), lit(5)),
      Expr.between(col('long_col'), lit(10000), lit(10000)),
      Expr.ge(col('float_col'), lit(3.14, { kind: 'primitive', name: 'double' })),
      Expr.eq(col('date_col'), Expr.date('2024-06-15')),
      Expr.eq(col('timestamp_col'), Expr.timestamp('2024-12-25T00:00:00Z')),
      Expr.eq(col('timestamp_ntz_col'), Expr.timestampNtz('2023-06-15 12:30:00')),
      Expr.like(col('string_col'), 'b%'),
      Expr.eq(col('decimal_col'), Expr.decimal('999.99')),
      Expr.eq(col('nested_struct.inner_int'), lit(50)),
      Expr.isNull(col('nested_struct.inner_string')),
      Expr.eq(col('boolean_col'), lit(true)), // no min/max for it: may match
    ];
    const skip: Expr[] = [
      Expr.gt(col('byte_col'), lit(5)),
      Expr.lt(col('short_col'), lit(100)),
      Expr.eq(col('int_col'), lit(999)),
      Expr.gt(col('double_col'), lit(6.28)),
      Expr.lt(col('date_col'), Expr.date('2023-01-15')),
      Expr.gt(col('timestamp_col'), Expr.timestamp('2024-12-25T00:00:00.001Z')),
      Expr.like(col('string_col'), 'z%'),
      Expr.gt(col('decimal_col'), Expr.decimal('999.99')),
      Expr.gt(col('nested_struct.inner_double'), lit(5.5)),
      Expr.eq(col('nested_struct.inner_string'), lit('nested_d')),
    ];
    for (const p of keep) expect(scanned(s, p), JSON.stringify(p, bigints)).toBe(1);
    for (const p of skip) expect(scanned(s, p), JSON.stringify(p, bigints)).toBe(0);
  });

  it('a predicate from DuckDB json_serialize_sql prunes the same way', async () => {
    const s = await load('v2-json-sidecars-struct-stats-only');
    const conn = await instance.connect();
    try {
      const r = await conn.runAndReadAll(
        `SELECT json_serialize_sql('SELECT * FROM t WHERE t.id > 3 AND value LIKE ''value%''')`,
      );
      const pred = fromDuckDbSelectWhere(String(r.getRows()[0]![0]), { qualifiers: ['t'] });
      expect(pred).toBeDefined();
      expect(keptIds(s, pred!)).toEqual([4, 5]);
    } finally {
      conn.closeSync();
    }
  });
});

type Cell = number | bigint | string | null;
type Tri = boolean | null;
interface ColInfo {
  readonly name: string;
  readonly kind: 'num' | 'str' | 'ts';
}

/** Physical rows of every live file (deletion vectors ignored: stats bound the physical rows). */
async function fileRows(
  name: string,
  s: Snapshot,
  cols: readonly ColInfo[],
): Promise<Map<string, Record<string, Cell>[]>> {
  const root = join(TABLES, name, 'delta');
  const conn = await instance.connect();
  const out = new Map<string, Record<string, Cell>[]>();
  try {
    for (const f of s.files) {
      const select = cols
        .filter((c) => !s.partitionColumns.includes(c.name))
        .map((c) => {
          const field = s.schema.fields.find((x) => x.name === c.name)!;
          const phys = physicalName(field, s.columnMappingMode).replaceAll('"', '""');
          return c.kind === 'ts' ? `epoch_us(src."${phys}") AS "${c.name}"` : `src."${phys}" AS "${c.name}"`;
        });
      const path = join(root, decodeURIComponent(f.path)).replaceAll("'", "''");
      const reader = await conn.runAndReadAll(
        `SELECT ${select.join(', ')} FROM read_parquet('${path}') AS src`,
      );
      const rows = reader.getRowObjectsJS() as Record<string, Cell>[];
      for (const c of cols) {
        if (!s.partitionColumns.includes(c.name)) continue;
        const field = s.schema.fields.find((x) => x.name === c.name)!;
        const raw = f.partitionValues[physicalName(field, s.columnMappingMode)];
        for (const r of rows)
          r[c.name] = raw === null || raw === undefined || raw === '' ? null : Number(raw);
      }
      out.set(f.path, rows);
    }
  } finally {
    conn.closeSync();
  }
  return out;
}

function randomPredicates(
  cols: readonly ColInfo[],
  sample: Record<string, Cell>[],
  count: number,
  seed: number,
): Array<{ expr: Expr; eval: (row: Record<string, Cell>) => Tri }> {
  let x = seed;
  const r = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const cmp = (a: Cell, b: Cell): number =>
    typeof a === 'string'
      ? compareUtf8(a, b as string)
      : (a as number | bigint) < (b as number | bigint)
        ? -1
        : (a as number | bigint) > (b as number | bigint)
          ? 1
          : 0;
  const literal = (c: ColInfo, v: Cell): Expr =>
    c.kind === 'ts' ? Expr.timestamp(BigInt(v as number | bigint)) : Expr.lit(v as string | number | bigint);
  const gen = (depth: number): { expr: Expr; eval: (row: Record<string, Cell>) => Tri } => {
    const k = r();
    if (depth > 0 && k < 0.3) {
      const [a, b] = [gen(depth - 1), gen(depth - 1)];
      const and = r() < 0.5;
      return {
        expr: and ? Expr.and(a.expr, b.expr) : Expr.or(a.expr, b.expr),
        eval: (row) => {
          const [p, q] = [a.eval(row), b.eval(row)];
          if (and) return p === false || q === false ? false : p === null || q === null ? null : true;
          return p === true || q === true ? true : p === null || q === null ? null : false;
        },
      };
    }
    if (depth > 0 && k < 0.4) {
      const a = gen(depth - 1);
      return { expr: Expr.not(a.expr), eval: (row) => (a.eval(row) === null ? null : !a.eval(row)) };
    }
    const c = cols[Math.floor(r() * cols.length)]!;
    if (k < 0.45) return { expr: Expr.isNull(Expr.col(c.name)), eval: (row) => row[c.name] === null };
    let v: Cell = sample[Math.floor(r() * sample.length)]![c.name] ?? null;
    if (v === null) return { expr: Expr.isNotNull(Expr.col(c.name)), eval: (row) => row[c.name] !== null };
    if (c.kind === 'ts' && r() < 0.6)
      v = BigInt(v as number | bigint) + BigInt(Math.floor(r() * 2001) - 1000);
    if (c.kind === 'num' && r() < 0.5)
      v =
        typeof v === 'bigint' ? v + BigInt(Math.floor(r() * 3) - 1) : (v as number) + Math.floor(r() * 3) - 1;
    const ops = ['=', '!=', '<', '<=', '>', '>='] as const;
    const op = ops[Math.floor(r() * ops.length)]!;
    const lit = v;
    const test = (n: number): boolean =>
      op === '='
        ? n === 0
        : op === '!='
          ? n !== 0
          : op === '<'
            ? n < 0
            : op === '<='
              ? n <= 0
              : op === '>'
                ? n > 0
                : n >= 0;
    return {
      expr: Expr.cmp(op, Expr.col(c.name), literal(c, lit)),
      eval: (row) => (row[c.name] === null ? null : test(cmp(row[c.name]!, lit))),
    };
  };
  return Array.from({ length: count }, () => gen(2));
}

describe('soundness against the data files', () => {
  const tables: Array<[string, ColInfo[]]> = [
    [
      'dv-with-columnmapping',
      [
        { name: 'part', kind: 'num' },
        { name: 'col1', kind: 'num' },
        { name: 'col2', kind: 'str' },
      ],
    ],
    [
      // Its ts_col stats were added by hand (the data files have no such column).
      'parsed-stats',
      [
        { name: 'id', kind: 'num' },
        { name: 'name', kind: 'str' },
        { name: 'age', kind: 'num' },
        { name: 'salary', kind: 'num' },
      ],
    ],
    [
      'timestamp-truncation-stats',
      [
        { name: 'id', kind: 'num' },
        { name: 'ts_col', kind: 'ts' },
      ],
    ],
    [
      'data-skipping-partition-and-data-column',
      [
        { name: 'part', kind: 'num' },
        { name: 'id', kind: 'num' },
      ],
    ],
  ];
  for (const [name, cols] of tables) {
    it(`${name}: no file holding a matching row is skipped`, async () => {
      const s = await load(name);
      const rows = await fileRows(name, s, cols);
      const sample = [...rows.values()].flat();
      let skipped = 0;
      for (const p of randomPredicates(cols, sample, 300, name.length)) {
        const kept = new Set(pruneFiles(s, p.expr).files.map((f) => f.path));
        for (const [path, fileRowsOf] of rows) {
          if (kept.has(path)) continue;
          skipped++;
          const hit = fileRowsOf.find((row) => p.eval(row) === true);
          expect(hit, `${JSON.stringify(p.expr, bigints)} skipped ${path}`).toBeUndefined();
        }
      }
      expect(skipped).toBeGreaterThan(0);
    });
  }
});

function bigints(_: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
