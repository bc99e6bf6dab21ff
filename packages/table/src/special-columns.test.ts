// CHECK constraints (ALTER ADD/DROP CONSTRAINT and write enforcement), generated columns and
// identity columns on local tables: values computed on write, violations fail and write nothing.
import { DataType as T } from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { beforeEach, describe, expect, it } from 'vitest';
import { withRecomputedGeneratedColumns } from './generated-columns.js';
import {
  commitActions,
  dataFilesIn,
  expectDeltaError,
  plain,
  removeDir,
  tableAt,
  tempDir,
  useTableFixture,
} from './test-helpers.test-util.js';

const fx = useTableFixture();

const rows = async (orderBy: string[]): Promise<Record<string, unknown>[]> =>
  plain(await fx.table.toArray({ orderBy }));
const long = T.primitive('long');
const int = T.primitive('integer');

describe('CHECK constraints', () => {
  beforeEach(async () => {
    await fx.table.write('SELECT * FROM (VALUES (1, 10), (2, 20)) AS v(id, amount)', {
      mode: 'errorIfExists',
    });
  });

  it('ADD CONSTRAINT stores the property, upgrades the protocol and records the operation', async () => {
    const r = await fx.table.alter({ kind: 'addConstraint', name: 'positive', expr: 'amount > 0' });
    const s = await fx.table.snapshot();
    expect(s.metadata.configuration['delta.constraints.positive']).toBe('amount > 0');
    expect(s.protocol.minWriterVersion).toBeGreaterThanOrEqual(3);
    const [h] = await fx.table.history(1);
    expect(h).toMatchObject({
      version: r.version,
      operation: 'ADD CONSTRAINT',
      operationParameters: { name: 'positive', expr: 'amount > 0' },
    });
  });

  it('refuses a constraint existing rows violate, naming it and a row, committing nothing', async () => {
    const before = (await fx.table.snapshot()).version;
    const e = await expectDeltaError(
      fx.table.alter({ kind: 'addConstraint', name: 'big', expr: 'amount > 15' }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain('big');
    expect(e.message).toContain('1 existing row');
    expect(e.message).toMatch(/'amount': 10/);
    expect((await fx.table.snapshot()).version).toBe(before);
  });

  it('rejects a violating write naming the constraint and the value; the table stays as it was', async () => {
    await fx.table.alter({ kind: 'addConstraint', name: 'positive', expr: 'amount > 0' });
    const before = (await fx.table.snapshot()).version;
    const files = await dataFilesIn(fx.dir);
    const e = await expectDeltaError(
      fx.table.write('SELECT * FROM (VALUES (3, 5), (4, -7)) AS v(id, amount)', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain('positive');
    expect(e.message).toContain('-7');
    expect((await fx.table.snapshot()).version).toBe(before);
    expect(await dataFilesIn(fx.dir)).toEqual(files);
    // As in Delta, a constraint holds only when true: NULL violates it.
    await expectDeltaError(
      fx.table.write('SELECT 5 AS id, NULL::INT AS amount', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    await fx.table.write('SELECT 5 AS id, 1 AS amount', { mode: 'append' });
    expect((await rows(['id'])).length).toBe(3);
  });

  it('enforces legacy column invariants (delta.invariants)', async () => {
    const dir2 = await tempDir();
    try {
      const t2 = tableAt(fx.ctx, dir2);
      const invariant = JSON.stringify({ expression: { expression: 'x < 10' } });
      await t2.create({ schema: T.struct([T.field('x', int, true, { 'delta.invariants': invariant })]) });
      await t2.write('SELECT 3 AS x', { mode: 'append' });
      const e = await expectDeltaError(
        t2.write('SELECT 12 AS x', { mode: 'append' }),
        'CONSTRAINT_VIOLATION',
      );
      expect(e.message).toContain('x < 10');
      expect(e.message).toContain('12');
      expect((await t2.toArray()).length).toBe(1);
    } finally {
      await removeDir(dir2);
    }
  });

  it('adds the checkConstraints feature on a table-features protocol', async () => {
    const dir2 = await tempDir();
    try {
      const t2 = tableAt(fx.ctx, dir2);
      await t2.create({
        schema: T.struct([T.field('x', int)]),
        properties: { 'delta.enableDeletionVectors': 'true' },
      });
      await t2.alter({ kind: 'addConstraint', name: 'c', expr: 'x > 0' });
      const p = (await t2.snapshot()).protocol;
      expect(p.minWriterVersion).toBe(7);
      expect(p.writerFeatures).toContain('checkConstraints');
    } finally {
      await removeDir(dir2);
    }
  });

  it('refuses renaming or dropping a column a constraint or generated column uses', async () => {
    const dir2 = await tempDir();
    try {
      const t2 = tableAt(fx.ctx, dir2);
      await t2.create({
        schema: T.struct([
          T.field('a', int),
          T.field('ab', int),
          T.field('g', long, true, { 'delta.generationExpression': 'ab + 1' }),
        ]),
        properties: { 'delta.columnMapping.mode': 'name', 'delta.constraints.pos': '`a` > 0' },
      });
      const e = await expectDeltaError(
        t2.alter({ kind: 'renameColumn', from: 'a', to: 'z' }),
        'UNSUPPORTED_OPERATION',
      );
      expect(e.message).toContain('pos');
      const e2 = await expectDeltaError(
        t2.alter({ kind: 'dropColumns', columns: ['AB'] }),
        'UNSUPPORTED_OPERATION',
      );
      expect(e2.message).toContain('generated column g');
      await t2.alter({ kind: 'dropColumns', columns: ['g'] });
      await t2.alter({ kind: 'renameColumn', from: 'ab', to: 'b' });
      expect((await t2.snapshot()).schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    } finally {
      await removeDir(dir2);
    }
  });

  it('refuses constraints through SET/UNSET TBLPROPERTIES', async () => {
    for (const op of [
      { kind: 'setProperties', properties: { 'delta.constraints.c': 'amount > 100' } },
      { kind: 'unsetProperties', keys: ['delta.constraints.c'], ifExists: true },
    ] as const) {
      const e = await expectDeltaError(fx.table.alter(op), 'INVALID_ARGUMENT');
      expect(e.message).toContain('CONSTRAINT');
    }
  });

  it('DROP CONSTRAINT removes it (and says when it does not exist)', async () => {
    await fx.table.alter({ kind: 'addConstraint', name: 'Positive', expr: 'amount > 0' });
    await expectDeltaError(
      fx.table.alter({ kind: 'addConstraint', name: 'positive', expr: 'amount > 1' }),
      'INVALID_ARGUMENT',
    );
    await fx.table.alter({ kind: 'dropConstraint', name: 'POSITIVE' });
    expect((await fx.table.snapshot()).metadata.configuration['delta.constraints.positive']).toBeUndefined();
    const [h] = await fx.table.history(1);
    expect(h).toMatchObject({ operation: 'DROP CONSTRAINT', operationParameters: { name: 'POSITIVE' } });
    await expectDeltaError(fx.table.alter({ kind: 'dropConstraint', name: 'positive' }), 'INVALID_ARGUMENT');
    const v = (await fx.table.snapshot()).version;
    await fx.table.alter({ kind: 'dropConstraint', name: 'positive', ifExists: true });
    await fx.table.write('SELECT 9 AS id, -1 AS amount', { mode: 'append' });
    expect((await fx.table.snapshot()).version).toBe(v + 2);
  });
});

describe('generated columns', () => {
  beforeEach(async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('a', int, true),
        T.field('b', long, true, { 'delta.generationExpression': 'a * 2 + 1' }),
      ]),
    });
  });

  it('marks the protocol with generatedColumns (writer 4)', async () => {
    const s = await fx.table.snapshot();
    expect(s.protocol.minWriterVersion).toBeGreaterThanOrEqual(4);
  });

  it('computes an omitted generated column from the row', async () => {
    await fx.table.write('SELECT * FROM (VALUES (1), (5), (NULL)) AS v(a)', { mode: 'append' });
    expect(await rows(['a'])).toEqual([
      { a: 1, b: 3 },
      { a: 5, b: 11 },
      { a: null, b: null },
    ]);
  });

  it('sees columns the data leaves out as NULL', async () => {
    const dir2 = await tempDir();
    try {
      const t2 = tableAt(fx.ctx, dir2);
      await t2.create({
        schema: T.struct([
          T.field('a', int),
          T.field('c', int),
          T.field('s', long, true, { 'delta.generationExpression': 'coalesce(a, 0) + coalesce(c, 100)' }),
        ]),
      });
      await t2.write('SELECT 1 AS a', { mode: 'append' });
      expect(plain(await t2.toArray())).toEqual([{ a: 1, c: null, s: 101 }]);
    } finally {
      await removeDir(dir2);
    }
  });

  it('accepts supplied values equal to the expression and rejects others, naming column and value', async () => {
    await fx.table.write('SELECT 2 AS a, 5 AS b', { mode: 'append' });
    const before = (await fx.table.snapshot()).version;
    const e = await expectDeltaError(
      fx.table.write('SELECT * FROM (VALUES (3, 7), (4, 42)) AS v(a, b)', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain('Generated Column');
    expect(e.message).toContain('42');
    expect(e.message).toContain('9');
    expect((await fx.table.snapshot()).version).toBe(before);
    expect(await rows(['a'])).toEqual([{ a: 2, b: 5 }]);
  });
});

describe('recomputing generated columns for rewrites', () => {
  it('replaces stale generated values from the row', async () => {
    const schema = T.struct([
      T.field('a', int),
      T.field('b', long, true, { 'delta.generationExpression': 'a * 2 + 1' }),
    ]);
    const sql = withRecomputedGeneratedColumns('SELECT 5 AS a, 0::BIGINT AS b', schema, toDuckType)!;
    const result = await fx.engine.query(sql);
    expect(result.rows.map((r) => r.map(Number))).toEqual([[5, 11]]);
    expect(withRecomputedGeneratedColumns('SELECT 1 AS a', T.struct([T.field('a', int)]), toDuckType)).toBe(
      undefined,
    );
  });
});

describe('Spark date functions in generation expressions', () => {
  it('evaluates to_date and date_format as Spark does', async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('ts', T.primitive('timestamp_ntz')),
        T.field('d', T.primitive('date'), true, { 'delta.generationExpression': 'to_date(ts)' }),
        T.field('m', T.primitive('string'), true, {
          'delta.generationExpression': "date_format(ts, 'yyyy-MM')",
        }),
      ]),
    });
    await fx.table.write("SELECT TIMESTAMP '2024-03-05 10:11:12' AS ts", { mode: 'append' });
    const [row] = await fx.table.toArray();
    expect(String(row!.d)).toBe('2024-03-05');
    expect(row!.m).toBe('2024-03');
  });
});

