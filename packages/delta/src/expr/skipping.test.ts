import { describe, expect, it } from 'vitest';
import type { AddFile } from '../actions/types.js';
import { DataType, type StructField, type StructType } from '../schema/types.js';
import { canSkipFile, pruneFiles, type SkippingContext } from './skipping.js';
import { Expr } from './types.js';

const P = DataType.primitive;
const f = (name: string, type: DataType, metadata: Record<string, unknown> = {}): StructField =>
  DataType.field(name, type, true, metadata);

let n = 0;
const file = (
  stats: unknown,
  partitionValues: Record<string, string | null> = {},
  asString = true,
): AddFile => ({
  kind: 'add',
  path: `f${n++}.parquet`,
  partitionValues,
  size: 100,
  modificationTime: 0,
  dataChange: true,
  ...(stats === undefined
    ? {}
    : asString
      ? { stats: typeof stats === 'string' ? stats : JSON.stringify(stats) }
      : { statsParsed: stats }),
});
const ctx = (
  fields: StructField[],
  partitionColumns: string[] = [],
  columnMappingMode: SkippingContext['columnMappingMode'] = 'none',
): SkippingContext => ({
  schema: DataType.struct(fields),
  partitionColumns,
  columnMappingMode,
});
const stats = (col: string, min: unknown, max: unknown, nullCount = 0, numRecords = 10) => ({
  numRecords,
  minValues: { [col]: min },
  maxValues: { [col]: max },
  nullCount: { [col]: nullCount },
});
const { col, lit } = Expr;

describe('comparisons on integer stats', () => {
  const c = ctx([f('x', P('integer'))]);
  const fl = file(stats('x', 10, 20));
  const cases: Array<[Expr, boolean]> = [
    [Expr.eq(col('x'), lit(5)), true],
    [Expr.eq(col('x'), lit(10)), false],
    [Expr.eq(col('x'), lit(20)), false],
    [Expr.eq(col('x'), lit(21)), true],
    [Expr.lt(col('x'), lit(10)), true],
    [Expr.lt(col('x'), lit(11)), false],
    [Expr.le(col('x'), lit(10)), false],
    [Expr.le(col('x'), lit(9)), true],
    [Expr.gt(col('x'), lit(20)), true],
    [Expr.gt(col('x'), lit(19)), false],
    [Expr.ge(col('x'), lit(20)), false],
    [Expr.ge(col('x'), lit(21)), true],
    [Expr.ne(col('x'), lit(15)), false],
    [Expr.gt(lit(10), col('x')), true], // 10 > x  ==  x < 10
    [Expr.lt(lit(19), col('x')), false],
    [Expr.between(col('x'), lit(21), lit(30)), true],
    [Expr.between(col('x'), lit(0), lit(10)), false],
    [Expr.in(col('x'), [lit(1), lit(2), lit(25)]), true],
    [Expr.in(col('x'), [lit(1), lit(15)]), false],
    [Expr.eq(col('x'), lit(15.5)), false], // may match: 15.5 is inside the bounds
    [Expr.gt(col('x'), lit('19')), false],
    [Expr.gt(col('x'), lit('20')), true], // a string literal is cast to the column type
  ];
  for (const [pred, skip] of cases) {
    it(`${JSON.stringify(pred, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))} -> ${skip ? 'skip' : 'keep'}`, () => {
      expect(canSkipFile(pred, fl, c)).toBe(skip);
    });
  }
  it('!= skips only a file whose values all equal the literal', () => {
    expect(canSkipFile(Expr.ne(col('x'), lit(7)), file(stats('x', 7, 7)), c)).toBe(true);
    expect(canSkipFile(Expr.ne(col('x'), lit(7)), file(stats('x', 7, 8)), c)).toBe(false);
  });
});

