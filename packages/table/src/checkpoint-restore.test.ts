// Checkpoints (automatic and explicit, read back through a fresh load that must not touch older
// commits), time travel by version and timestamp, restore, history and detail.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ObjectStore } from '@loch/delta';
import { openStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_COLUMN_TYPES } from './checkpoint.js';
import type { DeltaTable } from './delta-table.js';
import { dataFilesIn, expectDeltaError, plain, tableAt, useTableFixture } from './test-helpers.test-util.js';
import type { TableContext } from './types.js';

const fx = useTableFixture();

const ids = async (table: DeltaTable, at?: Parameters<DeltaTable['toArray']>[0]): Promise<unknown[]> =>
  plain(await table.toArray({ ...at, orderBy: ['id'] })).map((r) => r.id);

/** A store that records every path read with `get`. */
function countingStores(reads: string[]): TableContext['stores'] {
  return async (url) => {
    const inner = await openStore(url);
    return Object.assign(Object.create(inner) as ObjectStore, {
      get: (path: string, range?: { offset: number; length: number }) => {
        reads.push(path);
        return inner.get(path, range);
      },
    });
  };
}

describe('checkpoints', () => {
  it('writes one at version 10 that a fresh load uses instead of the older commits', async () => {
    for (let i = 0; i <= 11; i++) await fx.table.write(`SELECT ${i}::BIGINT AS id`, { mode: 'append' });
    const log = (await dataFilesIn(`${fx.dir}/_delta_log`)).filter((f) => !f.startsWith('.'));
    expect(log).toContain('00000000000000000010.checkpoint.parquet');
    expect(log).toContain('_last_checkpoint');
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(`${fx.dir}/_delta_log/_last_checkpoint`, 'utf8'))).toMatchObject({
      version: 10,
      numOfAddFiles: 11,
      size: 13,
    });
    const reads: string[] = [];
    const fresh = tableAt({ ...fx.ctx, stores: countingStores(reads) }, fx.dir);
    expect(await ids(fresh)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const commitsRead = reads.filter((p) => p.endsWith('.json'));
    expect(commitsRead).toEqual(['_delta_log/00000000000000000011.json']);
    const s = await fresh.snapshot();
    expect(s.logSegment.checkpoint?.version).toBe(10);
    // Checkpointing works from the snapshot: no commit is read again, however long the history.
    reads.length = 0;
    expect(await fresh.checkpoint()).toEqual({ version: 11 });
    expect(reads.filter((p) => p.endsWith('.json'))).toEqual([]);
    const m = (await fx.table.snapshot()).metadata;
    expect(s.metadata).toMatchObject({
      id: m.id,
      schemaString: m.schemaString,
      partitionColumns: m.partitionColumns,
      configuration: m.configuration,
      createdTime: m.createdTime,
    });
  });

  it('honours delta.checkpointInterval and writes Spark column types', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id, 1 AS p', {
      mode: 'append',
      partitionBy: ['p'],
      properties: { 'delta.checkpointInterval': '2' },
    });
    await fx.table.write('SELECT 2::BIGINT AS id, 2 AS p', { mode: 'append' });
    await fx.table.write('SELECT 3::BIGINT AS id, 2 AS p', { mode: 'overwrite', replaceWhere: 'p = 2' });
    const cp = `${fx.dir}/_delta_log/00000000000000000002.checkpoint.parquet`;
    const described = await fx.engine.query(`DESCRIBE SELECT * FROM read_parquet('${cp}')`);
    const types = Object.fromEntries(described.rows.map((r) => [String(r[0]), String(r[1])]));
    expect(Object.keys(types).sort()).toEqual(Object.keys(CHECKPOINT_COLUMN_TYPES).sort());
    expect(types.add).toContain('partitionValues MAP(VARCHAR, VARCHAR)');
    expect(types.metaData).toContain('partitionColumns VARCHAR[]');
    const removes = await fx.engine.query(
      `SELECT count(*) FROM read_parquet('${cp}') WHERE remove IS NOT NULL`,
    );
    expect(Number(removes.rows[0]?.[0])).toBe(1);
    const fresh = tableAt(fx.ctx, fx.dir);
    expect(await ids(fresh)).toEqual([1, 3]);
    expect((await fresh.snapshot()).files[0]?.partitionValues).toBeDefined();
    expect((await fresh.snapshot()).tombstones).toHaveLength(1);
  });

  it('checkpoints in the background when asked, coalescing to the newest due version', async () => {
    const bg = tableAt({ ...fx.ctx, checkpointMode: 'background' }, fx.dir);
    await bg.write('SELECT 0::BIGINT AS id', {
      mode: 'append',
      properties: { 'delta.checkpointInterval': '2' },
    });
    for (let i = 1; i <= 10; i++) await bg.write(`SELECT ${i}::BIGINT AS id`, { mode: 'append' });
    await bg.flush();
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(`${fx.dir}/_delta_log/_last_checkpoint`, 'utf8')).version).toBe(10);
    const fresh = tableAt(fx.ctx, fx.dir);
    expect((await fresh.snapshot()).logSegment.checkpoint?.version).toBe(10);
    expect(await ids(fresh)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('runs a deferred background checkpoint once the writer pauses, without a flush', async () => {
    const bg = tableAt({ ...fx.ctx, checkpointMode: 'background' }, fx.dir);
    await bg.write('SELECT 0::BIGINT AS id', {
      mode: 'append',
      properties: { 'delta.checkpointInterval': '2' },
    });
    await bg.write('SELECT 1::BIGINT AS id', { mode: 'append' });
    await bg.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    const { readFile } = await import('node:fs/promises');
    const hint = async () =>
      readFile(`${fx.dir}/_delta_log/_last_checkpoint`, 'utf8').then(
        (t) => JSON.parse(t).version as number,
        () => undefined,
      );
    let version: number | undefined;
    for (let i = 0; i < 100 && version === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      version = await hint();
    }
    expect(version).toBe(2);
    await bg.flush();
  });

  it('never fails a commit because its checkpoint failed', async () => {
    const broken: TableContext['stores'] = async (url) => {
      const inner = await openStore(url);
      return Object.assign(Object.create(inner) as ObjectStore, {
        put: async (path: string, data: Uint8Array) => {
          if (path.endsWith('.checkpoint.parquet')) throw new Error('disk full');
          return inner.put(path, data);
        },
      });
    };
    const b = tableAt({ ...fx.ctx, stores: broken }, fx.dir);
    await b.write('SELECT 1::BIGINT AS id', {
      mode: 'append',
      properties: { 'delta.checkpointInterval': '1' },
    });
    expect((await b.write('SELECT 2::BIGINT AS id', { mode: 'append' })).version).toBe(1);
    expect((await dataFilesIn(`${fx.dir}/_delta_log`)).filter((f) => f.includes('checkpoint'))).toEqual([]);
    await expect(b.checkpoint()).rejects.toThrow('disk full');
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([1, 2]);
  });

  it('writes one on request', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append' });
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    expect(await fx.table.checkpoint()).toEqual({ version: 1 });
    const fresh = tableAt(fx.ctx, fx.dir);
    expect((await fresh.snapshot()).logSegment.checkpoint?.version).toBe(1);
    expect(await ids(fresh)).toEqual([1, 2]);
  });
});

