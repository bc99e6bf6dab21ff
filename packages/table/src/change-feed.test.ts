// Change data feed over tables written here: appends, overwrites, replaceWhere, restore, and the
// errors for ranges without CDF or past the end of the log.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Action, DeletionVectorDescriptor } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { planCommitChanges, rowsMinus } from './change-feed-plan.js';
import type { DeltaTable } from './delta-table.js';
import { commitActions, expectDeltaError, plain, useTableFixture } from './test-helpers.test-util.js';

const dv = (id: string): DeletionVectorDescriptor => ({
  storageType: 'u',
  pathOrInlineDv: id,
  offset: 1,
  sizeInBytes: 10,
  cardinality: 1,
});
const add = (path: string, extra: Partial<Extract<Action, { kind: 'add' }>> = {}): Action => ({
  kind: 'add',
  path,
  partitionValues: {},
  size: 1,
  modificationTime: 0,
  dataChange: true,
  ...extra,
});
const remove = (path: string, extra: Partial<Extract<Action, { kind: 'remove' }>> = {}): Action => ({
  kind: 'remove',
  path,
  dataChange: true,
  ...extra,
});

describe('planCommitChanges', () => {
  it('reads only cdc files when a commit has them', () => {
    const plan = planCommitChanges(3, [
      add('a'),
      remove('b'),
      { kind: 'cdc', path: '_change_data/c', partitionValues: {}, size: 1, dataChange: false },
    ]);
    expect(plan.sources).toEqual([
      {
        kind: 'cdc',
        files: [{ kind: 'cdc', path: '_change_data/c', partitionValues: {}, size: 1, dataChange: false }],
      },
    ]);
  });

  it('derives inserts and deletes from data-changing adds and removes only', () => {
    const plan = planCommitChanges(1, [
      add('a'),
      remove('b', { deletionVector: dv('x') }),
      add('c', { dataChange: false }),
      remove('d', { dataChange: false }),
    ]);
    expect(
      plan.sources.map((s) => (s.kind === 'files' ? [s.changeType, s.files.map((f) => f.path)] : s.kind)),
    ).toEqual([
      ['delete', ['b']],
      ['insert', ['a']],
    ]);
    const del = plan.sources[0];
    expect(del?.kind === 'files' && del.files[0]?.deletionVector).toEqual(dv('x'));
  });

  it('turns a re-add of the same file with a new deletion vector into a DV difference', () => {
    const plan = planCommitChanges(2, [
      remove('a', { deletionVector: dv('old') }),
      add('a', { deletionVector: dv('new') }),
    ]);
    expect(plan.sources).toHaveLength(1);
    expect(plan.sources[0]).toMatchObject({ kind: 'dv-diff', before: dv('old'), after: dv('new') });
    expect(
      planCommitChanges(2, [remove('a', { deletionVector: dv('s') }), add('a', { deletionVector: dv('s') })])
        .sources,
    ).toEqual([]);
  });

  it('carries each file stats numRecords (the scan cardinality hint), absent without stats', () => {
    const plan = planCommitChanges(4, [
      add('a', { stats: '{"numRecords":12,"minValues":{}}' }),
      add('b'),
      remove('c', { stats: '{"numRecords":7}' }),
    ]);
    const rowsOf = (kind: string) =>
      plan.sources.flatMap((s) =>
        s.kind === 'files' && s.changeType === kind ? s.files.map((f) => [f.path, f.numRecords]) : [],
      );
    expect(rowsOf('insert')).toEqual([
      ['a', 12],
      ['b', undefined],
    ]);
    expect(rowsOf('delete')).toEqual([['c', 7]]);
  });

  it('subtracts row sets', () => {
    expect(rowsMinus([0, 1, 4, 5], [0, 5])).toEqual([1, 4]);
    expect(rowsMinus([3], [])).toEqual([3]);
  });
});

const fx = useTableFixture();

const CDF = { 'delta.enableChangeDataFeed': 'true' };

/** Rows as `id:type@version`, sorted, for compact comparisons. */
async function feed(table: DeltaTable, range: Parameters<DeltaTable['changes']>[0]): Promise<string[]> {
  return plain(await table.changes(range))
    .map((r) => `${r.id}:${r._change_type}@${r._commit_version}`)
    .sort();
}