describe('NULL semantics', () => {
  const c = ctx([f('x', P('integer'))]);
  it('a comparison with NULL is never true', () => {
    expect(canSkipFile(Expr.eq(col('x'), lit(null)), file(stats('x', 1, 2)), c)).toBe(true);
    expect(canSkipFile(Expr.not(Expr.eq(col('x'), lit(null))), file(stats('x', 1, 2)), c)).toBe(true);
    expect(
      canSkipFile(
        Expr.or(Expr.eq(col('x'), lit(null)), Expr.eq(col('x'), lit(1))),
        file(stats('x', 1, 2)),
        c,
      ),
    ).toBe(false);
  });
  it('IS NULL uses nullCount', () => {
    expect(canSkipFile(Expr.isNull(col('x')), file(stats('x', 1, 2, 0)), c)).toBe(true);
    expect(canSkipFile(Expr.isNull(col('x')), file(stats('x', 1, 2, 3)), c)).toBe(false);
    expect(canSkipFile(Expr.isNull(col('x')), file({ numRecords: 5 }), c)).toBe(false);
  });
  it('an all-null column fails every comparison and IS NOT NULL', () => {
    const all = file({ numRecords: 4, minValues: {}, maxValues: {}, nullCount: { x: 4 } });
    expect(canSkipFile(Expr.isNotNull(col('x')), all, c)).toBe(true);
    expect(canSkipFile(Expr.ne(col('x'), lit(1)), all, c)).toBe(true);
    expect(canSkipFile(Expr.not(Expr.lt(col('x'), lit(1))), all, c)).toBe(true);
    expect(canSkipFile(Expr.isNull(col('x')), all, c)).toBe(false);
  });
  it('NOT IN with a NULL in the list is never true', () => {
    expect(canSkipFile(Expr.not(Expr.in(col('x'), [lit(5), lit(null)])), file(stats('x', 1, 9)), c)).toBe(
      true,
    );
    expect(canSkipFile(Expr.not(Expr.in(col('x'), [lit(5)])), file(stats('x', 1, 9)), c)).toBe(false);
    expect(canSkipFile(Expr.not(Expr.in(col('x'), [lit(5)])), file(stats('x', 5, 5)), c)).toBe(true);
  });
  it('empty files are skipped; files without stats are kept', () => {
    expect(canSkipFile(Expr.unknown('x'), file({ numRecords: 0 }), c)).toBe(true);
    expect(canSkipFile(Expr.eq(col('x'), lit(1)), file(undefined), c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('x'), lit(1)), file('not json'), c)).toBe(false);
  });
  it('WHERE false / NULL skips everything, WHERE true keeps everything', () => {
    expect(canSkipFile(lit(false), file(stats('x', 1, 2)), c)).toBe(true);
    expect(canSkipFile(lit(null), file(stats('x', 1, 2)), c)).toBe(true);
    expect(canSkipFile(lit(true), file(stats('x', 1, 2)), c)).toBe(false);
  });
});