describe('snapshot cache', () => {
  it('refreshes with one stat when nothing changed and reads only new commits otherwise', async () => {
    const calls: string[] = [];
    const stores: TableContext['stores'] = async (url) => {
      const inner = await openStore(url);
      const counted = Object.create(inner) as ObjectStore;
      for (const m of ['list', 'listFrom', 'get', 'head'] as const) {
        const fn = inner[m];
        if (fn === undefined) continue;
        Object.assign(counted, {
          [m]: (path: string, ...rest: unknown[]) => {
            calls.push(`${m} ${path}`);
            return (fn as (...a: unknown[]) => unknown).call(inner, path, ...rest);
          },
        });
      }
      return counted;
    };
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append' });
    const reader = tableAt({ ...fx.ctx, stores }, fx.dir);
    await reader.snapshot();
    calls.length = 0;
    expect((await reader.snapshot()).version).toBe(0);
    expect(calls).toEqual(['head _delta_log/00000000000000000001.json']);
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    calls.length = 0;
    expect((await reader.snapshot()).version).toBe(1);
    expect(calls.filter((c) => c.startsWith('get'))).toEqual(['get _delta_log/00000000000000000001.json']);
  });
});

describe('time travel and restore', () => {
  it('reads old versions by version and by timestamp', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append' });
    await sleep(30);
    const between = Date.now();
    await sleep(30);
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    expect(await ids(fx.table, { at: { version: 0 } })).toEqual([1]);
    expect(await ids(fx.table, { at: { timestamp: between } })).toEqual([1]);
    expect(await ids(fx.table, { at: { timestamp: new Date(between).toISOString() } })).toEqual([1]);
    // As Spark: a timestamp after the latest commit is an error, not the latest version.
    await expectDeltaError(fx.table.snapshot({ timestamp: Date.now() + 60_000 }), 'TIMESTAMP_OUT_OF_RANGE');
    await expectDeltaError(fx.table.snapshot({ timestamp: '2000-01-01' }), 'TIMESTAMP_OUT_OF_RANGE');
    await expectDeltaError(fx.table.snapshot({ timestamp: 'not a time' }), 'INVALID_ARGUMENT');
  });

  it('restores an old version with Spark metrics', async () => {
    await fx.table.write('SELECT range::BIGINT AS id FROM range(3)', { mode: 'append' });
    await fx.table.write('SELECT 3::BIGINT AS id', { mode: 'append' });
    await fx.table.write('SELECT 9::BIGINT AS id', { mode: 'overwrite' });
    const before = await fx.table.snapshot({ version: 1 });
    const r = await fx.table.restore({ version: 1 });
    expect(r).toMatchObject({
      version: 3,
      numRestoredFiles: before.files.length,
      numRemovedFiles: 1,
      numOfFilesAfterRestore: before.files.length,
    });
    expect(await ids(fx.table)).toEqual([0, 1, 2, 3]);
    const [h] = await fx.table.history(1);
    expect(h).toMatchObject({
      operation: 'RESTORE',
      operationParameters: { version: '1' },
      operationMetrics: { numRemovedFiles: '1', numRestoredFiles: String(before.files.length) },
    });
    await expectDeltaError(fx.table.restore({ version: 10 }), 'VERSION_NOT_FOUND');
  });

  it('describes history and detail', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append', partitionBy: [] });
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append', userMetadata: 'hello' });
    const h = await fx.table.history();
    expect(h.map((e) => e.version)).toEqual([1, 0]);
    expect(h[0]?.userMetadata).toBe('hello');
    expect(h[0]?.timestamp).toBeGreaterThan(0);
    expect(await fx.table.history(1)).toHaveLength(1);
    const d = await fx.table.detail();
    expect(d).toMatchObject({ format: 'delta', numFiles: 2, minReaderVersion: 1, minWriterVersion: 2 });
    expect(d.location).toBe(fx.table.url);
    expect(d.sizeInBytes).toBeGreaterThan(0);
  });
});
