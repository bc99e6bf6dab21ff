// DuckDB's optimizer must see how big a Delta scan is. With read_parquet's explicit `schema` it opens
// no file at bind time and guessed ~1k rows per file (0 for one file), so joins built their hash
// table on the big Delta side. The scan now passes add.stats numRecords as `explicit_cardinality`;
// these tests read the plan DuckDB actually ran (EXPLAIN ANALYZE) for every relation shape.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableAt, useTableFixture } from './test-helpers.test-util.js';
import type { WriteOptions } from './types.js';

const BIG_ROWS = 200_000;
const BIG_FILES = 4;
const SMALL_ROWS = 1_000;

interface PlanNode {
  readonly operator_type?: string;
  readonly operator_cardinality?: number;
  readonly extra_info?: Record<string, unknown>;
  readonly children?: readonly PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.children ?? []).flatMap(nodes)];
const isParquetScan = (n: PlanNode) => n.extra_info?.Function === 'READ_PARQUET';
const filesOf = (n: PlanNode) => String(n.extra_info?.['Filename(s)'] ?? '');
const estimate = (n: PlanNode) => Number(n.extra_info?.['Estimated Cardinality']);

const fx = useTableFixture();

// The small side's keys span the whole big key range (0 .. BIG_ROWS - 1), so DuckDB's runtime
// min/max join filter prunes nothing and the big scan's actual count is its row count.
const bigRows = (k: number, idType = 'BIGINT') => {
  const per = BIG_ROWS / BIG_FILES;
  return `SELECT i::${idType} AS id, (i % 97)::INTEGER AS v, 'p' || ${k}::VARCHAR AS part FROM range(${k * per}, ${(k + 1) * per}) t(i)`;
};

interface Shape {
  readonly properties?: Record<string, string>;
  readonly partitionBy?: readonly string[];
  /** The first half of the files store `id` as INTEGER, widened to BIGINT later. */
  readonly widen?: boolean;
  /** Rows deleted after the writes (with deletion vectors when the table enables them). */
  readonly deleteWhere?: string;
}

describe.each<[string, Shape]>([
  ['plain', {}],
  ['partitioned', { partitionBy: ['part'] }],
  ['column mapping', { properties: { 'delta.columnMapping.mode': 'name' } }],
  ['type widening', { properties: { 'delta.enableTypeWidening': 'true' }, widen: true }],
  [
    'deletion vectors',
    { properties: { 'delta.enableDeletionVectors': 'true' }, deleteWhere: 'id % 1000 = 7' },
  ],
])('scan cardinality: %s', (_name, shape) => {
  it(`estimates a ${BIG_ROWS}-row Delta scan within 10x and builds the join on the ${SMALL_ROWS}-row side`, async () => {
    const bigDir = path.join(fx.dir, 'big');
    const smallDir = path.join(fx.dir, 'small');
    const big = tableAt(fx.ctx, bigDir);
    const small = tableAt(fx.ctx, smallDir);
    for (let k = 0; k < BIG_FILES; k++) {
      const narrow = shape.widen === true && k < BIG_FILES / 2;
      const opts: WriteOptions = {
        mode: 'append',
        ...(shape.properties !== undefined ? { properties: shape.properties } : {}),
        ...(shape.partitionBy !== undefined ? { partitionBy: shape.partitionBy } : {}),
        ...(shape.widen === true && !narrow ? { mergeSchema: true } : {}),
      };
      await big.write(bigRows(k, narrow ? 'INTEGER' : 'BIGINT'), opts);
    }
    if (shape.deleteWhere !== undefined) await big.delete(shape.deleteWhere);
    await small.write(
      `SELECT (CASE WHEN i = ${SMALL_ROWS - 1} THEN ${BIG_ROWS - 1} ELSE i * ${BIG_ROWS / SMALL_ROWS} END)::BIGINT AS sid, 'n' || i::VARCHAR AS name FROM range(${SMALL_ROWS}) t(i)`,
      { mode: 'append' },
    );
    const bigSnap = await big.snapshot();
    expect(bigSnap.files).toHaveLength(BIG_FILES);
    if (shape.widen === true) {
      expect(bigSnap.schema.fields.find((f) => f.name === 'id')?.type).toEqual({
        kind: 'primitive',
        name: 'long',
      });
    }
    if (shape.deleteWhere !== undefined && shape.properties?.['delta.enableDeletionVectors'] === 'true') {
      expect(bigSnap.files.every((f) => f.deletionVector != null)).toBe(true);
    }

    // Before anything reads the files (DuckDB's footer cache is cold: this is where the old
    // relation guessed ~1k rows per file), each relation's scan estimate alone.
    const [bigSql, smallSql] = [await big.scanSql(), await small.scanSql()];
    for (const [sql, rows] of [
      [bigSql, BIG_ROWS],
      [smallSql, SMALL_ROWS],
    ] as const) {
      const explained = await fx.engine.query(`EXPLAIN (FORMAT json) SELECT * FROM (${sql})`);
      const planned = JSON.parse(String(explained.rows[0]![1])) as PlanNode[];
      const scanEstimate = planned
        .flatMap(nodes)
        .filter(isParquetScan)
        .reduce((sum, n) => sum + estimate(n), 0);
      expect(scanEstimate).toBeGreaterThanOrEqual(rows / 10);
      expect(scanEstimate).toBeLessThanOrEqual(rows * 10);
    }

    const query = `SELECT count(*) AS n, sum(b.v) AS s FROM (${bigSql}) b JOIN (${smallSql}) s ON b.id = s.sid`;
    const result = await fx.engine.query(query);
    // Every small key matches once: no deleted id (ending in 007) is a small key.
    expect(Number(result.rows[0]![0])).toBe(SMALL_ROWS);

    const analyzed = await fx.engine.query(`EXPLAIN (ANALYZE, FORMAT json) ${query}`);
    const plan = JSON.parse(String(analyzed.rows[0]![1])) as PlanNode;
    const scans = nodes(plan).filter(isParquetScan);
    const bigScan = scans.find((n) => filesOf(n).includes(bigDir));
    const smallScan = scans.find((n) => filesOf(n).includes(smallDir));
    expect(bigScan, JSON.stringify(scans.map((n) => n.extra_info))).toBeDefined();
    expect(smallScan, JSON.stringify(scans.map((n) => n.extra_info))).toBeDefined();
    // The scans read every physical row (deleted rows are filtered above the scan).
    expect(bigScan!.operator_cardinality).toBe(BIG_ROWS);
    expect(smallScan!.operator_cardinality).toBe(SMALL_ROWS);
    for (const [scan, rows] of [
      [bigScan!, BIG_ROWS],
      [smallScan!, SMALL_ROWS],
    ] as const) {
      expect(estimate(scan)).toBeGreaterThanOrEqual(rows / 10);
      expect(estimate(scan)).toBeLessThanOrEqual(rows * 10);
    }

    // The join that consumes both scans builds its hash table (its second child) on the small side.
    const join = nodes(plan).find(
      (n) => n.operator_type === 'HASH_JOIN' && nodes(n).includes(bigScan!) && nodes(n).includes(smallScan!),
    );
    expect(join).toBeDefined();
    const [probe, build] = join!.children!;
    expect(nodes(build!)).toContain(smallScan);
    expect(nodes(probe!)).toContain(bigScan);
  });
});
