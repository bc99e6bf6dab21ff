import { DataType } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import {
  deltaStatsFromDuckDb,
  parseColumnPath,
  parseTimestampMicros,
  statValue,
  truncateMaxString,
  truncateMinString,
} from './file-stats.js';
import { escapePathName, partitionDirectory, unescapePathName } from './hive-path.js';

const p = DataType.primitive;
const f = DataType.field;

describe('statValue', () => {
  it('rounds timestamp bounds outward to milliseconds', () => {
    expect(statValue('2021-01-01 10:00:00.123456+00', p('timestamp'), 'min')).toBe(
      '2021-01-01T10:00:00.123Z',
    );
    expect(statValue('2021-01-01 10:00:00.123456+00', p('timestamp'), 'max')).toBe(
      '2021-01-01T10:00:00.124Z',
    );
    expect(statValue('2021-01-01 10:00:00.123+00', p('timestamp'), 'max')).toBe('2021-01-01T10:00:00.123Z');
    expect(statValue('2021-01-01 12:00:00+02', p('timestamp'), 'min')).toBe('2021-01-01T10:00:00.000Z');
    expect(statValue('1969-12-31 23:59:59.9995', p('timestamp_ntz'), 'min')).toBe('1969-12-31T23:59:59.999');
    expect(statValue('1969-12-31 23:59:59.9995', p('timestamp_ntz'), 'max')).toBe('1970-01-01T00:00:00.000');
  });

  it('keeps numbers exact or omits them', () => {
    expect(statValue('9007199254740993', p('long'), 'max')).toBeUndefined();
    expect(statValue('-12', p('integer'), 'min')).toBe(-12);
    expect(statValue('1.25', DataType.decimal(10, 2), 'min')).toBe(1.25);
    expect(statValue('12345678901234567.89', DataType.decimal(38, 2), 'min')).toBeUndefined();
    expect(statValue('inf', p('double'), 'max')).toBeUndefined();
    expect(statValue('1', p('boolean'), 'max')).toBeUndefined();
    expect(statValue('6162', p('binary'), 'max')).toBeUndefined();
    expect(statValue('2021-01-01', p('date'), 'max')).toBe('2021-01-01');
  });

  it('truncates strings like delta-spark', () => {
    const long = 'a'.repeat(40);
    expect(truncateMinString(long)).toBe('a'.repeat(32));
    expect(truncateMaxString(long)).toBe(`${'a'.repeat(32)}\u007f`);
    expect(truncateMaxString(`${'a'.repeat(32)}é`)).toBe(`${'a'.repeat(32)}\u{10ffff}`);
    expect(truncateMaxString(`${'a'.repeat(32)}\u{10ffff}\u{10ffff}b`)).toBe(
      `${'a'.repeat(32)}\u{10ffff}\u{10ffff}\u007f`,
    );
    expect(truncateMaxString('\u{10ffff}'.repeat(70))).toBeUndefined();
    expect(truncateMaxString('short')).toBe('short');
    // Code points, not UTF-16 units.
    expect(truncateMinString('😀'.repeat(33))).toBe('😀'.repeat(32));
  });

  it('parses DuckDB timestamp text', () => {
    expect(parseTimestampMicros('1970-01-01 00:00:00.000001+00')).toBe(1n);
    expect(parseTimestampMicros('0001-01-01 00:00:00')).toBe(-62135596800000000n);
    expect(parseTimestampMicros('infinity')).toBeUndefined();
  });
});

describe('deltaStatsFromDuckDb', () => {
  const fields = [
    f('a', p('long')),
    f('s', DataType.struct([f('b', p('string')), f('c', p('long'))])),
    f('l', DataType.array(p('long'))),
    f('d', p('long')),
  ];
  const stats = {
    '"a"': { min: '1', max: '5', null_count: '0' },
    '"s"."b"': { min: 'x', max: 'y', null_count: '2' },
    '"s"."c"': { null_count: '3' },
    '"l"."element"': { min: '0', max: '9', null_count: '0' },
    '"d"': { min: '7', max: '7', null_count: '0' },
  };

  it('nests struct fields and skips lists', () => {
    expect(deltaStatsFromDuckDb(5, stats, fields, 'none')).toEqual({
      numRecords: 5,
      minValues: { a: 1, s: { b: 'x' }, d: 7 },
      maxValues: { a: 5, s: { b: 'y' }, d: 7 },
      nullCount: { a: 0, s: { b: 2, c: 3 }, d: 0 },
    });
  });

  it('counts leaves for numIndexedCols (a list is one leaf)', () => {
    expect(deltaStatsFromDuckDb(5, stats, fields, 'none', { numIndexedCols: 3 }).nullCount).toEqual({
      a: 0,
      s: { b: 2, c: 3 },
    });
    expect(deltaStatsFromDuckDb(5, stats, fields, 'none', { numIndexedCols: 0 }).nullCount).toEqual({});
    expect(deltaStatsFromDuckDb(5, stats, fields, 'none', { numIndexedCols: -1 }).nullCount).toEqual({
      a: 0,
      s: { b: 2, c: 3 },
      d: 0,
    });
  });

  it('parses stats column paths', () => {
    expect(parseColumnPath('a.b')).toEqual(['a', 'b']);
    expect(parseColumnPath('`a.b`.c')).toEqual(['a.b', 'c']);
    expect(deltaStatsFromDuckDb(5, stats, fields, 'none', { statsColumns: ['S.c'] }).nullCount).toEqual({
      s: { c: 3 },
    });
  });
});

describe('hive paths', () => {
  it('escapes like Spark', () => {
    expect(escapePathName('a b/c=d:e%f#?*[]{}^"\'\\\u0001é')).toBe(
      'a b%2Fc%3Dd%3Ae%25f%23%3F%2A%5B%5D%7B}%5E%22%27%5C%01é',
    );
    expect(unescapePathName('a b%2Fc%3Dd')).toBe('a b/c=d');
    expect(partitionDirectory(['x', 'y/z'], [null, ''])).toBe(
      'x=__HIVE_DEFAULT_PARTITION__/y%2Fz=__HIVE_DEFAULT_PARTITION__',
    );
  });
});
