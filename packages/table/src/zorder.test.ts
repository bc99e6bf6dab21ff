// OPTIMIZE ZORDER BY: the interleaving key, the rewrite (same rows, dataChange=false, the commit
// Delta records), and the point it all has: fewer files scanned for a point filter on each column.
import {
  type CommitInfo,
  Expr,
  interleaveBits,
  interleaveSql,
  pruneFiles,
  type Snapshot,
  zOrderBits,
} from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { commitActions, expectDeltaError, plain, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();

const FILES = 16;
const ROWS = 400;

/** FILES appends of ROWS rows with x and y spread pseudo-randomly (deterministically) over 0..9999. */
async function randomTable(partitioned = false): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const sql =
      `SELECT range AS id, (hash(range * 7919) % 10000)::BIGINT AS x, (hash(range * 104729 + 1) % 10000)::BIGINT AS y, ` +
      `(range % 2)::INT AS p FROM range(${i * ROWS}, ${(i + 1) * ROWS})`;
    await fx.table.write(sql, { mode: 'append', ...(partitioned ? { partitionBy: ['p'] } : {}) });
  }
}

/** Average files scanned by `col = v` over probe values spread across the domain. */
function avgScanned(s: Snapshot, col: string): number {
  let total = 0;
  const probes = [137, 1234, 2500, 3777, 5001, 6420, 7999, 9876];
  for (const v of probes) {
    total += pruneFiles(s, Expr.eq(Expr.col(col), Expr.lit(v))).filesScanned;
  }
  return total / probes.length;
}

describe('Z-order key', () => {
  it('interleaves bits most significant first, column 0 leading', () => {
    expect(interleaveBits([0b11, 0b00], 2)).toBe(0b1010n);
    expect(interleaveBits([0b00, 0b11], 2)).toBe(0b0101n);
    expect(interleaveBits([0b10, 0b01], 2)).toBe(0b1001n);
    expect(zOrderBits(1)).toBe(16);
    expect(zOrderBits(5)).toBe(12);
  });

  it('computes in DuckDB exactly what interleaveBits computes', async () => {
    const bits = zOrderBits(3);
    const values = [
      [0, 0, 0],
      [65535, 0, 1],
      [12345, 54321, 777],
      [4095, 4095, 4095],
    ];
    for (const v of values) {
      const sql = interleaveSql(
        v.map((n) => `${n}::UBIGINT`),
        bits,
      );
      const r = await fx.engine.query(`SELECT (${sql})::VARCHAR AS k`);
      expect(BigInt(String(r.rows[0]![0]))).toBe(interleaveBits(v, bits));
    }
  });
});

describe('OPTIMIZE ZORDER BY', () => {
  it('leaves partitions Z-ordered by the same columns alone until they change', async () => {
    await randomTable(true);
    const r1 = await fx.table.optimize({ zOrderBy: ['X', 'y'] });
    expect(r1.version).toBeDefined();
    const s1 = await fx.table.snapshot();
    expect(s1.files.every((f) => f.tags?.ZCUBE_ZORDER_BY === '["x","y"]')).toBe(true);
    // Nothing changed: nothing to do, nothing committed.
    const r2 = await fx.table.optimize({ zOrderBy: ['x', 'y'] });
    expect(r2.version).toBeUndefined();
    expect((await fx.table.snapshot()).version).toBe(s1.version);
    // New data in p=1: only that partition is Z-ordered again.
    await fx.table.write(`SELECT 100000 AS id, 5::BIGINT AS x, 5::BIGINT AS y, 1 AS p`, { mode: 'append' });
    const r3 = await fx.table.optimize({ zOrderBy: ['x', 'y'] });
    expect(r3.metrics.partitionsOptimized).toBe(1);
    const paths = (s: Snapshot, p: string): string[] =>
      s.files
        .filter((f) => f.partitionValues.p === p)
        .map((f) => f.path)
        .sort();
    const s3 = await fx.table.snapshot();
    expect(paths(s3, '0')).toEqual(paths(s1, '0'));
    expect(paths(s3, '1')).not.toEqual(paths(s1, '1'));
    expect(await fx.table.toArray()).toHaveLength(FILES * ROWS + 1);
    // Other columns: every partition again.
    const r4 = await fx.table.optimize({ zOrderBy: ['y'] });
    expect(r4.metrics.partitionsOptimized).toBe(2);
  });

  it('rewrites all files in key order, keeps the rows, and scans fewer files per point filter', async () => {
    await randomTable();
    const before = await fx.table.snapshot();
    const rowsBefore = plain(await fx.table.toArray({ orderBy: ['id'] }));
    const total = before.files.reduce((n, f) => n + f.size, 0);
    const xBefore = avgScanned(before, 'x');
    const yBefore = avgScanned(before, 'y');
    const r = await fx.table.optimize({ zOrderBy: ['X', 'y'], targetFileSize: Math.ceil(total / FILES) });
    const after = await fx.table.snapshot();
    const xAfter = avgScanned(after, 'x');
    const yAfter = avgScanned(after, 'y');
    console.log(
      `zorder ${FILES} files x ${ROWS} rows -> ${after.files.length} files; avg files scanned x: ${xBefore} -> ${xAfter}, y: ${yBefore} -> ${yAfter}`,
    );
    expect(xBefore).toBe(FILES);
    expect(xAfter).toBeLessThan(xBefore / 2);
    expect(yAfter).toBeLessThan(yBefore / 2);
    expect(r.metrics.numFilesRemoved).toBe(FILES);
    expect(r.metrics.zOrderStats).toMatchObject({ strategyName: 'all', mergedFiles: { num: FILES } });
    expect(plain(await fx.table.toArray({ orderBy: ['id'] }))).toEqual(rowsBefore);
    const actions = await commitActions(fx.dir, r.version!);
    const info = actions.find((a): a is CommitInfo => a.kind === 'commitInfo')!;
    expect(info.value.operationParameters).toMatchObject({ zOrderBy: '["x","y"]' });
    expect(
      actions
        .filter((a) => a.kind === 'add' || a.kind === 'remove')
        .every((a) => !('dataChange' in a) || a.dataChange === false),
    ).toBe(true);
  });

  it('z-orders each selected partition on its own and leaves the others', async () => {
    await randomTable(true);
    const before = await fx.table.snapshot();
    const r = await fx.table.optimize({ where: 'p = 1', zOrderBy: ['x'], targetFileSize: 4096 });
    const after = await fx.table.snapshot();
    expect(r.metrics.numFilesRemoved).toBe(FILES);
    expect(
      after.files
        .filter((f) => f.partitionValues.p === '0')
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      before.files
        .filter((f) => f.partitionValues.p === '0')
        .map((f) => f.path)
        .sort(),
    );
    // Sorted by x within the partition: the files' x ranges do not overlap.
    const ranges = after.files
      .filter((f) => f.partitionValues.p === '1')
      .map((f) => JSON.parse(f.stats!) as { minValues: { x: number }; maxValues: { x: number } })
      .sort((a, b) => a.minValues.x - b.minValues.x);
    expect(ranges.length).toBeGreaterThan(1);
    for (let i = 1; i < ranges.length; i++)
      expect(ranges[i]!.minValues.x).toBeGreaterThanOrEqual(ranges[i - 1]!.maxValues.x);
  });

  it('refuses partition columns and unknown columns, naming them', async () => {
    await randomTable(true);
    await expectDeltaError(fx.table.optimize({ zOrderBy: ['p'] }), 'INVALID_ARGUMENT');
    await expectDeltaError(fx.table.optimize({ zOrderBy: ['nope'] }), 'INVALID_ARGUMENT');
  });
});
