// OPTIMIZE bin-packing on local tables: compaction per partition, WHERE on partition columns,
// deletion vectors dropped by the rewrite, the commit Delta readers expect, unchanged data.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import {
  type AddFile,
  type CommitInfo,
  encodeDeletionVectorFile,
  newDeletionVectorDescriptor,
} from '@loch/delta';
import type { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import { commit } from './commit.js';
import { removeFor } from './file-actions.js';
import { TableHandle } from './table-handle.js';
import {
  commitActions,
  contextFor,
  expectDeltaError,
  plain,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

const sorted = async (at?: number): Promise<Record<string, unknown>[]> =>
  plain(await fx.table.toArray({ orderBy: ['id'], ...(at !== undefined ? { at: { version: at } } : {}) }));

/** `n` appends of `per` rows each, ids continuing; partition `p` = id % 2 when partitioned. */
async function appends(n: number, per: number, partitioned: boolean): Promise<void> {
  for (let i = 0; i < n; i++) {
    const sql = `SELECT range AS id, (range % 2)::INT AS p, 'row ' || range AS s FROM range(${i * per}, ${(i + 1) * per})`;
    await fx.table.write(sql, { mode: 'append', ...(partitioned ? { partitionBy: ['p'] } : {}) });
  }
}

const infoOf = async (version: number): Promise<Record<string, unknown>> => {
  const info = (await commitActions(fx.dir, version)).find((a): a is CommitInfo => a.kind === 'commitInfo');
  return info!.value;
};

describe('OPTIMIZE bin-packing', () => {
  it('compacts small files into one, dataChange=false, same rows, time travel intact', async () => {
    await appends(5, 10, false);
    const before = await sorted();
    const s0 = await fx.table.snapshot();
    expect(s0.files).toHaveLength(5);
    const r = await fx.table.optimize();
    expect(r.version).toBe(5);
    expect(r.metrics).toMatchObject({
      numFilesAdded: 1,
      numFilesRemoved: 5,
      partitionsOptimized: 1,
      totalConsideredFiles: 5,
      totalFilesSkipped: 0,
      numBatches: 1,
      filesRemoved: { totalFiles: 5, totalSize: s0.files.reduce((n, f) => n + f.size, 0) },
    });
    expect(r.metrics.filesAdded.totalFiles).toBe(1);
    const s1 = await fx.table.snapshot();
    expect(s1.files).toHaveLength(1);
    expect(s1.files[0]!.dataChange).toBe(false);
    const actions = await commitActions(fx.dir, 5);
    const removes = actions.filter((a) => a.kind === 'remove');
    expect(removes).toHaveLength(5);
    expect(removes.every((a) => a.kind === 'remove' && a.dataChange === false)).toBe(true);
    const info = await infoOf(5);
    expect(info).toMatchObject({
      operation: 'OPTIMIZE',
      operationParameters: { predicate: '[]', zOrderBy: '[]', auto: 'false' },
      isBlindAppend: false,
      readVersion: 4,
    });
    expect(info.operationMetrics).toMatchObject({ numRemovedFiles: '5', numAddedFiles: '1' });
    expect(await sorted()).toEqual(before);
    expect(await sorted(4)).toEqual(before);
  });

  it('packs into bins of the target size and leaves large files alone', async () => {
    await appends(6, 10, false);
    const sizes = (await fx.table.snapshot()).files.map((f) => f.size);
    const max = Math.max(...sizes);
    // Room for two files per bin, not three.
    const r = await fx.table.optimize({ targetFileSize: 2 * max + 1 });
    expect(r.metrics.numFilesRemoved).toBe(6);
    expect(r.metrics.numFilesAdded).toBe(3);
    expect(r.metrics.totalScheduledTasks).toBe(3);
    const again = await fx.table.optimize({ targetFileSize: Math.min(...sizes) });
    // Every file is now at least the target: nothing to do, no commit.
    expect(again.version).toBeUndefined();
    expect(again.metrics).toMatchObject({ numFilesAdded: 0, numFilesRemoved: 0, totalFilesSkipped: 3 });
    expect((await fx.table.snapshot()).version).toBe(6);
  });

  it('reads delta.targetFileSize from the table properties', async () => {
    await appends(3, 10, false);
    await fx.table.alter({ kind: 'setProperties', properties: { 'delta.targetFileSize': '1' } });
    const r = await fx.table.optimize();
    expect(r.version).toBeUndefined();
    expect(r.metrics.totalFilesSkipped).toBe(3);
  });

  it('compacts per partition and only partitions with two or more small files', async () => {
    await appends(3, 10, true);
    // One more file, in partition p=1 only.
    await fx.table.write(`SELECT 1001 AS id, 1 AS p, 'x' AS s`, { mode: 'append' });
    const before = await sorted();
    expect((await fx.table.snapshot()).files).toHaveLength(7);
    const r = await fx.table.optimize();
    expect(r.metrics).toMatchObject({ numFilesRemoved: 7, numFilesAdded: 2, partitionsOptimized: 2 });
    const files = (await fx.table.snapshot()).files;
    expect(files.map((f) => f.partitionValues.p).sort()).toEqual(['0', '1']);
    expect(files.every((f) => f.path.startsWith(`p=${f.partitionValues.p}/`))).toBe(true);
    expect(await sorted()).toEqual(before);
  });

  it('OPTIMIZE WHERE compacts only the matching partitions', async () => {
    await appends(3, 10, true);
    const r = await fx.table.optimize({ where: 'p = 1' });
    expect(r.metrics).toMatchObject({ numFilesRemoved: 3, numFilesAdded: 1, totalConsideredFiles: 3 });
    const files = (await fx.table.snapshot()).files;
    expect(files.filter((f) => f.partitionValues.p === '0')).toHaveLength(3);
    expect(files.filter((f) => f.partitionValues.p === '1')).toHaveLength(1);
    expect((await infoOf(r.version!)).operationParameters).toMatchObject({ predicate: '["p = 1"]' });
  });

  it('rejects a WHERE on a non-partition column, naming it', async () => {
    await appends(2, 10, true);
    const e = await expectDeltaError(fx.table.optimize({ where: 'p = 1 AND id > 3' }), 'INVALID_ARGUMENT');
    expect(e.message).toContain("non-partition column 'id'");
    expect((await fx.table.snapshot()).version).toBe(1);
  });

  it('rewrites a file with a deletion vector without its deleted rows', async () => {
    await fx.table.write(`SELECT range AS id, 0 AS p, 'a' AS s FROM range(10)`, {
      mode: 'append',
      properties: { 'delta.enableDeletionVectors': 'true' },
    });
    const h = new TableHandle(fx.ctx, await openStore(fx.table.url));
    const s = await h.require();
    const add = s.files[0] as AddFile;
    // Rows 0..9 hold ids 0..9: delete ids 2, 3 and 7.
    const encoded = encodeDeletionVectorFile([2, 3, 7]);
    const uuid = randomUUID();
    const dv = newDeletionVectorDescriptor({ uuid, ...encoded });
    await fs.writeFile(nodePath.join(fx.dir, `deletion_vector_${uuid}.bin`), encoded.bytes);
    await commit(h, {
      operation: 'DELETE',
      operationParameters: {},
      actions: [removeFor(add, Date.now()), { ...add, deletionVector: dv }],
      readSnapshot: s,
      isBlindAppend: false,
    });
    const live = (await sorted()).map((r) => r.id);
    expect(live).toEqual([0, 1, 4, 5, 6, 8, 9]);
    // A single file is rewritten because of its deletion vector.
    const r = await fx.table.optimize();
    expect(r.metrics).toMatchObject({
      numFilesRemoved: 1,
      numFilesAdded: 1,
      deletionVectorStats: { numDeletionVectorsRemoved: 1, numDeletionVectorRowsRemoved: 3 },
    });
    const after = await fx.table.snapshot();
    expect(after.files[0]!.deletionVector ?? undefined).toBeUndefined();
    expect(JSON.parse(after.files[0]!.stats ?? '{}').numRecords).toBe(7);
    expect((await sorted()).map((row) => row.id)).toEqual(live);
  });

  it('a concurrent append does not fail OPTIMIZE; a concurrent overwrite does', async () => {
    let hook: (() => Promise<unknown>) | undefined;
    // An engine whose first parquet write lets another writer commit in between.
    const hooked = new Proxy(fx.engine, {
      get(target, prop) {
        if (prop === 'writeParquet') {
          return async (...args: Parameters<DuckEngine['writeParquet']>) => {
            const written = await target.writeParquet(...args);
            const run = hook;
            hook = undefined;
            if (run !== undefined) await run();
            return written;
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const optimizer = tableAt(contextFor(hooked), fx.dir);
    await appends(3, 10, false);
    hook = () => fx.table.write(`SELECT 999 AS id, 1 AS p, 'late' AS s`, { mode: 'append' });
    const r = await optimizer.optimize();
    expect(r.version).toBe(4);
    expect((await infoOf(4)).readVersion).toBe(3);
    expect((await fx.table.snapshot()).files).toHaveLength(2);
    expect((await sorted()).map((row) => row.id)).toContain(999);
    expect(await sorted()).toHaveLength(31);

    await fx.table.write(`SELECT 1000 AS id, 1 AS p, 'x' AS s`, { mode: 'append' });
    hook = () => fx.table.write(`SELECT 1 AS id, 1 AS p, 'y' AS s`, { mode: 'overwrite' });
    const before = (await fs.readdir(fx.dir)).length;
    await expectDeltaError(optimizer.optimize(), 'CONCURRENT_MODIFICATION');
    expect(await sorted()).toEqual([{ id: 1, p: 1, s: 'y' }]);
    // The failed OPTIMIZE's file is cleaned up: only the overwrite's file was added.
    expect((await fs.readdir(fx.dir)).length).toBe(before + 1);
  });

  it('works under column mapping (partition directories and stats by physical name)', async () => {
    await fx.table.write(`SELECT 1::BIGINT AS id, 1 AS p, 'a' AS s`, {
      mode: 'append',
      partitionBy: ['p'],
      properties: { 'delta.columnMapping.mode': 'name' },
    });
    await appends(2, 5, true);
    const before = await sorted();
    const r = await fx.table.optimize({ where: 'p = 1' });
    expect(r.metrics).toMatchObject({ numFilesRemoved: 3, numFilesAdded: 1 });
    const s = await fx.table.snapshot();
    const added = s.files.find((f) => f.dataChange === false)!;
    expect(Object.keys(added.partitionValues)[0]).toMatch(/^col-/);
    expect(await sorted()).toEqual(before);
  });

  it('does nothing on an empty table, and rejects WHERE on an unpartitioned one', async () => {
    await fx.table.write(`SELECT 1::BIGINT AS id WHERE false`, { mode: 'append' });
    const r = await fx.table.optimize();
    expect(r.version).toBeUndefined();
    expect(r.metrics).toMatchObject({ numFilesAdded: 0, numFilesRemoved: 0, totalConsideredFiles: 0 });
    const e = await expectDeltaError(fx.table.optimize({ where: 'id = 1' }), 'INVALID_ARGUMENT');
    expect(e.message).toContain("non-partition column 'id' (partition columns: none)");
  });
});
