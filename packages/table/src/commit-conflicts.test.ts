import { describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import { expectDeltaError, plain, racingWriter, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();

/** Writer A: `interloper` (writer B) commits once, right before A's first attempt to publish. */
const racing = (interloper: () => Promise<unknown>): DeltaTable => racingWriter(fx.ctx, fx.dir, interloper);

/** Six rows, two partitions (p = id % 2), one file per partition. */
async function seed(properties: Record<string, string> = {}): Promise<void> {
  await fx.table.write('SELECT range AS id, range % 2 AS p FROM range(6)', {
    mode: 'errorIfExists',
    partitionBy: ['p'],
    properties,
  });
}

const ids = async (): Promise<number[]> =>
  plain(await fx.table.toArray({ orderBy: ['id'] })).map((r) => Number(r.id));

const appendTo = (p: number, id: number) => () =>
  fx.table.write(`SELECT ${id}::BIGINT AS id, ${p}::BIGINT AS p`, { mode: 'append' });

async function expectConflict(
  op: Promise<unknown>,
  exception: string,
  winningVersion: number,
): Promise<void> {
  const e = await expectDeltaError(op, 'CONCURRENT_MODIFICATION');
  expect(e.message).toContain(`${exception}Exception`);
  expect(e.message).toContain(`version ${winningVersion}`);
  expect(e.details.winningVersion).toBe(winningVersion);
  expect(e.details.reason).toBe(exception);
}

describe('ALTER TABLE CLUSTER BY against concurrent writers', () => {
  const unpartitioned = () =>
    fx.table.write('SELECT range AS id, range % 2 AS p FROM range(6)', { mode: 'errorIfExists' });

  it('is rebased over a concurrent append, its protocol upgrade included', async () => {
    await unpartitioned();
    const r = await racing(appendTo(1, 100)).alter({ kind: 'clusterBy', columns: ['id'] });
    expect(r.version).toBe(2);
    const s = await fx.table.snapshot();
    expect(s.protocol.writerFeatures).toContain('clustering');
    expect(s.domainMetadata.get('delta.clustering')?.configuration).toContain('id');
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 5, 100]);
  });

  it('fails on a concurrent change of the clustering columns (ConcurrentDomainMetadata)', async () => {
    await unpartitioned();
    await fx.table.alter({ kind: 'clusterBy', columns: ['id'] });
    await expectConflict(
      racing(() => fx.table.alter({ kind: 'clusterBy', columns: ['p'] })).alter({
        kind: 'clusterBy',
        columns: ['id', 'p'],
      }),
      'ConcurrentDomainMetadata',
      2,
    );
  });
});

describe('overwrite against concurrent writers', () => {
  it('WriteSerializable: a concurrent blind append is ordered after the overwrite (rebased)', async () => {
    await seed();
    const r = await racing(appendTo(1, 100)).write('SELECT 50::BIGINT AS id, 0::BIGINT AS p', {
      mode: 'overwrite',
    });
    expect(r.version).toBe(2);
    expect(await ids()).toEqual([50, 100]);
  });

  it('Serializable: the same concurrent append fails the overwrite (ConcurrentAppend)', async () => {
    await seed({ 'delta.isolationLevel': 'Serializable' });
    await expectConflict(
      racing(appendTo(1, 100)).write('SELECT 50::BIGINT AS id, 0::BIGINT AS p', { mode: 'overwrite' }),
      'ConcurrentAppend',
      1,
    );
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 5, 100]);
  });

  it('a concurrent delete of a file the overwrite replaces fails it (ConcurrentDeleteRead)', async () => {
    await seed();
    // Deleting a whole partition removes its file and adds none (a partial delete would add a
    // rewritten file, and Delta reports the added file first: ConcurrentAppend).
    await expectConflict(
      racing(() => fx.table.delete('p = 1')).write('SELECT 50::BIGINT AS id, 0::BIGINT AS p', {
        mode: 'overwrite',
      }),
      'ConcurrentDeleteRead',
      1,
    );
  });

  it('overwriteSchema changes the metadata: then even a blind append conflicts', async () => {
    await seed();
    await expectConflict(
      racing(appendTo(1, 100)).write("SELECT 'x' AS name", {
        mode: 'overwrite',
        overwriteSchema: true,
      }),
      'ConcurrentAppend',
      1,
    );
  });
});