describe('DeltaTable.changes', () => {
  it('derives inserts and deletes for appends, overwrites and restore', async () => {
    await fx.table.write('SELECT * FROM range(2) AS r(id)', { mode: 'append', properties: CDF }); // v0
    await fx.table.write('SELECT 5::BIGINT AS id', { mode: 'append' }); // v1
    await fx.table.write('SELECT 7::BIGINT AS id', { mode: 'overwrite' }); // v2
    await fx.table.restore({ version: 1 }); // v3
    expect(await feed(fx.table, { startVersion: 0 })).toEqual(
      [
        '0:insert@0',
        '1:insert@0',
        '5:insert@1',
        '0:delete@2',
        '1:delete@2',
        '5:delete@2',
        '7:insert@2',
        '7:delete@3',
        '0:insert@3',
        '1:insert@3',
        '5:insert@3',
      ].sort(),
    );
    expect(await feed(fx.table, { startVersion: 1, endVersion: 1 })).toEqual(['5:insert@1']);
  });

  it('has typed change columns after the table columns', async () => {
    await fx.table.write('SELECT 1::INTEGER AS id, 2::INTEGER AS v', { mode: 'append', properties: CDF });
    const cols = await fx.engine.describe(await fx.table.changesSql({ startVersion: 0 }));
    expect(cols.map((c) => `${c.name} ${c.type}`)).toEqual([
      'id INTEGER',
      'v INTEGER',
      '_change_type VARCHAR',
      '_commit_version BIGINT',
      '_commit_timestamp TIMESTAMP WITH TIME ZONE',
    ]);
    const [row] = await fx.table.changes({ startVersion: 0 });
    const [entry] = await fx.table.history(1);
    const ts = row?._commit_timestamp as { micros: bigint } | undefined;
    expect(Number(ts?.micros) / 1000).toBe(entry?.timestamp);
  });

  it('reads partitioned tables and whole-partition replaceWhere', async () => {
    await fx.table.write("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, p)", {
      mode: 'append',
      partitionBy: ['p'],
      properties: CDF,
    });
    await fx.table.write("SELECT 3 AS id, 'a' AS p", { mode: 'overwrite', replaceWhere: "p = 'a'" });
    const rows = plain(await fx.table.changes({ startVersion: 1 }));
    expect(rows.map((r) => `${r.id}${r.p}:${r._change_type}`).sort()).toEqual(['1a:delete', '3a:insert']);
  });

  it('records a data-predicate replaceWhere in _change_data files with only the changed rows', async () => {
    await fx.table.write('SELECT * FROM range(4) AS r(id)', { mode: 'append', properties: CDF });
    await fx.table.write('SELECT -1::BIGINT AS id', { mode: 'overwrite', replaceWhere: 'id < 2' });
    const actions = await commitActions(fx.dir, 1);
    const cdc = actions.filter((a) => a.kind === 'cdc');
    expect(cdc.length).toBeGreaterThan(0);
    expect(cdc.every((a) => a.kind === 'cdc' && a.path.startsWith('_change_data/') && !a.dataChange)).toBe(
      true,
    );
    expect(await feed(fx.table, { startVersion: 1 })).toEqual(['-1:insert@1', '0:delete@1', '1:delete@1']);
    expect(plain(await fx.table.toArray({ orderBy: ['id'] })).map((r) => r.id)).toEqual([-1, 2, 3]);
  });

  it('reads mapped columns by physical name and returns logical names, partitioned', async () => {
    await fx.table.write("SELECT * FROM (VALUES (1, 'a', 10), (2, 'b', 20)) AS v(id, p, x)", {
      mode: 'append',
      partitionBy: ['p'],
      properties: { ...CDF, 'delta.columnMapping.mode': 'name' },
    });
    await fx.table.alter({ kind: 'renameColumn', from: 'x', to: 'amount' });
    await fx.table.write("SELECT 3 AS id, 'a' AS p, 30 AS amount", {
      mode: 'overwrite',
      replaceWhere: 'id IN (1, 3)',
    });
    const rows = plain(await fx.table.changes({ startVersion: 0 }));
    expect(rows.map((r) => `${r.id}${r.p}${r.amount}:${r._change_type}@${r._commit_version}`).sort()).toEqual(
      ['1a10:delete@2', '1a10:insert@0', '2b20:insert@0', '3a30:insert@2'],
    );
  });

  it('writes no change files for a replaceWhere when the feed is off', async () => {
    await fx.table.write('SELECT * FROM range(4) AS r(id)', { mode: 'append' });
    await fx.table.write('SELECT -1::BIGINT AS id', { mode: 'overwrite', replaceWhere: 'id < 2' });
    expect((await commitActions(fx.dir, 1)).some((a) => a.kind === 'cdc')).toBe(false);
  });

  it('selects versions by timestamp', async () => {
    // Commit times come from file modification times: keep them apart so each version has its own.
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append', properties: CDF });
    await sleep(5);
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    await sleep(5);
    await fx.table.write('SELECT 3::BIGINT AS id', { mode: 'append' });
    const history = await fx.table.history();
    const at = (v: number): number => history.find((h) => h.version === v)!.timestamp;
    expect(await feed(fx.table, { startTimestamp: at(1), endTimestamp: at(1) })).toEqual(['2:insert@1']);
    expect(await feed(fx.table, { startTimestamp: at(1) + 1 })).toEqual(['3:insert@2']);
    await expectDeltaError(
      fx.table.changesSql({ startVersion: 0, endTimestamp: at(0) - 60_000 }),
      'TIMESTAMP_OUT_OF_RANGE',
    );
    await expectDeltaError(fx.table.changesSql({ startTimestamp: at(2) + 60_000 }), 'TIMESTAMP_OUT_OF_RANGE');
    expect(
      await feed(fx.table, { startTimestamp: new Date(at(0) - 60_000).toISOString(), endVersion: 0 }),
    ).toEqual(['1:insert@0']);
  });

  it('fails naming the version where CDF is off', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append' });
    await fx.table.alter({ kind: 'setProperties', properties: CDF });
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    const e = await expectDeltaError(
      fx.table.changesSql({ startVersion: 0 }),
      'CHANGE_DATA_FEED_NOT_ENABLED',
    );
    expect(e.message).toContain('version 0');
    expect(await feed(fx.table, { startVersion: 1 })).toEqual(['2:insert@2']);
  });

  it('fails naming the version that turned CDF off inside the range', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append', properties: CDF }); // v0
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' }); // v1
    await fx.table.alter({ kind: 'setProperties', properties: { 'delta.enableChangeDataFeed': 'false' } }); // v2
    await fx.table.write('SELECT 3::BIGINT AS id', { mode: 'append' }); // v3
    const e = await expectDeltaError(
      fx.table.changesSql({ startVersion: 1 }),
      'CHANGE_DATA_FEED_NOT_ENABLED',
    );
    expect(e.details.version).toBe(2);
    expect(await feed(fx.table, { startVersion: 1, endVersion: 1 })).toEqual(['2:insert@1']);
  });

  it('fails when the start is past the latest version, and on a reversed range', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append', properties: CDF });
    const e = await expectDeltaError(fx.table.changesSql({ startVersion: 4 }), 'VERSION_NOT_FOUND');
    expect(e.message).toContain('latest version 0');
    await fx.table.write('SELECT 2::BIGINT AS id', { mode: 'append' });
    await expectDeltaError(fx.table.changesSql({ startVersion: 1, endVersion: 0 }), 'INVALID_ARGUMENT');
    await expectDeltaError(fx.table.changesSql({}), 'INVALID_ARGUMENT');
  });

  it('tells DuckDB the row count of each read from the log (explicit_cardinality)', async () => {
    await fx.table.write('SELECT * FROM range(3000) AS r(id)', { mode: 'append', properties: CDF }); // v0
    await fx.table.write('SELECT * FROM range(5) AS r(id)', { mode: 'append' }); // v1
    const explained = await fx.engine.query(
      `EXPLAIN (FORMAT json) SELECT * FROM (${await fx.table.changesSql({ startVersion: 0 })})`,
    );
    type PlanNode = { extra_info?: Record<string, unknown>; children?: PlanNode[] };
    const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.children ?? []).flatMap(nodes)];
    const scans = (JSON.parse(String(explained.rows[0]![1])) as PlanNode[])
      .flatMap(nodes)
      .filter((n) => n.extra_info?.Function === 'READ_PARQUET');
    // One single-file read per commit; without the hint DuckDB estimates a one-file read at 0 rows.
    expect(scans.map((n) => Number(n.extra_info?.['Estimated Cardinality'])).sort((a, b) => a - b)).toEqual([
      5, 3000,
    ]);
    expect(await feed(fx.table, { startVersion: 1 })).toHaveLength(5);
  });

  it('returns an empty typed relation when nothing changed', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'append', properties: CDF });
    await fx.table.alter({
      kind: 'setProperties',
      properties: { 'delta.logRetentionDuration': 'interval 30 days' },
    });
    expect(await fx.table.changes({ startVersion: 1 })).toEqual([]);
  });
});
