import { type DataType, DeltaError, type StructType, DataType as T } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { canUpcast, planWriteSchema } from './write-schema.js';

const long = T.primitive('long');
const int = T.primitive('integer');
const str = T.primitive('string');
const struct = (...fields: [string, DataType, boolean?][]): StructType =>
  T.struct(fields.map(([n, t, nullable]) => T.field(n, t, nullable ?? true)));
const sqlType = (t: DataType): string => (t.kind === 'primitive' ? t.name.toUpperCase() : 'X');

function schemaError(fn: () => unknown): DeltaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e;
  }
  throw new Error('expected a DeltaError');
}

describe('canUpcast', () => {
  it('allows widening and refuses narrowing', () => {
    expect(canUpcast(int, long)).toBe(true);
    expect(canUpcast(long, int)).toBe(false);
    expect(canUpcast(T.primitive('float'), T.primitive('double'))).toBe(true);
    expect(canUpcast(int, T.decimal(10, 0))).toBe(true);
    expect(canUpcast(long, T.decimal(10, 0))).toBe(false);
    expect(canUpcast(T.decimal(5, 2), T.decimal(10, 3))).toBe(true);
    expect(canUpcast(T.decimal(5, 2), T.decimal(5, 3))).toBe(false);
    expect(canUpcast(str, int)).toBe(false);
    expect(canUpcast(T.primitive('date'), T.primitive('timestamp'))).toBe(true);
  });
});

describe('planWriteSchema', () => {
  it('matches columns by name case-insensitively and fills missing nullable columns with NULL', () => {
    const plan = planWriteSchema({
      table: struct(['id', long], ['name', str], ['extra', str]),
      source: struct(['NAME', str], ['ID', int]),
      mergeSchema: false,
      sqlType,
    });
    expect(plan.changed).toBe(false);
    expect(plan.selectList).toBe(
      'CAST(src."ID" AS LONG) AS "id", src."NAME" AS "name", CAST(NULL AS STRING) AS "extra"',
    );
  });

  it('rejects an extra column naming it, its type and mergeSchema', () => {
    const e = schemaError(() =>
      planWriteSchema({
        table: struct(['id', long]),
        source: struct(['id', long], ['score', int]),
        mergeSchema: false,
        sqlType,
      }),
    );
    expect(e.code).toBe('SCHEMA_MISMATCH');
    expect(e.message).toContain("'score'");
    expect(e.message).toContain('INT');
    expect(e.message).toContain('mergeSchema');
  });

  it('rejects an incompatible type naming both types and overwriteSchema', () => {
    const e = schemaError(() =>
      planWriteSchema({
        table: struct(['amount', T.decimal(18, 2)]),
        source: struct(['amount', str]),
        mergeSchema: false,
        sqlType,
      }),
    );
    expect(e.message).toContain(
      "column 'amount' has type STRING in the data, the table expects DECIMAL(18,2)",
    );
    expect(e.message).toContain('overwriteSchema');
  });

  it('suggests mergeSchema for a widening and applies it with mergeSchema', () => {
    const input = { table: struct(['n', int]), source: struct(['n', long]), sqlType };
    const e = schemaError(() => planWriteSchema({ ...input, mergeSchema: false }));
    expect(e.message).toContain('BIGINT');
    expect(e.message).toContain('INT');
    expect(e.message).toContain('mergeSchema');
    const plan = planWriteSchema({ ...input, mergeSchema: true });
    expect(plan.typeWidened).toBe(true);
    expect(plan.schema.fields[0]?.type).toEqual(long);
    expect(plan.schema.fields[0]?.metadata['delta.typeChanges']).toEqual([
      { fromType: 'integer', toType: 'long' },
    ]);
  });

  it('adds new columns at the end, nullable, with mergeSchema', () => {
    const plan = planWriteSchema({
      table: struct(['id', long, false]),
      source: struct(['new', str], ['id', long]),
      mergeSchema: true,
      sqlType,
    });
    expect(plan.changed).toBe(true);
    expect(plan.schema.fields.map((f) => [f.name, f.nullable])).toEqual([
      ['id', false],
      ['new', true],
    ]);
    expect(plan.selectList).toContain('error(');
  });

  it('rejects a missing NOT NULL column and duplicate data columns', () => {
    expect(
      schemaError(() =>
        planWriteSchema({
          table: struct(['id', long, false]),
          source: struct(['x', long]),
          mergeSchema: true,
          sqlType,
        }),
      ).message,
    ).toContain("'id' is NOT NULL");
    expect(
      schemaError(() =>
        planWriteSchema({
          table: struct(['id', long]),
          source: struct(['id', long], ['ID', long]),
          mergeSchema: false,
          sqlType,
        }),
      ).message,
    ).toContain('more than once');
  });

  it('evolves nested struct fields with mergeSchema and refuses them without', () => {
    const table = struct(['s', struct(['a', int])]);
    const source = struct(['s', struct(['a', int], ['b', str])]);
    expect(
      schemaError(() => planWriteSchema({ table, source, mergeSchema: false, sqlType })).message,
    ).toContain("'s.b'");
    const plan = planWriteSchema({ table, source, mergeSchema: true, sqlType });
    expect(plan.schema.fields[0]?.type).toEqual(struct(['a', int], ['b', str]));
    expect(plan.selectList).toContain('struct_pack(');
  });
});