describe('generation expression checks at create', () => {
  it('refuses expressions that reference unknown or generated columns, or are not deterministic', async () => {
    const create = (expr: string) =>
      fx.table.create({
        schema: T.struct([
          T.field('a', int),
          T.field('g1', long, true, { 'delta.generationExpression': 'a + 1' }),
          T.field('g2', long, true, { 'delta.generationExpression': expr }),
        ]),
      });
    for (const expr of ['nope + 1', 'g1 * 2', 'a + random()']) {
      const e = await expectDeltaError(create(expr), 'INVALID_SCHEMA');
      expect(e.message).toContain("'g2'");
    }
    expect(await fx.table.exists()).toBe(false);
  });
});

describe('column nullability', () => {
  it('SET NOT NULL checks existing rows; DROP NOT NULL relaxes it', async () => {
    await fx.table.write('SELECT * FROM (VALUES (1, NULL), (2, 3)) AS v(id, x)', { mode: 'errorIfExists' });
    const e = await expectDeltaError(
      fx.table.alter({ kind: 'setColumnNullability', column: 'X', nullable: false }),
      'CONSTRAINT_VIOLATION',
    );
    expect(e.message).toContain("'x'");
    await fx.table.alter({ kind: 'setColumnNullability', column: 'id', nullable: false });
    expect((await fx.table.snapshot()).schema.fields[0]!.nullable).toBe(false);
    await expectDeltaError(
      fx.table.write('SELECT NULL::INT AS id, 1 AS x', { mode: 'append' }),
      'CONSTRAINT_VIOLATION',
    );
    await fx.table.alter({ kind: 'setColumnNullability', column: 'id', nullable: true });
    await fx.table.write('SELECT NULL::INT AS id, 1 AS x', { mode: 'append' });
    expect((await rows(['x'])).length).toBe(3);
  });
});

