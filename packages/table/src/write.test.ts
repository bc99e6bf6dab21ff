// The write path on local tables: CTAS, append, overwrite, replaceWhere, schema enforcement and
// evolution, NOT NULL, txn idempotence, partitioning and column mapping.
import { type AddFile, type ObjectStore, DataType as T } from '@loch/delta';
import { openStore } from '@loch/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  commitActions,
  dataFilesIn,
  expectDeltaError,
  plain,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

const rows = async (orderBy = ['id']): Promise<Record<string, unknown>[]> =>
  plain(await fx.table.toArray({ orderBy }));
const count = async (): Promise<number> => (await fx.table.toArray()).length;

describe('create table as select and append', () => {
  it('creates the table from the data, writes stats and Spark-shaped commitInfo', async () => {
    const r = await fx.table.write(`SELECT range AS id, 'n' || range AS name FROM range(3)`, {
      mode: 'errorIfExists',
    });
    expect(r).toMatchObject({ version: 0, numOutputRows: 3 });
    expect(r.numFiles).toBeGreaterThan(0);
    const s = await fx.table.snapshot();
    expect(s.schema.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ['id', T.primitive('long'), true],
      ['name', T.primitive('string'), true],
    ]);
    const add = s.files[0] as AddFile;
    expect(add.path).not.toMatch(/^\//);
    expect(add.dataChange).toBe(true);
    expect(JSON.parse(add.stats ?? '{}')).toMatchObject({
      numRecords: 3,
      minValues: { id: 0 },
      maxValues: { id: 2 },
    });
    const actions = await commitActions(fx.dir, 0);
    expect(actions[0]?.kind).toBe('commitInfo');
    const info = actions[0]?.kind === 'commitInfo' ? actions[0].value : {};
    expect(info).toMatchObject({
      operation: 'WRITE',
      operationParameters: { mode: 'ErrorIfExists', partitionBy: '[]' },
      isolationLevel: 'Serializable',
      isBlindAppend: true,
      operationMetrics: { numFiles: String(r.numFiles), numOutputRows: '3' },
      engineInfo: 'Loch/0.1.0',
    });
    expect(typeof info.txnId).toBe('string');
    expect(await rows()).toEqual([
      { id: 0, name: 'n0' },
      { id: 1, name: 'n1' },
      { id: 2, name: 'n2' },
    ]);
  });

  it('records CREATE TABLE AS SELECT when asked and appends by name', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id, 10 AS v', {
      mode: 'append',
      operation: 'CREATE TABLE AS SELECT',
    });
    expect((await fx.table.history())[0]?.operation).toBe('CREATE TABLE AS SELECT');
    // Columns in another order and case, INTEGER into BIGINT: matched by name and upcast.
    const r = await fx.table.write('SELECT 20 AS V, 2 AS ID', { mode: 'append' });
    expect(r.version).toBe(1);
    expect(await rows()).toEqual([
      { id: 1, v: 10 },
      { id: 2, v: 20 },
    ]);
    const h = await fx.table.history();
    expect(h.map((e) => [e.version, e.operation, e.operationParameters.mode])).toEqual([
      [1, 'WRITE', 'Append'],
      [0, 'CREATE TABLE AS SELECT', undefined],
    ]);
    expect(h[0]).toMatchObject({
      readVersion: 0,
      isBlindAppend: true,
      operationMetrics: { numOutputRows: '1' },
    });
  });

  it('fills missing nullable columns with NULL', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id, 1 AS a, 2 AS b', { mode: 'append' });
    await fx.table.write('SELECT 2::BIGINT AS id, 3 AS a', { mode: 'append' });
    expect(await rows()).toEqual([
      { id: 1, a: 1, b: 2 },
      { id: 2, a: 3, b: null },
    ]);
  });

  it('honours errorIfExists and ignore on an existing table', async () => {
    await fx.table.write('SELECT 1 AS id', { mode: 'append' });
    await expectDeltaError(
      fx.table.write('SELECT 2 AS id', { mode: 'errorIfExists' }),
      'TABLE_ALREADY_EXISTS',
    );
    expect(await fx.table.write('SELECT 2 AS id', { mode: 'ignore' })).toMatchObject({
      version: 0,
      skipped: true,
    });
    expect(await count()).toBe(1);
  });
});