describe('NOT is pushed through', () => {
  const c = ctx([f('x', P('integer')), f('y', P('integer'))]);
  const fl = file({
    numRecords: 10,
    minValues: { x: 10, y: 0 },
    maxValues: { x: 20, y: 5 },
    nullCount: { x: 0, y: 0 },
  });
  it('flips comparisons', () => {
    expect(canSkipFile(Expr.not(Expr.lt(col('x'), lit(30))), fl, c)).toBe(true); // x >= 30
    expect(canSkipFile(Expr.not(Expr.lt(col('x'), lit(20))), fl, c)).toBe(false); // x >= 20
    expect(canSkipFile(Expr.not(Expr.between(col('x'), lit(0), lit(25))), fl, c)).toBe(true);
    expect(canSkipFile(Expr.not(Expr.between(col('x'), lit(0), lit(15))), fl, c)).toBe(false);
  });
  it('applies De Morgan', () => {
    // NOT (x >= 10 OR y > 100) = x < 10 AND y <= 100
    expect(
      canSkipFile(Expr.not(Expr.or(Expr.ge(col('x'), lit(10)), Expr.gt(col('y'), lit(100)))), fl, c),
    ).toBe(true);
    // NOT (x > 15 AND y > 1) = x <= 15 OR y <= 1
    expect(
      canSkipFile(Expr.not(Expr.and(Expr.gt(col('x'), lit(15)), Expr.gt(col('y'), lit(1)))), fl, c),
    ).toBe(false);
    expect(canSkipFile(Expr.not(Expr.not(Expr.gt(col('x'), lit(20)))), fl, c)).toBe(true);
  });
  it('NOT of unknown stays unknown', () => {
    expect(canSkipFile(Expr.not(Expr.unknown('f(x)')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.and(Expr.unknown('f(x)'), Expr.gt(col('x'), lit(20))), fl, c)).toBe(true);
    expect(canSkipFile(Expr.or(Expr.unknown('f(x)'), Expr.gt(col('x'), lit(20))), fl, c)).toBe(false);
  });
  it('NOT IS NULL is IS NOT NULL', () => {
    expect(canSkipFile(Expr.not(Expr.isNull(col('x'))), fl, c)).toBe(false);
    expect(canSkipFile(Expr.not(Expr.isNotNull(col('x'))), fl, c)).toBe(true);
  });
});

describe('missing stats', () => {
  const c = ctx([f('x', P('integer')), f('y', P('integer')), f('z', P('integer'))]);
  it('a column without stats (beyond dataSkippingNumIndexedCols) may match', () => {
    const fl = file(stats('x', 1, 2));
    expect(canSkipFile(Expr.eq(col('y'), lit(100)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.isNull(col('y')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.and(Expr.eq(col('y'), lit(100)), Expr.eq(col('x'), lit(100))), fl, c)).toBe(true);
  });
  it('only min or only max still bounds one side', () => {
    const fl = file({ numRecords: 3, minValues: { x: 5 }, maxValues: {}, nullCount: {} });
    expect(canSkipFile(Expr.lt(col('x'), lit(5)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.gt(col('x'), lit(500)), fl, c)).toBe(false);
  });
  it('unknown columns and non-literal comparisons may match', () => {
    const fl = file(stats('x', 1, 2));
    expect(canSkipFile(Expr.eq(col('nope'), lit(100)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('x'), col('y')), fl, c)).toBe(false);
  });
  it('stats_parsed objects are used like JSON stats', () => {
    const fl = file(stats('x', 1, 2), {}, false);
    expect(canSkipFile(Expr.gt(col('x'), lit(2)), fl, c)).toBe(true);
  });
});

describe('decimals compare exactly', () => {
  const c = ctx([f('d', DataType.decimal(38, 18))]);
  it('beyond double precision in JSON stats', () => {
    // Both bounds are the same double; only exact comparison separates them from the literal.
    const raw =
      '{"numRecords":2,"minValues":{"d":12345678901234567890.000000000000000001},"maxValues":{"d":12345678901234567890.000000000000000002},"nullCount":{"d":0}}';
    const fl = file(raw);
    expect(
      canSkipFile(Expr.eq(col('d'), Expr.decimal('12345678901234567890.000000000000000003')), fl, c),
    ).toBe(true);
    expect(
      canSkipFile(Expr.eq(col('d'), Expr.decimal('12345678901234567890.000000000000000002')), fl, c),
    ).toBe(false);
    expect(
      canSkipFile(Expr.lt(col('d'), Expr.decimal('12345678901234567890.000000000000000001')), fl, c),
    ).toBe(true);
    expect(
      canSkipFile(Expr.le(col('d'), Expr.decimal('12345678901234567890.000000000000000001')), fl, c),
    ).toBe(false);
  });
  it('different scales', () => {
    const fl = file(stats('d', 1.5, 2.25));
    expect(canSkipFile(Expr.gt(col('d'), Expr.decimal('2.250000')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.gt(col('d'), Expr.decimal('2.249999')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('d'), lit(0.1)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('d'), lit(2n)), fl, c)).toBe(false);
  });
  it('rounded doubles from stats_parsed are widened, never trusted exactly', () => {
    // 0.1 + 0.2 has 17 significant digits: it may stand for a slightly different decimal.
    const fl = file(stats('d', 0.30000000000000004, 0.30000000000000004), {}, false);
    expect(canSkipFile(Expr.eq(col('d'), Expr.decimal('0.300000000000000044')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('d'), Expr.decimal('0.2999')), fl, c)).toBe(true);
  });
  it('longs beyond 2^53', () => {
    const cl = ctx([f('l', P('long'))]);
    const raw =
      '{"numRecords":1,"minValues":{"l":9007199254740993},"maxValues":{"l":9007199254740993},"nullCount":{"l":0}}';
    expect(canSkipFile(Expr.eq(col('l'), lit(9007199254740992n)), file(raw), cl)).toBe(true);
    expect(canSkipFile(Expr.eq(col('l'), lit(9007199254740993n)), file(raw), cl)).toBe(false);
  });
});

describe('floats', () => {
  const c = ctx([f('r', P('float')), f('d', P('double'))]);
  it('a float stat bounds the float value, not its decimal text', () => {
    // Float 0.1 is 0.100000001490116...; DuckDB may compare it as FLOAT (equal) or DOUBLE.
    const fl = file(stats('r', 0.1, 0.1));
    expect(canSkipFile(Expr.eq(col('r'), lit(0.1, P('double'))), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('r'), lit(0.1000000015, P('double'))), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('r'), lit(0.11, P('double'))), fl, c)).toBe(true);
  });
  it('a double widened from float reads old float stats with float widening', () => {
    const widened = ctx([
      f('d', P('double'), { 'delta.typeChanges': [{ fromType: 'float', toType: 'double' }] }),
    ]);
    const fl = file(stats('d', 0.1, 0.1));
    expect(canSkipFile(Expr.gt(col('d'), lit(0.1000000015)), fl, widened)).toBe(false);
    expect(canSkipFile(Expr.gt(col('d'), lit(0.1000000015)), fl, c)).toBe(true);
  });
  it('doubles', () => {
    const fl = file(stats('d', -1.5, 2.5));
    expect(canSkipFile(Expr.ge(col('d'), lit(2.5)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('d'), lit(2.5)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('d'), Expr.decimal('-1.5')), fl, c)).toBe(true);
  });
});

describe('strings', () => {
  const c = ctx([f('s', P('string'))]);
  it('compare in UTF-8 byte order', () => {
    // U+FF5E (EF BD 9E) sorts below U+1F600 (F0 9F 98 80) in UTF-8, above it in UTF-16.
    const fl = file(stats('s', '\uff5e', '\uff5e'));
    expect(canSkipFile(Expr.gt(col('s'), lit('😀')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('s'), lit('😀')), fl, c)).toBe(false);
    const emoji = file(stats('s', '😀', '😀'));
    expect(canSkipFile(Expr.lt(col('s'), lit('\uff5e')), emoji, c)).toBe(true);
  });
  it('a truncated max is only a prefix bound', () => {
    const long = 'a'.repeat(40);
    // Spark: the 32-character prefix plus a tie-breaker.
    const fl = file(stats('s', 'a', `${'a'.repeat(32)}\ufffd`));
    expect(canSkipFile(Expr.eq(col('s'), lit(long)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('s'), lit(`${'a'.repeat(32)}\uffff`)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('s'), lit('b')), fl, c)).toBe(true);
    // A writer that truncates without a tie-breaker: the true max is longer than the stat.
    const plain = file(stats('s', 'a', 'a'.repeat(32)));
    expect(canSkipFile(Expr.eq(col('s'), lit(long)), plain, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('s'), lit('a'.repeat(32))), plain, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('s'), lit(`${'a'.repeat(30)}b`)), plain, c)).toBe(true);
    // Short strings are exact.
    expect(canSkipFile(Expr.gt(col('s'), lit('a')), file(stats('s', 'a', 'a')), c)).toBe(true);
  });
  it('a truncated min is still a lower bound', () => {
    const fl = file(stats('s', 'm'.repeat(32), 'z'));
    expect(canSkipFile(Expr.lt(col('s'), lit('m'.repeat(32))), fl, c)).toBe(true);
    expect(canSkipFile(Expr.eq(col('s'), lit('m'.repeat(40))), fl, c)).toBe(false);
  });
  it('LIKE prefix', () => {
    const fl = file(stats('s', 'apple', 'banana'));
    expect(canSkipFile(Expr.like(col('s'), 'ap%'), fl, c)).toBe(false);
    expect(canSkipFile(Expr.like(col('s'), 'ba%'), fl, c)).toBe(false);
    expect(canSkipFile(Expr.like(col('s'), 'bb%'), fl, c)).toBe(true);
    expect(canSkipFile(Expr.like(col('s'), 'a%'), fl, c)).toBe(false);
    expect(canSkipFile(Expr.like(col('s'), 'aa%'), fl, c)).toBe(true);
    expect(canSkipFile(Expr.like(col('s'), 'c%'), fl, c)).toBe(true);
    expect(canSkipFile(Expr.like(col('s'), '%an%'), fl, c)).toBe(false); // not a prefix pattern
    expect(canSkipFile(Expr.like(col('s'), 'c_'), fl, c)).toBe(false);
    expect(canSkipFile(Expr.not(Expr.like(col('s'), 'a%')), file(stats('s', 'ab', 'az')), c)).toBe(true);
    expect(canSkipFile(Expr.not(Expr.like(col('s'), 'a%')), fl, c)).toBe(false);
  });
  it('LIKE against a truncated max', () => {
    const fl = file(stats('s', 'a', `${'k'.repeat(32)}\ufffd`));
    expect(canSkipFile(Expr.like(col('s'), `${'k'.repeat(35)}%`), fl, c)).toBe(false);
    expect(canSkipFile(Expr.like(col('s'), 'l%'), fl, c)).toBe(true);
  });
});

describe('dates and timestamps', () => {
  const c = ctx([f('d', P('date')), f('ts', P('timestamp')), f('ntz', P('timestamp_ntz'))]);
  it('dates', () => {
    const fl = file(stats('d', '2020-01-01', '2020-12-31'));
    expect(canSkipFile(Expr.lt(col('d'), Expr.date('2020-01-01')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.le(col('d'), Expr.date('2020-01-01')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('d'), lit('2020-12-31')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.ge(col('d'), Expr.timestamp('2020-12-31T00:00:01Z')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.ge(col('d'), Expr.timestamp('2020-12-31T00:00:00Z')), fl, c)).toBe(false);
  });
  it('timestamp max is truncated to ms: treat it as max + 1ms exclusive', () => {
    const fl = file(stats('ts', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:01.000Z'));
    expect(canSkipFile(Expr.gt(col('ts'), Expr.timestamp('2020-01-01T00:00:01.000Z')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('ts'), Expr.timestamp('2020-01-01T00:00:01.000999Z')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.ge(col('ts'), Expr.timestamp('2020-01-01T00:00:01.000999Z')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.ge(col('ts'), Expr.timestamp('2020-01-01T00:00:01.001Z')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.eq(col('ts'), Expr.timestamp('2020-01-01T00:00:01.000500Z')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.lt(col('ts'), Expr.timestamp('2020-01-01T00:00:00Z')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('ts'), Expr.timestamp(1577836800000001n)), fl, c)).toBe(false);
  });
  it('timestamp stats with offsets (Spark writes the session zone)', () => {
    const fl = file(stats('ts', '2000-01-01T00:00:00.000-08:00', '2000-01-01T00:00:00.000-08:00'));
    expect(canSkipFile(Expr.eq(col('ts'), Expr.timestamp('2000-01-01T08:00:00Z')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('ts'), Expr.timestamp('2000-01-01T00:00:00Z')), fl, c)).toBe(true);
  });
  it('timestamp_ntz', () => {
    const fl = file(stats('ntz', '2023-06-15T12:30:00.000', '2023-06-15T12:30:00.000'));
    expect(canSkipFile(Expr.eq(col('ntz'), Expr.timestampNtz('2023-06-15 12:30:00.000700')), fl, c)).toBe(
      false,
    );
    expect(canSkipFile(Expr.eq(col('ntz'), Expr.timestampNtz('2023-06-15 12:30:00.001')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('ntz'), lit('2023-06-15 12:30:00')), fl, c)).toBe(true);
  });
  it('sentinel dates far from the epoch (0001-01-01, 9999-12-31)', () => {
    const fl = file(stats('d', '2020-01-01', '9999-12-31'));
    expect(canSkipFile(Expr.lt(col('d'), Expr.date('2019-01-01')), fl, c)).toBe(true);
    expect(canSkipFile(Expr.eq(col('d'), Expr.date('9999-12-31')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.gt(col('d'), Expr.date('9999-12-30')), fl, c)).toBe(false);
    expect(canSkipFile(Expr.ge(col('d'), Expr.timestamp('9999-12-31T00:00:00.000001Z')), fl, c)).toBe(true);
    const old = file(stats('ts', '0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'));
    expect(canSkipFile(Expr.gt(col('ts'), Expr.timestamp('0001-01-01T00:00:00.000999Z')), old, c)).toBe(true);
    expect(canSkipFile(Expr.ge(col('ts'), Expr.timestamp(-62135596800000000n + 999n)), old, c)).toBe(false);
    expect(canSkipFile(Expr.lt(col('ts'), Expr.date('0001-01-01')), old, c)).toBe(true);
    const part: SkippingContext = { ...c, partitionColumns: ['d'] };
    expect(
      canSkipFile(Expr.eq(col('d'), Expr.date('9999-12-31')), file(undefined, { d: '9999-12-31' }), part),
    ).toBe(false);
    expect(
      canSkipFile(Expr.eq(col('d'), Expr.date('9999-12-30')), file(undefined, { d: '9999-12-31' }), part),
    ).toBe(true);
  });
  it('microsecond-precision stats are exact', () => {
    const fl = file(stats('ts', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:01.000000Z'));
    expect(canSkipFile(Expr.gt(col('ts'), Expr.timestamp('2020-01-01T00:00:01.000000Z')), fl, c)).toBe(true);
  });
});

describe('booleans', () => {
  const c = ctx([f('b', P('boolean'))]);
  it('uses min/max', () => {
    expect(canSkipFile(Expr.eq(col('b'), lit(true)), file(stats('b', false, false)), c)).toBe(true);
    expect(canSkipFile(Expr.eq(col('b'), lit(false)), file(stats('b', false, true)), c)).toBe(false);
    expect(canSkipFile(col('b'), file(stats('b', false, false)), c)).toBe(true);
    expect(canSkipFile(Expr.not(col('b')), file(stats('b', true, true)), c)).toBe(true);
  });
});

describe('partition columns', () => {
  const c = ctx([f('id', P('integer')), f('p', P('date')), f('q', P('string'))], ['p', 'q']);
  const a = file(stats('id', 1, 5), { p: '2021-01-01', q: 'x' });
  const b = file(stats('id', 6, 9), { p: '2021-01-02', q: null });
  const nostats = file(undefined, { p: '2021-01-03', q: '' });
  it('evaluates partition values exactly', () => {
    expect(canSkipFile(Expr.eq(col('p'), Expr.date('2021-01-01')), a, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('p'), Expr.date('2021-01-01')), b, c)).toBe(true);
    expect(canSkipFile(Expr.gt(col('p'), lit('2021-01-02')), nostats, c)).toBe(false);
    expect(canSkipFile(Expr.ne(col('p'), Expr.date('2021-01-01')), a, c)).toBe(true);
  });
  it('null partition values', () => {
    expect(canSkipFile(Expr.isNull(col('q')), a, c)).toBe(true);
    expect(canSkipFile(Expr.isNull(col('q')), b, c)).toBe(false);
    expect(canSkipFile(Expr.isNull(col('q')), nostats, c)).toBe(false);
    expect(canSkipFile(Expr.ne(col('q'), lit('x')), b, c)).toBe(true);
    expect(canSkipFile(Expr.isNotNull(col('q')), b, c)).toBe(true);
  });
  it('mixes partition and data predicates', () => {
    const pred = Expr.or(
      Expr.and(Expr.eq(col('q'), lit('x')), Expr.gt(col('id'), lit(4))),
      Expr.isNull(col('q')),
    );
    expect(pruneFiles({ ...c, files: [a, b, nostats] }, pred).files).toEqual([a, b, nostats]);
    const pred2 = Expr.and(Expr.eq(col('q'), lit('x')), Expr.gt(col('id'), lit(5)));
    const r = pruneFiles({ ...c, files: [a, b, nostats] }, pred2);
    expect(r).toMatchObject({ files: [], filesTotal: 3, filesScanned: 0, bytesTotal: 300, bytesScanned: 0 });
  });
  it('no predicate keeps everything', () => {
    expect(pruneFiles({ ...c, files: [a, b] }, undefined)).toMatchObject({ filesTotal: 2, filesScanned: 2 });
  });
});

describe('column mapping', () => {
  const phys = (name: string, id: number) => ({
    'delta.columnMapping.id': id,
    'delta.columnMapping.physicalName': name,
  });
  const schema: StructType = DataType.struct([
    f('id', P('long'), phys('col-1', 1)),
    f('s', DataType.struct([f('inner', P('integer'), phys('col-3', 3))]), phys('col-2', 2)),
    f('part', P('integer'), phys('col-4', 4)),
  ]);
  const c: SkippingContext = { schema, partitionColumns: ['part'], columnMappingMode: 'name' };
  const fl = file(
    {
      numRecords: 3,
      minValues: { 'col-1': 10, 'col-2': { 'col-3': 100 } },
      maxValues: { 'col-1': 20, 'col-2': { 'col-3': 200 } },
      nullCount: { 'col-1': 0, 'col-2': { 'col-3': 0 } },
    },
    { 'col-4': '7' },
  );
  it('reads stats by physical name, nested', () => {
    expect(canSkipFile(Expr.gt(col('id'), lit(20)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.gt(col('ID'), lit(19)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.lt(col('s.inner'), lit(100)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.lt(col('s', 'inner'), lit(101)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.isNull(col('s.inner')), fl, c)).toBe(true);
  });
  it('reads partition values by physical name', () => {
    expect(canSkipFile(Expr.eq(col('part'), lit(7)), fl, c)).toBe(false);
    expect(canSkipFile(Expr.eq(col('part'), lit(8)), fl, c)).toBe(true);
  });
  it('logical names in stats are not used under column mapping', () => {
    const logical = file(stats('id', 10, 20));
    expect(canSkipFile(Expr.gt(col('id'), lit(20)), logical, c)).toBe(false);
  });
});

describe('deletion vectors and wide bounds', () => {
  const c = ctx([f('x', P('integer'))]);
  const dv = { storageType: 'u', pathOrInlineDv: 'ab', offset: 1, sizeInBytes: 10, cardinality: 2 } as const;
  it('min/max still bound the live rows', () => {
    const fl = { ...file({ ...stats('x', 1, 5), tightBounds: false }), deletionVector: dv } as AddFile;
    expect(canSkipFile(Expr.gt(col('x'), lit(5)), fl, c)).toBe(true);
    expect(canSkipFile(Expr.gt(col('x'), lit(4)), fl, c)).toBe(false);
  });
  it('a zero null count holds, an all-null count is not trusted', () => {
    const noNulls = file({ ...stats('x', 1, 5, 0, 4), tightBounds: false });
    expect(canSkipFile(Expr.isNull(col('x')), noNulls, c)).toBe(true);
    const allNull = file({
      numRecords: 4,
      minValues: {},
      maxValues: {},
      nullCount: { x: 4 },
      tightBounds: false,
    });
    expect(canSkipFile(Expr.isNotNull(col('x')), allNull, c)).toBe(false);
  });
});
