// UPDATE on local tables, with both strategies, plus constraints on the new rows.
import { type AddFile, loadDeletionVector, DataType as T } from '@loch/delta';
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

const rows = async (table: DeltaTable = fx.table): Promise<Record<string, unknown>[]> =>
  plain(await table.toArray({ orderBy: ['id'] }));

async function seed(properties: Record<string, string> = {}): Promise<void> {
  await fx.table.write("SELECT range AS id, range % 2 AS p, range * 10 AS v, 'x' AS s FROM range(6)", {
    mode: 'errorIfExists',
    partitionBy: ['p'],
    properties,
  });
}

const metricsOf = async (version: number): Promise<Record<string, string>> => {
  const info = (await commitActions(fx.dir, version))[0];
  return info?.kind === 'commitInfo' ? (info.value.operationMetrics as Record<string, string>) : {};
};

describe.each([
  ['copy-on-write', {}],
  ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
])('UPDATE with %s', (mode, properties) => {
  const dv = mode === 'deletion vectors';

  it('updates matching rows and leaves the others', async () => {
    await seed(properties);
    const r = await fx.table.update({ v: 'v + 1', s: "'y'" }, 'id >= 3');
    expect(r).toMatchObject({ version: 1, committed: true, numUpdatedRows: 3 });
    const expected = [
      { id: 0, p: 0, v: 0, s: 'x' },
      { id: 1, p: 1, v: 10, s: 'x' },
      { id: 2, p: 0, v: 20, s: 'x' },
      { id: 3, p: 1, v: 31, s: 'y' },
      { id: 4, p: 0, v: 41, s: 'y' },
      { id: 5, p: 1, v: 51, s: 'y' },
    ];
    expect(await rows()).toEqual(expected);
    expect(await rows(tableAt(fx.ctx, fx.dir))).toEqual(expected);
    const old = plain(await fx.table.toArray({ at: { version: 0 }, orderBy: ['id'] }));
    expect(old.map((x) => x.v)).toEqual([0, 10, 20, 30, 40, 50]);
    const info = (await commitActions(fx.dir, 1))[0];
    expect(info?.kind === 'commitInfo' ? info.value : {}).toMatchObject({
      operation: 'UPDATE',
      operationParameters: { predicate: '["id >= 3"]' },
      isolationLevel: 'WriteSerializable',
    });
    const m = await metricsOf(1);
    expect(m.numUpdatedRows).toBe('3');
    if (dv) {
      // Each partition file keeps its unmatched rows under a DV; updated rows go to new files.
      expect(m).toMatchObject({ numDeletionVectorsAdded: '2', numRemovedFiles: '0', numCopiedRows: '0' });
      const adds = (await commitActions(fx.dir, 1)).filter((a): a is AddFile => a.kind === 'add');
      const withDv = adds.filter((a) => a.deletionVector != null);
      expect(withDv).toHaveLength(2);
      const store = await openStore(fx.table.url);
      const deleted = await Promise.all(withDv.map((a) => loadDeletionVector(store, a.deletionVector!)));
      expect(deleted.map((d) => d.length).sort()).toEqual([1, 2]);
    } else {
      expect(m).toMatchObject({ numRemovedFiles: '2', numAddedFiles: '2', numCopiedRows: '3' });
    }
  });

  it('updates every row without a predicate, and can move rows between partitions', async () => {
    await seed(properties);
    const r = await fx.table.update({ p: '1 - p' });
    expect(r.numUpdatedRows).toBe(6);
    expect((await rows()).map((x) => x.p)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('commits nothing when nothing matches', async () => {
    await seed(properties);
    const r = await fx.table.update({ v: '0' }, 'id > 100');
    expect(r).toMatchObject({ committed: false, numUpdatedRows: 0, version: 0 });
  });

  it('enforces CHECK constraints on new rows and writes nothing on a violation', async () => {
    await seed({ ...properties, 'delta.constraints.v_small': 'v < 100' });
    const before = await dataFilesIn(fx.dir);
    const e = await expectDeltaError(fx.table.update({ v: 'v * 100' }, 'id = 2'), 'CONSTRAINT_VIOLATION');
    expect(e.message).toContain('v_small');
    expect(await dataFilesIn(fx.dir)).toEqual(before);
    expect((await fx.table.snapshot()).version).toBe(0);
  });
});

describe('UPDATE rules', () => {
  it('enforces NOT NULL on assigned columns', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', T.primitive('long'), false), T.field('v', T.primitive('long'), true)]),
    });
    await fx.table.write('SELECT 1::BIGINT AS id, 2::BIGINT AS v', { mode: 'append' });
    const e = await expectDeltaError(fx.table.update({ id: 'NULL' }), 'CONSTRAINT_VIOLATION');
    expect(e.message).toContain('id');
  });

  it('names a column that does not exist', async () => {
    await seed();
    const e = await expectDeltaError(fx.table.update({ nope: '1' }), 'SCHEMA_MISMATCH');
    expect(e.message).toContain("'nope'");
  });

  it('matches column names case-insensitively and accepts an alias', async () => {
    await seed();
    await fx.table.update({ V: 'a.v * 2' }, 'a.id = 1', { alias: 'a' });
    expect((await rows()).find((x) => x.id === 1)?.v).toBe(20);
  });
});