describe('create or replace as select', () => {
  it('replaces schema, partitioning and properties in one commit, keeping the history', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id', { mode: 'ignore', properties: { 'my.prop': 'a' } });
    expect((await fx.table.detail()).properties).toEqual({ 'my.prop': 'a' });
    const r = await fx.table.write(`SELECT 'x' AS name`, {
      mode: 'overwrite',
      overwriteSchema: true,
      operation: 'CREATE OR REPLACE TABLE AS SELECT',
      properties: { 'other.prop': 'b' },
    });
    expect(r.version).toBe(1);
    expect((await fx.table.detail()).properties).toEqual({ 'other.prop': 'b' });
    expect(plain(await fx.table.toArray())).toEqual([{ name: 'x' }]);
    expect((await fx.table.history()).map((h) => h.operation)).toEqual([
      'CREATE OR REPLACE TABLE AS SELECT',
      'WRITE',
    ]);
  });

  it('needs a local location to write data files', async () => {
    const e = await expectDeltaError(
      tableAt(fx.ctx, `memory://no-data-${process.pid}`).write('SELECT 1 AS id', { mode: 'append' }),
      'UNSUPPORTED_OPERATION',
    );
    expect(e.message).toContain('memory://');
  });
});

describe('overwrite', () => {
  it('replaces all rows and records removes', async () => {
    await fx.table.write('SELECT range AS id FROM range(5)', { mode: 'append' });
    const r = await fx.table.write('SELECT 100::BIGINT AS id', { mode: 'overwrite' });
    expect(r.version).toBe(1);
    expect(await rows()).toEqual([{ id: 100 }]);
    const actions = await commitActions(fx.dir, 1);
    expect(actions.filter((a) => a.kind === 'remove').length).toBeGreaterThan(0);
    const [h] = await fx.table.history(1);
    expect(h).toMatchObject({
      operation: 'WRITE',
      operationParameters: { mode: 'Overwrite' },
      isBlindAppend: false,
    });
    // The old version is still readable.
    expect(plain(await fx.table.toArray({ at: { version: 0 }, orderBy: ['id'] }))).toHaveLength(5);
  });

  it('replaces the schema and partitioning with overwriteSchema', async () => {
    await fx.table.write('SELECT 1::BIGINT AS id, 1 AS a', { mode: 'append' });
    await expectDeltaError(
      fx.table.write(`SELECT 'x' AS id, 'p' AS part`, { mode: 'overwrite' }),
      'SCHEMA_MISMATCH',
    );
    await fx.table.write(`SELECT 'x' AS id, 'p' AS part`, {
      mode: 'overwrite',
      overwriteSchema: true,
      partitionBy: ['part'],
    });
    const s = await fx.table.snapshot();
    expect(s.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', T.primitive('string')],
      ['part', T.primitive('string')],
    ]);
    expect(s.partitionColumns).toEqual(['part']);
    expect(s.files[0]?.partitionValues).toEqual({ part: 'p' });
    expect(await rows()).toEqual([{ id: 'x', part: 'p' }]);
  });
});