describe('replaceWhere against concurrent writers', () => {
  const replaceP0 = (t: DeltaTable) =>
    t.write('SELECT 10::BIGINT AS id, 0::BIGINT AS p', { mode: 'overwrite', replaceWhere: 'p = 0' });

  it('a concurrent delete in another partition does not conflict', async () => {
    await seed();
    const r = await replaceP0(racing(() => fx.table.delete('id = 3')));
    expect(r.version).toBe(2);
    expect(await ids()).toEqual([1, 5, 10]);
  });

  it('a concurrent delete in the replaced partition fails it (ConcurrentDeleteRead)', async () => {
    await seed();
    await expectConflict(replaceP0(racing(() => fx.table.delete('p = 0'))), 'ConcurrentDeleteRead', 1);
    expect(await ids()).toEqual([1, 3, 5]);
    // A partial delete there rewrites the file: its added file is reported first.
    await fx.table.write('SELECT 2::BIGINT AS id, 0::BIGINT AS p UNION ALL SELECT 4, 0', { mode: 'append' });
    await expectConflict(replaceP0(racing(() => fx.table.delete('id = 2'))), 'ConcurrentAppend', 3);
  });

  it('Serializable: an append to another partition rebases, one into the replaced partition conflicts', async () => {
    await seed({ 'delta.isolationLevel': 'Serializable' });
    await replaceP0(racing(appendTo(1, 101)));
    expect(await ids()).toEqual([1, 3, 5, 10, 101]);
    await expectConflict(replaceP0(racing(appendTo(0, 100))), 'ConcurrentAppend', 3);
  });

  it('a data predicate reads only the files its stats can match', async () => {
    await seed();
    // Replaces ids 2 and 4 (partition 0, data predicate); the delete rewrites partition 1's file.
    const r = await racing(() => fx.table.delete('id = 5')).write('SELECT 20::BIGINT AS id, 0::BIGINT AS p', {
      mode: 'overwrite',
      replaceWhere: 'id >= 2 AND p = 0',
    });
    expect(r.version).toBe(2);
    expect(await ids()).toEqual([0, 1, 3, 20]);
  });
});

describe('metadata changes and RESTORE against concurrent writers', () => {
  it('an append that evolves the schema rebases over a blind append', async () => {
    await seed();
    await racing(appendTo(1, 100)).write("SELECT 7::BIGINT AS id, 1::BIGINT AS p, 'n' AS note", {
      mode: 'append',
      mergeSchema: true,
    });
    const s = await fx.table.snapshot();
    expect(s.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'note']);
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 5, 7, 100]);
  });

  it('a concurrent metadata change fails any write (MetadataChanged)', async () => {
    await seed();
    await expectConflict(
      racing(() => fx.table.alter({ kind: 'setProperties', properties: { 'x.y': 'z' } })).write(
        'SELECT 9::BIGINT AS id, 1::BIGINT AS p',
        { mode: 'append' },
      ),
      'MetadataChanged',
      1,
    );
  });

  it('a concurrent protocol upgrade fails a DML statement (ProtocolChanged)', async () => {
    await seed();
    await expectConflict(
      racing(() =>
        fx.table.alter({ kind: 'setProperties', properties: { 'delta.enableDeletionVectors': 'true' } }),
      ).delete('id = 1'),
      'ProtocolChanged',
      1,
    );
  });

  it('RESTORE fails on a concurrent append, naming it; otherwise restores', async () => {
    await seed();
    await fx.table.delete('id = 1');
    await expectConflict(racing(appendTo(0, 100)).restore({ version: 0 }), 'ConcurrentAppend', 2);
    const r = await racing(async () => undefined).restore({ version: 0 });
    expect(r.version).toBe(3);
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('two writers with the same application id: the second fails (ConcurrentTransaction)', async () => {
    await seed();
    const txn = { appId: 'loader', version: 1 };
    const e = await expectDeltaError(
      racing(() => fx.table.write('SELECT 8::BIGINT AS id, 0::BIGINT AS p', { mode: 'append', txn })).write(
        'SELECT 8::BIGINT AS id, 0::BIGINT AS p',
        { mode: 'append', txn },
      ),
      'CONCURRENT_MODIFICATION',
    );
    expect(e.message).toContain('ConcurrentTransactionException');
    expect(e.details.winningVersion).toBe(1);
    expect((await ids()).filter((i) => i === 8)).toHaveLength(1);
  });
});

