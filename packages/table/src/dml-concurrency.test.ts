// Two DeltaTable instances on one path racing: writer A plans a DELETE/UPDATE, and just before
// A publishes its commit, writer B commits. A is then rebased (no conflict) or fails naming B's
// version, following Delta's conflict rules.
import type { ObjectStore } from '@loch/delta';
import type { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import {
  commitActions,
  contextFor,
  dataFilesIn,
  expectDeltaError,
  openEngine,
  plain,
  removeDir,
  tableAt,
  tempDir,
} from './test-helpers.test-util.js';
import type { TableContext } from './types.js';

let engine: DuckEngine;
let ctx: TableContext;
let dir: string;

beforeAll(async () => {
  engine = await openEngine();
  ctx = contextFor(engine);
});
afterAll(async () => {
  await engine.close();
});
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** Writer A: runs `interloper` once, right before A's first attempt to publish a commit. */
function racingWriter(interloper: () => Promise<unknown>): DeltaTable {
  let pending: (() => Promise<unknown>) | undefined = interloper;
  return tableAt(
    {
      ...ctx,
      stores: async (url) => {
        const inner = await openStore(url);
        return Object.assign(Object.create(inner) as ObjectStore, {
          putIfAbsent: async (path: string, data: Uint8Array) => {
            if (path.startsWith('_delta_log/') && pending !== undefined) {
              const run = pending;
              pending = undefined;
              await run();
            }
            return inner.putIfAbsent(path, data);
          },
        });
      },
    },
    dir,
  );
}

async function seed(properties: Record<string, string> = {}): Promise<DeltaTable> {
  const t = tableAt(ctx, dir);
  await t.write('SELECT range AS id, range % 2 AS p FROM range(6)', {
    mode: 'errorIfExists',
    partitionBy: ['p'],
    properties,
  });
  return t;
}

const ids = async (t: DeltaTable): Promise<number[]> =>
  plain(await t.toArray({ orderBy: ['id'] })).map((r) => Number(r.id));

describe.each([
  ['copy-on-write', {}],
  ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
])('concurrent DML with %s', (_mode, properties) => {
  it('a delete in partition 0 and an append to partition 1 both succeed', async () => {
    const b = await seed({ ...properties, 'delta.isolationLevel': 'Serializable' });
    const a = racingWriter(() => b.write('SELECT 101 AS id, 1 AS p', { mode: 'append' }));
    const r = await a.delete('p = 0 AND id = 2');
    expect(r.version).toBe(2);
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 3, 4, 5, 101]);
    const info = (await commitActions(dir, 2))[0];
    expect(info?.kind === 'commitInfo' ? info.value : {}).toMatchObject({
      operation: 'DELETE',
      readVersion: 0,
      isolationLevel: 'Serializable',
    });
  });

  it('an append into the partition a Serializable delete read fails the delete', async () => {
    const b = await seed({ ...properties, 'delta.isolationLevel': 'Serializable' });
    const a = racingWriter(() => b.write('SELECT 102 AS id, 0 AS p', { mode: 'append' }));
    const before = await dataFilesIn(dir);
    const e = await expectDeltaError(a.delete('p = 0 AND id = 2'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 1');
    expect(e.details.reason).toBe('ConcurrentAppend');
    // A's own files are gone again; B's append stands.
    const after = await dataFilesIn(dir);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 2, 3, 4, 5, 102]);
  });

  it('a blind append into the same partition does not fail a WriteSerializable delete', async () => {
    const b = await seed(properties);
    const a = racingWriter(() => b.write('SELECT 102 AS id, 0 AS p', { mode: 'append' }));
    await a.delete('id = 2');
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 3, 4, 5, 102]);
  });

  it('two deletes of the same file: the second fails naming the winning version', async () => {
    const b = await seed(properties);
    const a = racingWriter(() => b.delete('id = 4'));
    const e = await expectDeltaError(a.delete('id = 2'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 1');
    expect(e.message).toContain('DELETE');
    expect(e.details.winningVersion).toBe(1);
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 2, 3, 5]);
  });

  it('reads only files whose stats can match: a concurrent delete of another file does not conflict', async () => {
    const b = tableAt(ctx, dir);
    await b.write('SELECT range AS id FROM range(5)', { mode: 'errorIfExists', properties });
    await b.write('SELECT range AS id FROM range(5, 10)', { mode: 'append' });
    // A's predicate id = 1 rules out the second file by its stats, so A never read it and B
    // removing it does not conflict. Had A read the whole table, this would be ConcurrentDeleteRead.
    const a = racingWriter(() => b.delete('id >= 5'));
    const r = await a.delete('id = 1');
    expect(r.version).toBe(3);
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 2, 3, 4]);
  });

  it('a delete that read a file fails when a concurrent delete removed it', async () => {
    const b = tableAt(ctx, dir);
    await b.write('SELECT range AS id FROM range(5)', { mode: 'errorIfExists', properties });
    await b.write('SELECT range AS id FROM range(5, 10)', { mode: 'append' });
    const a = racingWriter(() => b.delete('id >= 5'));
    const e = await expectDeltaError(a.delete('id = 1 OR id = 7'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 2');
  });

  it('re-runs a conflicting statement on the new snapshot when asked to', async () => {
    const b = await seed(properties);
    const a = racingWriter(() => b.update({ id: 'id + 100' }, 'id = 4'));
    const r = await a.update({ id: 'id + 1000' }, 'id IN (2, 104)', { maxConflictRetries: 1 });
    expect(r).toMatchObject({ version: 2, numUpdatedRows: 2 });
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 3, 5, 1002, 1104]);
  });

  it('an update and a delete of disjoint files both succeed', async () => {
    const b = await seed(properties);
    const a = racingWriter(() => b.delete('p = 1 AND id = 3'));
    const r = await a.update({ id: 'id + 10' }, 'p = 0 AND id = 2');
    expect(r.version).toBe(2);
    expect(await ids(tableAt(ctx, dir))).toEqual([0, 1, 4, 5, 12]);
  });
});