describe('schema enforcement', () => {
  beforeEach(async () => {
    await fx.table.write('SELECT 1::BIGINT AS id, 1::INTEGER AS n', { mode: 'append' });
  });

  it('rejects an extra column naming it, its type and mergeSchema, and writes nothing', async () => {
    const before = await dataFilesIn(fx.dir);
    const e = await expectDeltaError(
      fx.table.write(`SELECT 2::BIGINT AS id, 2 AS n, 'x' AS extra`, { mode: 'append' }),
      'SCHEMA_MISMATCH',
    );
    expect(e.message).toContain("'extra'");
    expect(e.message).toContain('STRING');
    expect(e.message).toContain('mergeSchema');
    expect(await dataFilesIn(fx.dir)).toEqual(before);
    expect((await fx.table.snapshot()).version).toBe(0);
  });

  it('rejects an incompatible type naming the column, both types and the option', async () => {
    const e = await expectDeltaError(
      fx.table.write(`SELECT 2::BIGINT AS id, 'abc' AS n`, { mode: 'append' }),
      'SCHEMA_MISMATCH',
    );
    expect(e.message).toContain("column 'n' has type STRING in the data, the table expects INT");
    expect(e.message).toContain('overwriteSchema');
    const narrowing = await expectDeltaError(
      fx.table.write('SELECT 2::BIGINT AS id, 2::BIGINT AS n', { mode: 'append' }),
      'SCHEMA_MISMATCH',
    );
    expect(narrowing.message).toContain('BIGINT');
    expect(narrowing.message).toContain('mergeSchema');
  });

  it('adds columns with mergeSchema; old rows read NULL', async () => {
    const r = await fx.table.write(`SELECT 2::BIGINT AS id, 2 AS n, 'x' AS extra`, {
      mode: 'append',
      mergeSchema: true,
    });
    expect(r.version).toBe(1);
    expect((await fx.table.snapshot()).schema.fields.map((f) => f.name)).toEqual(['id', 'n', 'extra']);
    expect(await rows()).toEqual([
      { id: 1, n: 1, extra: null },
      { id: 2, n: 2, extra: 'x' },
    ]);
    // Spark: an append is blind (reads nothing, removes nothing) even when it evolves the schema.
    expect((await fx.table.history(1))[0]?.isBlindAppend).toBe(true);
  });

  it('widens a type with mergeSchema and adds the typeWidening feature', async () => {
    await fx.table.write('SELECT 3::BIGINT AS id, 5000000000::BIGINT AS n', {
      mode: 'append',
      mergeSchema: true,
    });
    const s = await fx.table.snapshot();
    expect(s.schema.fields[1]?.type).toEqual(T.primitive('long'));
    expect(s.protocol.readerFeatures).toContain('typeWidening');
    expect(s.protocol.writerFeatures).toContain('typeWidening');
    expect(s.metadata.configuration['delta.enableTypeWidening']).toBe('true');
    expect(await rows()).toEqual([
      { id: 1, n: 1 },
      { id: 3, n: 5000000000 },
    ]);
  });
});

describe('constraints and idempotence', () => {
  it('rejects nulls in NOT NULL columns and leaves the table as it was', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', T.primitive('long'), false), T.field('v', T.primitive('string'))]),
    });
    const e = await expectDeltaError(
      fx.table.write(`SELECT * FROM (VALUES (1::BIGINT, 'a'), (NULL, 'b')) AS v(id, v)`, { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain('id');
    expect((await fx.table.snapshot()).version).toBe(0);
    expect(await dataFilesIn(fx.dir)).toEqual([]);
    await expectDeltaError(fx.table.write(`SELECT 'a' AS v`, { mode: 'append' }), 'SCHEMA_MISMATCH');
    expect((await fx.table.write(`SELECT 5 AS id, 'ok' AS v`, { mode: 'append' })).version).toBe(1);
    expect(await rows()).toEqual([{ id: 5, v: 'ok' }]);
  });

  it('enforces CHECK constraints from table properties (NULL violates, as in Delta)', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', T.primitive('long'))]),
      properties: { 'delta.constraints.positive': 'id > 0' },
    });
    const e = await expectDeltaError(
      fx.table.write('SELECT -1 AS id', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain('positive');
    expect(e.message).toContain('id > 0');
    await expectDeltaError(
      fx.table.write('SELECT * FROM (VALUES (1), (NULL)) AS v(id)', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    await fx.table.write('SELECT * FROM (VALUES (1), (2)) AS v(id)', { mode: 'append' });
    expect(await count()).toBe(2);
  });

  it('computes generated columns the data leaves out (more in special-columns.test.ts)', async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('id', T.primitive('long')),
        T.field('twice', T.primitive('long'), true, { 'delta.generationExpression': 'id * 2' }),
      ]),
    });
    await fx.table.write('SELECT 1 AS id', { mode: 'append' });
    expect(await rows()).toEqual([{ id: 1, twice: 2 }]);
  });

  it('skips a txn version already committed', async () => {
    const txn = { appId: 'stream-1', version: 3 };
    expect((await fx.table.write('SELECT 1 AS id', { mode: 'append', txn })).version).toBe(0);
    expect(await fx.table.write('SELECT 1 AS id', { mode: 'append', txn })).toMatchObject({
      version: 0,
      skipped: true,
    });
    expect(
      await fx.table.write('SELECT 1 AS id', { mode: 'append', txn: { ...txn, version: 2 } }),
    ).toMatchObject({
      skipped: true,
    });
    expect(
      (await fx.table.write('SELECT 2 AS id', { mode: 'append', txn: { ...txn, version: 4 } })).version,
    ).toBe(1);
    expect((await fx.table.snapshot()).txns.get('stream-1')?.version).toBe(4);
    expect(await count()).toBe(2);
  });
});