describe('identity columns', () => {
  const identity = (always: boolean, start = 1, step = 1) => ({
    'delta.identity.start': start,
    'delta.identity.step': step,
    'delta.identity.allowExplicitInsert': !always,
  });

  it('assigns unique values by step from the start and records the high-water mark', async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('id', long, true, identity(true, 10, 5)),
        T.field('name', T.primitive('string')),
      ]),
    });
    expect((await fx.table.snapshot()).protocol.minWriterVersion).toBeGreaterThanOrEqual(6);
    const r = await fx.table.write(`SELECT * FROM (VALUES ('a'), ('b'), ('c')) AS v(name)`, {
      mode: 'append',
    });
    const meta = (await commitActions(fx.dir, r.version)).find((a) => a.kind === 'metaData');
    expect(meta?.kind === 'metaData' && meta.schemaString).toContain('"delta.identity.highWaterMark":20');
    let field = (await fx.table.snapshot()).schema.fields[0]!;
    expect(field.metadata['delta.identity.highWaterMark']).toBe(20);
    await fx.table.write(`SELECT 'd' AS name`, { mode: 'append' });
    field = (await fx.table.snapshot()).schema.fields[0]!;
    expect(field.metadata['delta.identity.highWaterMark']).toBe(25);
    const ids = (await rows(['id'])).map((x) => x.id);
    expect(ids).toEqual([10, 15, 20, 25]);
  });

  it('never hands out the same value to concurrent writers', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', long, true, identity(true)), T.field('x', int)]),
    });
    const other = tableAt(fx.ctx, fx.dir);
    const results = await Promise.allSettled([
      fx.table.write('SELECT range::INT AS x FROM range(3)', { mode: 'append' }),
      other.write('SELECT range::INT AS x FROM range(3)', { mode: 'append' }),
    ]);
    for (const r of results) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/concurrent|conflict|metadata/i);
    }
    const ids = (await rows(['id'])).map((x) => x.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('GENERATED ALWAYS rejects supplied values; nothing is written', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', long, true, identity(true)), T.field('x', int)]),
    });
    const before = (await fx.table.snapshot()).version;
    const e = await expectDeltaError(
      fx.table.write('SELECT 7 AS id, 1 AS x', { mode: 'append' }),
      'INVALID_ARGUMENT',
    );
    expect(e.message).toContain("'id'");
    expect((await fx.table.snapshot()).version).toBe(before);
  });

  it('BY DEFAULT accepts supplied values and fills omitted ones', async () => {
    await fx.table.create({
      schema: T.struct([T.field('id', long, true, identity(false, 1, 1)), T.field('x', int)]),
    });
    await fx.table.write('SELECT 100 AS id, 1 AS x', { mode: 'append' });
    await fx.table.write('SELECT 2 AS x', { mode: 'append' });
    expect(await rows(['x'])).toEqual([
      { id: 100, x: 1 },
      { id: 1, x: 2 },
    ]);
  });

  it('refuses a non-BIGINT identity column at create', async () => {
    await expectDeltaError(
      fx.table.create({ schema: T.struct([T.field('id', int, true, identity(true)), T.field('x', int)]) }),
      'INVALID_SCHEMA',
    );
  });
});