describe('ALTER TABLE against concurrent writers', () => {
  const configuration = async (): Promise<Readonly<Record<string, string>>> =>
    (await fx.table.snapshot()).metadata.configuration;

  it('SET TBLPROPERTIES is rebased over a concurrent blind append and a concurrent DELETE', async () => {
    await seed();
    const r = await racing(appendTo(1, 100)).alter({
      kind: 'setProperties',
      properties: { 'x.owner': 'a' },
    });
    expect(r.version).toBe(2);
    const d = await racing(() => fx.table.delete('id = 2')).alter({
      kind: 'setProperties',
      properties: { 'x.team': 'b' },
    });
    expect(d.version).toBe(4);
    expect(await configuration()).toMatchObject({ 'x.owner': 'a', 'x.team': 'b' });
    expect(await ids()).toEqual([0, 1, 3, 4, 5, 100]);
  });

  it('ADD COLUMNS is rebased over a concurrent append, whose row reads NULL in the new column', async () => {
    await seed();
    const r = await racing(appendTo(0, 100)).alter({
      kind: 'addColumns',
      columns: [{ name: 'note', type: { kind: 'primitive', name: 'string' } }],
    });
    expect(r.version).toBe(2);
    const rows = plain(await fx.table.toArray({ orderBy: ['id'] }));
    expect(rows.at(-1)).toEqual({ id: 100, p: 0, note: null });
  });

  it('SET TBLPROPERTIES fails on a concurrent metadata change (MetadataChanged) or protocol change (ProtocolChanged)', async () => {
    await seed();
    await expectConflict(
      racing(() => fx.table.alter({ kind: 'setProperties', properties: { 'x.y': 'winner' } })).alter({
        kind: 'setProperties',
        properties: { 'x.z': 'loser' },
      }),
      'MetadataChanged',
      1,
    );
    expect(await configuration()).not.toHaveProperty('x.z');
    await expectConflict(
      racing(() =>
        fx.table.alter({ kind: 'setProperties', properties: { 'delta.enableDeletionVectors': 'true' } }),
      ).alter({ kind: 'setProperties', properties: { 'x.z': 'loser' } }),
      'ProtocolChanged',
      2,
    );
  });

  it('ADD CONSTRAINT fails on a concurrent append: the appended rows were never checked (ConcurrentAppend)', async () => {
    await seed();
    // Without the conflict the table would hold id 100 under CHECK (id < 50).
    await expectConflict(
      racing(appendTo(1, 100)).alter({ kind: 'addConstraint', name: 'small', expr: 'id < 50' }),
      'ConcurrentAppend',
      1,
    );
    expect(await configuration()).not.toHaveProperty('delta.constraints.small');
    expect(await ids()).toContain(100);
    // Nothing concurrent: the constraint is added, and a violating append now fails.
    await fx.table.alter({ kind: 'addConstraint', name: 'small', expr: 'id < 200' });
    expect(await configuration()).toHaveProperty('delta.constraints.small', 'id < 200');
  });

  it('ADD CONSTRAINT fails on a concurrent delete of a file it checked (ConcurrentDeleteRead)', async () => {
    await seed();
    // A whole-partition delete removes the file and adds none (a rewrite would be a ConcurrentAppend first).
    await expectConflict(
      racing(() => fx.table.delete('p = 1')).alter({
        kind: 'addConstraint',
        name: 'c',
        expr: 'id >= 0',
      }),
      'ConcurrentDeleteRead',
      1,
    );
  });

  it('SET NOT NULL checks the data, so a concurrent append conflicts; DROP NOT NULL is rebased', async () => {
    await seed();
    await expectConflict(
      racing(() => fx.table.write('SELECT NULL::BIGINT AS id, 0::BIGINT AS p', { mode: 'append' })).alter({
        kind: 'setColumnNullability',
        column: 'id',
        nullable: false,
      }),
      'ConcurrentAppend',
      1,
    );
    expect((await fx.table.snapshot()).schema.fields[0]?.nullable).toBe(true);
    await fx.table.delete('id IS NULL');
    await fx.table.alter({ kind: 'setColumnNullability', column: 'id', nullable: false });
    const r = await racing(appendTo(0, 100)).alter({
      kind: 'setColumnNullability',
      column: 'id',
      nullable: true,
    });
    expect(r.version).toBe(5);
    expect((await fx.table.snapshot()).schema.fields[0]?.nullable).toBe(true);
  });
});