describe('partitions and replaceWhere', () => {
  beforeEach(async () => {
    await fx.table.write(
      `SELECT range::BIGINT AS id, CASE WHEN range < 2 THEN 'a' WHEN range < 4 THEN 'b' ELSE 'c' END AS p FROM range(6)`,
      { mode: 'append', partitionBy: ['p'] },
    );
  });

  it('writes partition directories and partition values', async () => {
    const s = await fx.table.snapshot();
    expect(s.partitionColumns).toEqual(['p']);
    expect(s.files.map((f) => f.partitionValues.p).sort()).toEqual(['a', 'b', 'c']);
    expect(s.files.every((f) => f.path.startsWith(`p=${f.partitionValues.p}/`))).toBe(true);
    expect((await commitActions(fx.dir, 0))[0]).toMatchObject({
      value: { operationParameters: { partitionBy: '["p"]' } },
    });
  });

  it('replaces whole partitions for a partition predicate', async () => {
    const r = await fx.table.write(`SELECT 100::BIGINT AS id, 'b' AS p`, {
      mode: 'overwrite',
      replaceWhere: `p = 'b'`,
    });
    expect(await rows()).toEqual([
      { id: 0, p: 'a' },
      { id: 1, p: 'a' },
      { id: 4, p: 'c' },
      { id: 5, p: 'c' },
      { id: 100, p: 'b' },
    ]);
    const removes = (await commitActions(fx.dir, r.version)).filter((a) => a.kind === 'remove');
    expect(removes).toHaveLength(1);
    expect((await fx.table.history(1))[0]?.operationParameters).toMatchObject({
      mode: 'Overwrite',
      predicate: `["p = 'b'"]`,
    });
  });

  it('fails when the data does not satisfy the predicate, writing nothing', async () => {
    const before = await dataFilesIn(fx.dir);
    const e = await expectDeltaError(
      fx.table.write(`SELECT 100::BIGINT AS id, 'c' AS p`, { mode: 'overwrite', replaceWhere: `p = 'b'` }),
      'REPLACE_WHERE_MISMATCH',
    );
    expect(e.message).toContain(`p = 'b'`);
    expect(await dataFilesIn(fx.dir)).toEqual(before);
  });

  it('rewrites touched files keeping non-matching rows for a data predicate', async () => {
    const r = await fx.table.write(`SELECT 2::BIGINT AS id, 'z' AS p`, {
      mode: 'overwrite',
      replaceWhere: 'id >= 1 AND id <= 2',
    });
    expect(await rows()).toEqual([
      { id: 0, p: 'a' },
      { id: 2, p: 'z' },
      { id: 3, p: 'b' },
      { id: 4, p: 'c' },
      { id: 5, p: 'c' },
    ]);
    // Partition 'c' had no matching row: its file stays; 'a' and 'b' are rewritten.
    const actions = await commitActions(fx.dir, r.version);
    expect(actions.filter((a) => a.kind === 'remove')).toHaveLength(2);
    expect((await fx.table.history(1))[0]?.operationMetrics).toMatchObject({
      numRemovedFiles: '2',
      numCopiedRows: '2',
    });
  });
});

