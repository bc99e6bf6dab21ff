import { describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import {
  commitActions,
  dataFilesIn,
  expectDeltaError,
  plain,
  racingWriter,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

/** Writer A: `interloper` (writer B) commits once, right before A's first attempt to publish. */
const racing = (interloper: () => Promise<unknown>): DeltaTable => racingWriter(fx.ctx, fx.dir, interloper);

async function seed(properties: Record<string, string> = {}): Promise<DeltaTable> {
  const t = tableAt(fx.ctx, fx.dir);
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
    const a = racing(() => b.write('SELECT 101 AS id, 1 AS p', { mode: 'append' }));
    const r = await a.delete('p = 0 AND id = 2');
    expect(r.version).toBe(2);
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 3, 4, 5, 101]);
    const info = (await commitActions(fx.dir, 2))[0];
    expect(info?.kind === 'commitInfo' ? info.value : {}).toMatchObject({
      operation: 'DELETE',
      readVersion: 0,
      isolationLevel: 'Serializable',
    });
  });

  it('an append into the partition a Serializable delete read fails the delete', async () => {
    const b = await seed({ ...properties, 'delta.isolationLevel': 'Serializable' });
    const a = racing(() => b.write('SELECT 102 AS id, 0 AS p', { mode: 'append' }));
    const before = await dataFilesIn(fx.dir);
    const e = await expectDeltaError(a.delete('p = 0 AND id = 2'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 1');
    expect(e.details.reason).toBe('ConcurrentAppend');
    // A's own files are gone again; B's append stands.
    const after = await dataFilesIn(fx.dir);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 2, 3, 4, 5, 102]);
  });

  it('a blind append into the same partition does not fail a WriteSerializable delete', async () => {
    const b = await seed(properties);
    const a = racing(() => b.write('SELECT 102 AS id, 0 AS p', { mode: 'append' }));
    await a.delete('id = 2');
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 3, 4, 5, 102]);
  });

  it('two deletes of the same file: the second fails naming the winning version', async () => {
    const b = await seed(properties);
    const a = racing(() => b.delete('id = 4'));
    const e = await expectDeltaError(a.delete('id = 2'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 1');
    expect(e.message).toContain('DELETE');
    expect(e.details.winningVersion).toBe(1);
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 2, 3, 5]);
  });

  it('reads only files whose stats can match: a concurrent delete of another file does not conflict', async () => {
    const b = tableAt(fx.ctx, fx.dir);
    await b.write('SELECT range AS id FROM range(5)', { mode: 'errorIfExists', properties });
    await b.write('SELECT range AS id FROM range(5, 10)', { mode: 'append' });
    // A's predicate id = 1 rules out the second file by its stats, so A never read it and B
    // removing it does not conflict. Had A read the whole table, this would be ConcurrentDeleteRead.
    const a = racing(() => b.delete('id >= 5'));
    const r = await a.delete('id = 1');
    expect(r.version).toBe(3);
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 2, 3, 4]);
  });

  it('a delete that read a file fails when a concurrent delete removed it', async () => {
    const b = tableAt(fx.ctx, fx.dir);
    await b.write('SELECT range AS id FROM range(5)', { mode: 'errorIfExists', properties });
    await b.write('SELECT range AS id FROM range(5, 10)', { mode: 'append' });
    const a = racing(() => b.delete('id >= 5'));
    const e = await expectDeltaError(a.delete('id = 1 OR id = 7'), 'CONCURRENT_MODIFICATION');
    expect(e.message).toContain('version 2');
  });

  it('re-runs a conflicting statement on the new snapshot when asked to', async () => {
    const b = await seed(properties);
    const a = racing(() => b.update({ id: 'id + 100' }, 'id = 4'));
    const r = await a.update({ id: 'id + 1000' }, 'id IN (2, 104)', { maxConflictRetries: 1 });
    expect(r).toMatchObject({ version: 2, numUpdatedRows: 2 });
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 3, 5, 1002, 1104]);
  });

  it('an update and a delete of disjoint files both succeed', async () => {
    const b = await seed(properties);
    const a = racing(() => b.delete('p = 1 AND id = 3'));
    const r = await a.update({ id: 'id + 10' }, 'p = 0 AND id = 2');
    expect(r.version).toBe(2);
    expect(await ids(tableAt(fx.ctx, fx.dir))).toEqual([0, 1, 4, 5, 12]);
  });
});
