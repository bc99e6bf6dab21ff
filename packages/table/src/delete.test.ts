// DELETE on local tables, with both strategies: copy-on-write and deletion vectors.
import { type AddFile, loadDeletionVector } from '@loch/delta';
import { openStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import {
  commitActions,
  dataFilesIn,
  expectDeltaError,
  plain,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

const ids = async (table: DeltaTable = fx.table): Promise<number[]> =>
  plain(await table.toArray({ orderBy: ['id'] })).map((r) => Number(r.id));

/** 10 rows in 2 partitions (p = 0: even ids, p = 1: odd ids), two appends so 4 files. */
async function seed(properties: Record<string, string> = {}, partitioned = true): Promise<void> {
  await fx.table.write('SELECT range AS id, range % 2 AS p, range * 10 AS v FROM range(5)', {
    mode: 'errorIfExists',
    ...(partitioned ? { partitionBy: ['p'] } : {}),
    properties,
  });
  await fx.table.write('SELECT range AS id, range % 2 AS p, range * 10 AS v FROM range(5, 10)', {
    mode: 'append',
  });
}

const commitInfo = async (version: number): Promise<Record<string, unknown>> => {
  const info = (await commitActions(fx.dir, version))[0];
  return info?.kind === 'commitInfo' ? info.value : {};
};

describe.each([
  ['copy-on-write', {}],
  ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
])('DELETE with %s', (mode, properties) => {
  const dv = mode === 'deletion vectors';

  it('deletes matching rows on a data column and keeps the rest', async () => {
    await seed(properties);
    const r = await fx.table.delete('v >= 20 AND v < 50');
    expect(r).toMatchObject({ version: 2, committed: true, numDeletedRows: 3 });
    expect(await ids()).toEqual([0, 1, 5, 6, 7, 8, 9]);
    // A fresh instance reads the same rows; time travel sees them all.
    const fresh = tableAt(fx.ctx, fx.dir);
    expect(await ids(fresh)).toEqual([0, 1, 5, 6, 7, 8, 9]);
    const before = plain(await fresh.toArray({ at: { version: 1 }, orderBy: ['id'] }));
    expect(before.map((x) => Number(x.id))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const info = await commitInfo(2);
    expect(info).toMatchObject({
      operation: 'DELETE',
      operationParameters: { predicate: '["v >= 20 AND v < 50"]' },
      readVersion: 1,
      isolationLevel: 'WriteSerializable',
      isBlindAppend: false,
    });
    const metrics = info.operationMetrics as Record<string, string>;
    expect(metrics.numDeletedRows).toBe('3');
    for (const k of ['executionTimeMs', 'scanTimeMs', 'rewriteTimeMs', 'numDeletionVectorsAdded']) {
      expect(metrics[k]).toBeDefined();
    }
    // Files of the first append: p=0 {0,2,4}, p=1 {1,3}. Both hold matches (2,4 / 3), neither wholly.
    if (dv) {
      expect(metrics).toMatchObject({
        numDeletionVectorsAdded: '2',
        numRemovedFiles: '0',
        numAddedFiles: '0',
      });
      const actions = await commitActions(fx.dir, 2);
      const adds = actions.filter((a): a is AddFile => a.kind === 'add');
      expect(adds).toHaveLength(2);
      const store = await openStore(fx.table.url);
      const deleted = await Promise.all(adds.map((a) => loadDeletionVector(store, a.deletionVector!)));
      expect(deleted.map((d) => d.length).sort()).toEqual([1, 2]);
      expect(adds.every((a) => a.dataChange && JSON.parse(a.stats ?? '{}').tightBounds === false)).toBe(true);
      // One DV file for the commit, both descriptors pointing into it.
      expect(new Set(adds.map((a) => a.deletionVector!.pathOrInlineDv)).size).toBe(1);
      expect((await dataFilesIn(fx.dir)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    } else {
      expect(metrics).toMatchObject({ numRemovedFiles: '2', numAddedFiles: '2', numCopiedRows: '2' });
    }
  });

  it('merges a second delete into the existing deletion vector', async () => {
    await seed(properties);
    await fx.table.delete('id = 2');
    const r = await fx.table.delete('id = 4');
    expect(r.numDeletedRows).toBe(1);
    if (dv) {
      const snapshot = await fx.table.snapshot();
      const first = snapshot.files.find((f) => f.deletionVector?.cardinality === 2);
      expect(first).toBeDefined();
      const store = await openStore(fx.table.url);
      expect(await loadDeletionVector(store, first!.deletionVector!)).toEqual([1, 2]);
      expect((await commitInfo(3)).operationMetrics).toMatchObject({ numDeletionVectorsUpdated: '1' });
    }
    // The last live row of that file goes: the file is removed, its vector with it.
    const last = await fx.table.delete('id IN (0, 8)');
    expect(last.numRemovedFiles).toBe(dv ? 1 : 2);
    expect(await ids()).toEqual([1, 3, 5, 6, 7, 9]);
  });

  it('removes a file outright when every row of it matches', async () => {
    await seed(properties);
    const r = await fx.table.delete('id IN (1, 3)');
    expect(r).toMatchObject({
      numDeletedRows: 2,
      numRemovedFiles: 1,
      numAddedFiles: 0,
      numDeletionVectorsAdded: 0,
    });
    const actions = await commitActions(fx.dir, 2);
    expect(actions.filter((a) => a.kind === 'add')).toHaveLength(0);
    expect(await ids()).toEqual([0, 2, 4, 5, 6, 7, 8, 9]);
  });

  it('deletes by partition value without reading or writing data files', async () => {
    await seed(properties);
    const before = await dataFilesIn(fx.dir);
    const r = await fx.table.delete('p = 1');
    expect(r).toMatchObject({ numDeletedRows: 5, numRemovedFiles: 2, numAddedFiles: 0 });
    expect(await dataFilesIn(fx.dir)).toEqual(before);
    expect(await ids()).toEqual([0, 2, 4, 6, 8]);
    const removed = (await commitActions(fx.dir, 2)).filter((a) => a.kind === 'remove');
    expect(removed.map((a) => (a.kind === 'remove' ? a.partitionValues?.p : ''))).toEqual(['1', '1']);
  });

  it('deletes everything without a predicate', async () => {
    await seed(properties, false);
    const r = await fx.table.delete();
    expect(r).toMatchObject({ numDeletedRows: 10, numRemovedFiles: 2 });
    expect(await ids()).toEqual([]);
    expect((await commitInfo(2)).operationParameters).toEqual({ predicate: '[]' });
  });

  it('commits nothing when nothing matches', async () => {
    await seed(properties, false);
    const r = await fx.table.delete('id > 100');
    expect(r).toMatchObject({ version: 1, committed: false, numDeletedRows: 0 });
    expect((await fx.table.snapshot()).version).toBe(1);
  });
});

describe('DELETE rules', () => {
  it('puts the deletionVectors feature into the protocol when enabled', async () => {
    await seed({ 'delta.enableDeletionVectors': 'true' });
    const { protocol } = await fx.table.snapshot();
    expect(protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7 });
    expect(protocol.readerFeatures).toContain('deletionVectors');
    expect(protocol.writerFeatures).toContain('deletionVectors');
  });

  it('uses deletion vectors once ALTER TABLE enables them', async () => {
    await seed();
    await fx.table.alter({ kind: 'setProperties', properties: { 'delta.enableDeletionVectors': 'true' } });
    expect((await fx.table.snapshot()).protocol.writerFeatures).toContain('deletionVectors');
    const r = await fx.table.delete('id = 2');
    expect(r).toMatchObject({ numDeletionVectorsAdded: 1, numAddedFiles: 0 });
    expect(await ids()).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('works on a column-mapped table', async () => {
    await seed({ 'delta.columnMapping.mode': 'name', 'delta.enableDeletionVectors': 'true' });
    await fx.table.delete('v = 30');
    await fx.table.alter({ kind: 'setProperties', properties: { 'delta.enableDeletionVectors': 'false' } });
    await fx.table.delete('v = 40');
    await fx.table.update({ v: 'v + 1' }, 'id = 0');
    expect(await ids()).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
    expect(plain(await fx.table.toArray({ orderBy: ['id'] }))[0]).toMatchObject({ id: 0, v: 1 });
  });

  it('refuses append-only tables', async () => {
    await seed({ 'delta.appendOnly': 'true' });
    const e = await expectDeltaError(fx.table.delete('id = 1'), 'UNSUPPORTED_OPERATION');
    expect(e.message).toContain('append-only');
  });

  it('accepts an alias for qualified column references', async () => {
    await seed();
    await fx.table.delete('x.id = 3', { alias: 'x' });
    expect(await ids()).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
  });
});
