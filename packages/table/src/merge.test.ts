import { describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import { MULTIPLE_MATCHES } from './merge.js';
import {
  commitActions,
  expectDeltaError,
  plain,
  racingWriter,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

const rows = async (table: DeltaTable = fx.table): Promise<Record<string, unknown>[]> =>
  plain(await table.toArray({ orderBy: ['id'] }));

async function seed(properties: Record<string, string> = {}): Promise<void> {
  // ids 0..5, v = id * 10; two files.
  await fx.table.write('SELECT range AS id, range * 10 AS v FROM range(3)', {
    mode: 'errorIfExists',
    properties,
  });
  await fx.table.write('SELECT range AS id, range * 10 AS v FROM range(3, 6)', { mode: 'append' });
}

const SOURCE = "SELECT * FROM (VALUES (1, 111, 'u'), (2, 0, 'd'), (9, 999, 'i')) AS x(id, v, op)";

const commitInfo = async (version: number): Promise<Record<string, unknown>> => {
  const info = (await commitActions(fx.dir, version))[0];
  return info?.kind === 'commitInfo' ? (info.value as Record<string, unknown>) : {};
};

describe.each([
  ['copy-on-write', {}],
  ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
])('MERGE with %s', (mode, properties) => {
  const dv = mode === 'deletion vectors';

  it('applies matched update/delete and not-matched insert clauses in order', async () => {
    await seed(properties);
    const r = await fx.table
      .merge(SOURCE, 't.id = s.id', { targetAlias: 't', sourceAlias: 's' })
      .whenMatchedDelete({ condition: "s.op = 'd'" })
      .whenMatchedUpdate({ set: { v: 's.v' } })
      .whenNotMatchedInsert({ values: { id: 's.id', v: 's.v' } })
      .execute();
    expect(r).toMatchObject({
      committed: true,
      version: 2,
      numSourceRows: 3,
      numTargetRowsInserted: 1,
      numTargetRowsUpdated: 1,
      numTargetRowsDeleted: 1,
      numAffectedRows: 3,
      numTargetDeletionVectorsAdded: dv ? 1 : 0,
    });
    expect(await rows()).toEqual([
      { id: 0, v: 0 },
      { id: 1, v: 111 },
      { id: 3, v: 30 },
      { id: 4, v: 40 },
      { id: 5, v: 50 },
      { id: 9, v: 999 },
    ]);
    const info = await commitInfo(2);
    expect(info.operation).toBe('MERGE');
    const params = info.operationParameters as Record<string, string>;
    expect(JSON.parse(params.predicate!)).toEqual(['t.id = s.id']);
    expect(JSON.parse(params.matchedPredicates!)).toEqual([
      { predicate: "s.op = 'd'", actionType: 'delete' },
      { actionType: 'update' },
    ]);
    expect(JSON.parse(params.notMatchedPredicates!)).toEqual([{ actionType: 'insert' }]);
    expect(JSON.parse(params.notMatchedBySourcePredicates!)).toEqual([]);
    const metrics = info.operationMetrics as Record<string, string>;
    expect(metrics).toMatchObject({
      numSourceRows: '3',
      numTargetRowsInserted: '1',
      numTargetRowsUpdated: '1',
      numTargetRowsDeleted: '1',
      numTargetRowsMatchedUpdated: '1',
      numTargetRowsMatchedDeleted: '1',
      numTargetRowsNotMatchedBySourceUpdated: '0',
      numTargetRowsNotMatchedBySourceDeleted: '0',
      // Only the first file (ids 0..2) is touched; with copy-on-write its row 0 is copied.
      numTargetRowsCopied: dv ? '0' : '1',
      numTargetFilesRemoved: dv ? '0' : '1',
    });
    for (const k of [
      'executionTimeMs',
      'scanTimeMs',
      'rewriteTimeMs',
      'numOutputRows',
      'numTargetFilesAdded',
    ]) {
      expect(metrics[k]).toBeDefined();
    }
    // Time travel to before the merge.
    expect(plain(await fx.table.toArray({ at: { version: 1 }, orderBy: ['id'] }))).toHaveLength(6);
  });

  it('applies NOT MATCHED BY SOURCE update and delete', async () => {
    await seed(properties);
    const r = await fx.table
      .merge('SELECT 1 AS id, 7 AS v', 'target.id = source.id')
      .whenMatchedUpdateAll()
      .whenNotMatchedBySourceDelete({ condition: 'target.id >= 4' })
      .whenNotMatchedBySourceUpdate({ set: { v: 'target.v + 1' } })
      .execute();
    expect(r).toMatchObject({ numTargetRowsUpdated: 4, numTargetRowsDeleted: 2, numTargetRowsInserted: 0 });
    expect(await rows()).toEqual([
      { id: 0, v: 1 },
      { id: 1, v: 7 },
      { id: 2, v: 21 },
      { id: 3, v: 31 },
    ]);
    const metrics = (await commitInfo(2)).operationMetrics as Record<string, string>;
    expect(metrics).toMatchObject({
      numTargetRowsMatchedUpdated: '1',
      numTargetRowsNotMatchedBySourceUpdated: '3',
      numTargetRowsNotMatchedBySourceDeleted: '2',
    });
  });

  it('combines all three clause groups (full sync of a snapshot source)', async () => {
    await seed(properties);
    const r = await fx.table
      .merge('SELECT * FROM (VALUES (1, 100), (4, 40), (7, 70)) AS x(id, v)', 'target.id = source.id')
      .whenMatchedUpdate({ set: { v: 'source.v' } })
      .whenNotMatchedInsertAll()
      .whenNotMatchedBySourceDelete()
      .execute();
    expect(r).toMatchObject({ numTargetRowsUpdated: 2, numTargetRowsInserted: 1, numTargetRowsDeleted: 4 });
    expect(await rows()).toEqual([
      { id: 1, v: 100 },
      { id: 4, v: 40 },
      { id: 7, v: 70 },
    ]);
  });

  it('merges into a partitioned table, pruning partitions by the ON condition', async () => {
    await fx.table.write('SELECT range AS id, range % 2 AS p, range * 10 AS v FROM range(6)', {
      mode: 'errorIfExists',
      partitionBy: ['p'],
      properties,
    });
    const r = await fx.table
      .merge(
        'SELECT * FROM (VALUES (1, 1, -1), (3, 1, -3), (11, 1, 110)) AS x(id, p, v)',
        't.id = s.id AND t.p = 1',
        {
          targetAlias: 't',
          sourceAlias: 's',
        },
      )
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute();
    expect(r).toMatchObject({
      numTargetFilesAfterSkipping: 1,
      numTargetRowsUpdated: 2,
      numTargetRowsInserted: 1,
    });
    expect((await rows()).map((x) => `${x.id}:${x.p}:${x.v}`)).toEqual([
      '0:0:0',
      '1:1:-1',
      '2:0:20',
      '3:1:-3',
      '4:0:40',
      '5:1:50',
      '11:1:110',
    ]);
  });

  it('fails when several source rows match one target row, writing nothing', async () => {
    await seed(properties);
    const err = await expectDeltaError(
      fx.table
        .merge('SELECT 1 AS id, 5 AS v UNION ALL SELECT 1, 6', 'target.id = source.id')
        .whenMatchedUpdate({ set: { v: 'source.v' } })
        .execute(),
      'INVALID_ARGUMENT',
    );
    expect(err.message).toContain(MULTIPLE_MATCHES);
    expect((await fx.table.snapshot()).version).toBe(1);
    // The two source rows take different clauses: still one target row matched twice.
    const twoClauses = await expectDeltaError(
      fx.table
        .merge('SELECT 1 AS id, 5 AS v UNION ALL SELECT 1, 6', 'target.id = source.id')
        .whenMatchedUpdate({ condition: 'source.v = 5', set: { v: 'source.v' } })
        .whenMatchedDelete()
        .execute(),
      'INVALID_ARGUMENT',
    );
    expect(twoClauses.message).toContain(MULTIPLE_MATCHES);
    expect((await fx.table.snapshot()).version).toBe(1);
    // A lone unconditional DELETE may match several source rows (Databricks allows it).
    const r = await fx.table
      .merge('SELECT 1 AS id UNION ALL SELECT 1', 'target.id = source.id')
      .whenMatchedDelete()
      .execute();
    expect(r.numTargetRowsDeleted).toBe(1);
  });

  it('evolves the schema with UPDATE SET * / INSERT * when asked', async () => {
    await seed(properties);
    const src = "SELECT 1 AS id, 5 AS v, 'a' AS extra UNION ALL SELECT 10, 100, 'b'";
    const b = fx.table.merge(src, 'target.id = source.id').whenMatchedUpdateAll().whenNotMatchedInsertAll();
    // Without evolution the extra column is ignored.
    await fx.table.merge(src, 'target.id = source.id').whenMatchedUpdateAll().execute();
    expect(Object.keys((await rows())[0]!)).toEqual(['id', 'v']);
    await b.withSchemaEvolution().execute();
    const after = await rows();
    expect(after.find((r) => r.id === 1)).toEqual({ id: 1, v: 5, extra: 'a' });
    expect(after.find((r) => r.id === 10)).toEqual({ id: 10, v: 100, extra: 'b' });
    expect(after.find((r) => r.id === 0)).toEqual({ id: 0, v: 0, extra: null });
  });

  it('keeps NOT NULL and CHECK constraints for merged rows', async () => {
    await seed({ ...properties, 'delta.constraints.positive': 'v >= 0' });
    await expectDeltaError(
      fx.table.merge('SELECT 1 AS id, -5 AS v', 'target.id = source.id').whenMatchedUpdateAll().execute(),
      'CONSTRAINT_VIOLATION',
    );
    await expectDeltaError(
      fx.table
        .merge('SELECT 100 AS id, -5 AS v', 'target.id = source.id')
        .whenNotMatchedInsertAll()
        .execute(),
      'CONSTRAINT_VIOLATION',
    );
    expect((await fx.table.snapshot()).version).toBe(1);
  });

  it('records update, delete and insert changes in the change feed', async () => {
    await seed({ ...properties, 'delta.enableChangeDataFeed': 'true' });
    await fx.table
      .merge(SOURCE, 't.id = s.id', { targetAlias: 't', sourceAlias: 's' })
      .whenMatchedDelete({ condition: "s.op = 'd'" })
      .whenMatchedUpdate({ set: { v: 's.v' } })
      .whenNotMatchedInsertAll()
      .execute();
    const changes = plain(await fx.table.changes({ startVersion: 2 }))
      .map((c) => `${c._change_type}:${c.id}:${c.v}`)
      .sort();
    expect(changes).toEqual([
      'delete:2:20',
      'insert:9:999',
      'update_postimage:1:111',
      'update_preimage:1:10',
    ]);
  });
});

describe('MERGE scope', () => {
  it('reads only the files that can match a 1-row upsert', async () => {
    await fx.table.write('SELECT range AS id, range AS v FROM range(0, 10)', { mode: 'errorIfExists' });
    for (let i = 1; i < 8; i++) {
      await fx.table.write(`SELECT range AS id, range AS v FROM range(${i * 10}, ${i * 10 + 10})`, {
        mode: 'append',
      });
    }
    const r = await fx.table
      .merge('SELECT 42 AS id, -1 AS v', 'target.id = source.id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute();
    expect(r).toMatchObject({
      numTargetFilesBeforeSkipping: 8,
      numTargetFilesAfterSkipping: 1,
      numTargetRowsUpdated: 1,
    });
    // More keys than an IN list holds, spanning files 4..7: the per-file range join keeps one.
    const wide = await fx.table
      .merge(
        'SELECT 42 AS id, -2 AS v UNION ALL SELECT range AS id, 0 AS v FROM range(1000, 1100)',
        'target.id = source.id',
      )
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute();
    expect(wide).toMatchObject({
      numTargetFilesAfterSkipping: 1,
      numTargetRowsUpdated: 1,
      numTargetRowsInserted: 100,
    });
    await fx.table.delete('id >= 1000');
    const range = await fx.table
      .merge('SELECT 35 AS id, 1 AS v UNION ALL SELECT 44, 1', 'target.id = source.id AND target.v > 40')
      .whenMatchedDelete()
      .execute();
    // The target-only conjunct excludes the file of ids 30..39.
    expect(range).toMatchObject({ numTargetFilesAfterSkipping: 1, numTargetRowsDeleted: 1 });
    // An insert-only merge appends: no file is removed.
    const ins = await fx.table
      .merge('SELECT 42 AS id, 0 AS v UNION ALL SELECT 1000, 0', 'target.id = source.id')
      .whenNotMatchedInsertAll()
      .execute();
    expect(ins).toMatchObject({
      numTargetRowsInserted: 1,
      numTargetFilesRemoved: 0,
      numTargetFilesAfterSkipping: 1,
    });
    const noMatch = await fx.table
      .merge('SELECT 5000 AS id, 0 AS v', 'target.id = source.id')
      .whenMatchedDelete()
      .execute();
    expect(noMatch).toMatchObject({ committed: false, numTargetFilesAfterSkipping: 0 });
  });

  it('rejects a condition-less clause before another of its group', async () => {
    await seed();
    await expectDeltaError(
      fx.table.merge(SOURCE, 'target.id = source.id').whenMatchedDelete().whenMatchedUpdateAll().execute(),
      'INVALID_ARGUMENT',
    );
  });

  it('builders are immutable', async () => {
    await seed();
    const base = fx.table.merge(SOURCE, 'target.id = source.id');
    const withDelete = base.whenMatchedDelete();
    expect(base.spec.matched).toHaveLength(0);
    expect(withDelete.spec.matched).toHaveLength(1);
  });

  it('applies the blueprint CDC pattern (delete / update / insert by operation)', async () => {
    await fx.table.write(
      "SELECT range AS customer_id, 'n' || range AS name, 'e' || range AS email, TIMESTAMP '2024-01-01' AS created_at, TIMESTAMP '2024-01-01' AS updated_at FROM range(1, 4)",
      { mode: 'errorIfExists' },
    );
    const cdc = `SELECT * FROM (VALUES
      (1, 'x', 'x@', TIMESTAMP '2024-02-01', 'DELETE'),
      (2, 'Bob', 'bob@', TIMESTAMP '2024-02-02', 'UPDATE'),
      (7, 'Eve', 'eve@', TIMESTAMP '2024-02-03', 'INSERT'),
      (8, 'Zed', 'zed@', TIMESTAMP '2024-02-04', 'UPDATE')
    ) AS c(customer_id, name, email, timestamp, operation)`;
    await fx.table
      .merge(cdc, 'target.customer_id = source.customer_id', { targetAlias: 'target', sourceAlias: 'source' })
      .whenMatchedDelete({ condition: "source.operation = 'DELETE'" })
      .whenMatchedUpdate({
        condition: "source.operation = 'UPDATE'",
        set: { name: 'source.name', email: 'source.email', updated_at: 'source.timestamp' },
      })
      .whenNotMatchedInsert({
        condition: "source.operation = 'INSERT'",
        values: {
          customer_id: 'source.customer_id',
          name: 'source.name',
          email: 'source.email',
          created_at: 'source.timestamp',
          updated_at: 'source.timestamp',
        },
      })
      .execute();
    const out = plain(await fx.table.toArray({ orderBy: ['customer_id'] })).map(
      (r) => `${r.customer_id}:${r.name}:${r.email}`,
    );
    expect(out).toEqual(['2:Bob:bob@', '3:n3:e3', '7:Eve:eve@']);
  });

  it('conflicts with a concurrent delete of a file it read; not with an append elsewhere', async () => {
    await seed();
    // Writer A: runs `interloper` right before publishing its commit.
    const racing = (interloper: () => Promise<unknown>) => racingWriter(fx.ctx, fx.dir, interloper);
    const upsert = (table: DeltaTable) =>
      table.merge('SELECT 1 AS id, 5 AS v', 'target.id = source.id').whenMatchedUpdateAll().execute();
    await expectDeltaError(upsert(racing(() => fx.table.delete('id = 2'))), 'CONCURRENT_MODIFICATION');
    const r = await upsert(racing(() => fx.table.write('SELECT 100 AS id, 0 AS v', { mode: 'append' })));
    expect(r.committed).toBe(true);
    expect((await rows()).find((x) => x.id === 1)).toEqual({ id: 1, v: 5 });
  });
});