describe('column mapping', () => {
  it('writes physical names and keeps reading after rename and drop', async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('id', T.primitive('long')),
        T.field('name', T.primitive('string')),
        T.field('p', T.primitive('integer')),
      ]),
      partitionColumns: ['p'],
      properties: { 'delta.columnMapping.mode': 'name' },
    });
    await fx.table.write(`SELECT 1::BIGINT AS id, 'one' AS name, 7 AS p`, { mode: 'append' });
    const s = await fx.table.snapshot();
    const physicalP = s.schema.fields[2]?.metadata['delta.columnMapping.physicalName'] as string;
    expect(Object.keys(s.files[0]?.partitionValues ?? {})).toEqual([physicalP]);
    await fx.table.alter({ kind: 'renameColumn', from: 'name', to: 'label' });
    await fx.table.write(`SELECT 2::BIGINT AS id, 'two' AS label, 7 AS p`, { mode: 'append' });
    expect(await rows()).toEqual([
      { id: 1, label: 'one', p: 7 },
      { id: 2, label: 'two', p: 7 },
    ]);
    await fx.table.alter({ kind: 'dropColumns', columns: ['label'] });
    expect(await rows()).toEqual([
      { id: 1, p: 7 },
      { id: 2, p: 7 },
    ]);
    // Re-adding a dropped name is a new column: the old data does not come back.
    await fx.table.alter({ kind: 'addColumns', columns: [{ name: 'label', type: T.primitive('string') }] });
    expect(await rows()).toEqual([
      { id: 1, p: 7, label: null },
      { id: 2, p: 7, label: null },
    ]);
  });

  it('creates an id-mode table from a query and reads it back, also projected', async () => {
    await fx.table.write(`SELECT range::BIGINT AS id, 'n' || range AS name, range % 2 AS p FROM range(4)`, {
      mode: 'append',
      partitionBy: ['p'],
      properties: { 'delta.columnMapping.mode': 'id' },
      operation: 'CREATE TABLE AS SELECT',
    });
    const s = await fx.table.snapshot();
    expect(s.columnMappingMode).toBe('id');
    expect(s.protocol).toMatchObject({ minReaderVersion: 2, minWriterVersion: 5 });
    expect(await rows()).toEqual([
      { id: 0, name: 'n0', p: 0 },
      { id: 1, name: 'n1', p: 1 },
      { id: 2, name: 'n2', p: 0 },
      { id: 3, name: 'n3', p: 1 },
    ]);
    expect(plain(await fx.table.toArray({ columns: ['name'], orderBy: ['name'] }))).toEqual([
      { name: 'n0' },
      { name: 'n1' },
      { name: 'n2' },
      { name: 'n3' },
    ]);
    await expectDeltaError(fx.table.scanSql({ columns: ['nope'] }), 'SCHEMA_MISMATCH');
  });

  it('keeps writing after widening a type on a column-mapped (legacy protocol) table', async () => {
    await fx.table.write('SELECT 1 AS id', {
      mode: 'append',
      properties: { 'delta.columnMapping.mode': 'name' },
    });
    await fx.table.write('SELECT 5000000000 AS id', { mode: 'append', mergeSchema: true });
    const p = (await fx.table.snapshot()).protocol;
    expect(p).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7 });
    expect(p.readerFeatures).toEqual(['columnMapping', 'typeWidening']);
    await fx.table.write('SELECT 2 AS id', { mode: 'append' });
    expect(await count()).toBe(3);
  });

  it('renames after enabling mapping on a table with data', async () => {
    await fx.table.write(`SELECT 1::BIGINT AS id, 'x' AS name`, { mode: 'append' });
    await fx.table.alter({ kind: 'setProperties', properties: { 'delta.columnMapping.mode': 'name' } });
    await fx.table.alter({ kind: 'renameColumn', from: 'name', to: 'title' });
    expect(await rows()).toEqual([{ id: 1, title: 'x' }]);
  });
});

describe('concurrent writers', () => {
  it('lets concurrent appends from two table handles all commit', async () => {
    await fx.table.write('SELECT 0::BIGINT AS id', { mode: 'append' });
    const other = tableAt(fx.ctx, fx.dir);
    await Promise.all(
      [fx.table, other].map(async (table, w) => {
        for (let i = 1; i <= 4; i++)
          await table.write(`SELECT ${w * 10 + i}::BIGINT AS id`, { mode: 'append' });
      }),
    );
    expect((await fx.table.snapshot()).version).toBe(8);
    expect((await rows()).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 11, 12, 13, 14]);
  });
});

describe('failure cleanup', () => {
  it('deletes the data files it wrote when the commit fails, leaving the table as it was', async () => {
    await fx.table.write('SELECT 1 AS id', { mode: 'append' });
    const before = await dataFilesIn(fx.dir);
    // A store on which every commit attempt finds its version taken (another writer won).
    const racing = tableAt(
      {
        ...fx.ctx,
        stores: async (url) => {
          const inner = await openStore(url);
          return Object.assign(Object.create(inner) as ObjectStore, {
            putIfAbsent: async (path: string, data: Uint8Array) =>
              path.startsWith('_delta_log/') ? { kind: 'exists' as const } : inner.putIfAbsent(path, data),
          });
        },
      },
      fx.dir,
    );
    const e = await expectDeltaError(
      racing.write('SELECT 2 AS id', { mode: 'overwrite' }),
      'CONCURRENT_MODIFICATION',
    );
    expect(e.message).toContain('version 1');
    expect(await dataFilesIn(fx.dir)).toEqual(before);
    expect(await count()).toBe(1);
  });
});
