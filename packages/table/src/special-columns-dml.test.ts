// Generated and identity columns under UPDATE and MERGE (Databricks semantics): generated values
// follow their source columns, assigned ones must equal the expression, identity columns refuse
// updates and MERGE inserts draw fresh values whose high-water mark the same commit records.
import { DataType as T } from '@loch/delta';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import {
  commitActions,
  expectDeltaError,
  plain,
  removeDir,
  tableAt,
  tempDir,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();
/** The table under test: the fixture's, unless a test points it at a table of its own. */
let t: DeltaTable;
beforeEach(() => {
  t = fx.table;
});

const long = T.primitive('long');
const int = T.primitive('integer');
const str = T.primitive('string');
const rows = async (orderBy: string[]): Promise<Record<string, unknown>[]> =>
  plain(await t.toArray({ orderBy }));
const identity = (always: boolean, start = 1, step = 1) => ({
  'delta.identity.start': start,
  'delta.identity.step': step,
  'delta.identity.allowExplicitInsert': !always,
});

for (const dv of [false, true]) {
  const props: Record<string, string> = dv ? { 'delta.enableDeletionVectors': 'true' } : {};
  const mode = dv ? 'deletion vectors' : 'copy-on-write';

  describe(`generated columns under UPDATE and MERGE (${mode})`, () => {
    beforeEach(async () => {
      await t.create({
        schema: T.struct([
          T.field('id', int),
          T.field('a', int),
          T.field('b', long, true, { 'delta.generationExpression': 'a * 2 + 1' }),
        ]),
        properties: props,
      });
      await t.write('SELECT * FROM (VALUES (1, 1), (2, 2), (3, 3)) AS v(id, a)', { mode: 'append' });
    });

    it('UPDATE recomputes a generated column from its changed source column', async () => {
      const r = await t.update({ a: 'a + 10' }, 'id >= 2');
      expect(r.numUpdatedRows).toBe(2);
      expect(await rows(['id'])).toEqual([
        { id: 1, a: 1, b: 3 },
        { id: 2, a: 12, b: 25 },
        { id: 3, a: 13, b: 27 },
      ]);
    });

    it('UPDATE accepts an assigned value equal to the expression and rejects another, naming column and value', async () => {
      await t.update({ a: '5', b: '11' }, 'id = 1');
      const before = (await t.snapshot()).version;
      const e = await expectDeltaError(t.update({ a: '7', b: '99' }, 'id = 2'), 'CONSTRAINT_VIOLATION');
      expect(e.message).toContain('Generated Column (b');
      expect(e.message).toContain('99');
      expect(e.message).toContain('15');
      expect((await t.snapshot()).version).toBe(before);
      expect((await rows(['id']))[0]).toEqual({ id: 1, a: 5, b: 11 });
    });

    it('MERGE recomputes on UPDATE SET and computes on INSERT; UPDATE SET * checks a supplied value', async () => {
      await t
        .merge('SELECT * FROM (VALUES (2, 20), (9, 90)) AS s(id, a)', 't.id = s.id', {
          targetAlias: 't',
          sourceAlias: 's',
        })
        .whenMatchedUpdate({ set: { a: 's.a' } })
        .whenNotMatchedInsert({ values: { id: 's.id', a: 's.a' } })
        .execute();
      expect(await rows(['id'])).toEqual([
        { id: 1, a: 1, b: 3 },
        { id: 2, a: 20, b: 41 },
        { id: 3, a: 3, b: 7 },
        { id: 9, a: 90, b: 181 },
      ]);
      const before = (await t.snapshot()).version;
      const e = await expectDeltaError(
        t
          .merge('SELECT 3 AS id, 30 AS a, 0::BIGINT AS b', 't.id = s.id', {
            targetAlias: 't',
            sourceAlias: 's',
          })
          .whenMatchedUpdateAll()
          .execute(),
        'CONSTRAINT_VIOLATION',
      );
      expect(e.message).toContain('Generated Column (b');
      expect(e.message).toContain('61');
      expect((await t.snapshot()).version).toBe(before);
      // A source without the generated column: UPDATE SET * recomputes it.
      await t
        .merge('SELECT 3 AS id, 30 AS a', 't.id = s.id', { targetAlias: 't', sourceAlias: 's' })
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute();
      expect((await rows(['id'])).find((r) => r.id === 3)).toEqual({ id: 3, a: 30, b: 61 });
    });
  });
}

describe('identity columns under UPDATE and MERGE', () => {
  const create = async (always: boolean, start = 10, step = 5): Promise<void> => {
    await t.create({
      schema: T.struct([
        T.field('id', long, false, identity(always, start, step)),
        T.field('k', int),
        T.field('v', str),
      ]),
    });
  };

  it('UPDATE of an identity column fails as in Databricks (ALWAYS and BY DEFAULT); other columns update', async () => {
    for (const always of [true, false]) {
      const d = await tempDir();
      try {
        t = tableAt(fx.ctx, d);
        await create(always);
        await t.write(`SELECT 1 AS k, 'a' AS v`, { mode: 'append' });
        const e = await expectDeltaError(t.update({ id: '99' }), 'INVALID_ARGUMENT');
        expect(e.message).toContain('DELTA_IDENTITY_COLUMNS_UPDATE_NOT_SUPPORTED');
        expect(e.message).toContain("'id'");
        await expectDeltaError(
          t
            .merge('SELECT 1 AS k', 'target.k = source.k')
            .whenMatchedUpdate({ set: { id: '1' } })
            .execute(),
          'INVALID_ARGUMENT',
        );
        await t.update({ v: "'b'" }, 'k = 1');
        expect(await rows(['k'])).toEqual([{ id: 10, k: 1, v: 'b' }]);
      } finally {
        await removeDir(d);
      }
    }
  });

  it('MERGE INSERT assigns new identity values and advances the high-water mark in the same commit', async () => {
    await create(true);
    await t.write(`SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS s(k, v)`, { mode: 'append' });
    // The source carries an `id` column: UPDATE SET * keeps the target's, INSERT * generates.
    const r = await t
      .merge(
        `SELECT * FROM (VALUES (0, 2, 'B'), (0, 3, 'c'), (0, 4, 'd')) AS s(id, k, v)`,
        'target.k = source.k',
      )
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute();
    expect(r.numTargetRowsInserted).toBe(2);
    const meta = (await commitActions(fx.dir, r.version)).find((a) => a.kind === 'metaData');
    expect(meta?.kind === 'metaData' && meta.schemaString).toContain('"delta.identity.highWaterMark":25');
    const out = await rows(['k']);
    expect(out.slice(0, 2)).toEqual([
      { id: 10, k: 1, v: 'a' },
      { id: 15, k: 2, v: 'B' },
    ]);
    expect(
      out
        .slice(2)
        .map((x) => x.id)
        .sort(),
    ).toEqual([20, 25]);
    // The next write continues after the mark.
    await t.write(`SELECT 5 AS k, 'e' AS v`, { mode: 'append' });
    expect((await rows(['k'])).at(-1)).toEqual({ id: 30, k: 5, v: 'e' });
  });

  it('MERGE INSERT of an explicit value: refused for ALWAYS, kept for BY DEFAULT', async () => {
    await create(true);
    const e = await expectDeltaError(
      t
        .merge('SELECT 7 AS k', 'target.k = source.k')
        .whenNotMatchedInsert({ values: { id: '1', k: 'source.k' } })
        .execute(),
      'INVALID_ARGUMENT',
    );
    expect(e.message).toContain('DELTA_IDENTITY_COLUMNS_EXPLICIT_INSERT_NOT_SUPPORTED');
    const d = await tempDir();
    try {
      t = tableAt(fx.ctx, d);
      await create(false, 1, 1);
      // One clause supplies the id, the other generates it: only generated rows move the mark.
      await t
        .merge(`SELECT * FROM (VALUES (100, 1), (NULL, 2), (NULL, 3)) AS s(id, k)`, 'target.k = source.k')
        .whenNotMatchedInsert({
          condition: 'source.id IS NOT NULL',
          values: { id: 'source.id', k: 'source.k' },
        })
        .whenNotMatchedInsert({ values: { k: 'source.k' } })
        .execute();
      const out = await rows(['k']);
      expect(out.map((x) => x.id)).toEqual([100, expect.any(Number), expect.any(Number)]);
      expect(new Set(out.slice(1).map((x) => x.id))).toEqual(new Set([1, 2]));
      const field = (await t.snapshot()).schema.fields[0]!;
      expect(field.metadata['delta.identity.highWaterMark']).toBe(2);
    } finally {
      await removeDir(d);
    }
  });
});

describe('CHECK and NOT NULL constraints on UPDATE and MERGE output', () => {
  beforeEach(async () => {
    await t.create({ schema: T.struct([T.field('id', int, false), T.field('amount', int)]) });
    await t.write('SELECT * FROM (VALUES (1, 10), (2, 20)) AS v(id, amount)', { mode: 'append' });
    await t.alter({ kind: 'addConstraint', name: 'positive', expr: 'amount > 0' });
  });

  it('a violating UPDATE or MERGE fails naming the constraint and value; nothing is committed', async () => {
    const before = (await t.snapshot()).version;
    const e1 = await expectDeltaError(t.update({ amount: '-5' }, 'id = 1'), 'CONSTRAINT_VIOLATION');
    expect(e1.message).toContain('positive');
    expect(e1.message).toContain('-5');
    const e2 = await expectDeltaError(
      t.merge('SELECT 3 AS id, -7 AS amount', 'target.id = source.id').whenNotMatchedInsertAll().execute(),
      'CONSTRAINT_VIOLATION',
    );
    expect(e2.message).toContain('-7');
    const e3 = await expectDeltaError(
      t
        .merge('SELECT 2 AS id', 'target.id = source.id')
        .whenMatchedUpdate({ set: { id: 'NULL' } })
        .execute(),
      'CONSTRAINT_VIOLATION',
    );
    expect(e3.message).toContain('id');
    expect((await t.snapshot()).version).toBe(before);
  });
});
