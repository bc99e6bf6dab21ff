import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  escapePathName,
  HIVE_DEFAULT_PARTITION,
  parsePartitionValue,
  partitionPath,
  partitionValueToSqlLiteral,
  serializePartitionValue,
  unescapePathName,
} from './partition-values.js';
import { DataType, type PrimitiveTypeName } from './types.js';

const t = (name: PrimitiveTypeName) => DataType.primitive(name);
const dec = DataType.decimal;

describe('parsePartitionValue', () => {
  it('treats null, missing and empty as null for every type', () => {
    for (const name of ['string', 'integer', 'date', 'timestamp', 'binary'] as const) {
      expect(parsePartitionValue(null, t(name))).toBeNull();
      expect(parsePartitionValue(undefined, t(name))).toBeNull();
      expect(parsePartitionValue('', t(name))).toBeNull();
    }
    // The string 'null' is a value, not a null.
    expect(parsePartitionValue('null', t('string'))).toBe('null');
  });

  it('parses numbers with range checks', () => {
    expect(parsePartitionValue('-128', t('byte'))).toBe(-128);
    expect(parsePartitionValue('32767', t('short'))).toBe(32767);
    expect(parsePartitionValue('-2147483648', t('integer'))).toBe(-2147483648);
    expect(parsePartitionValue('9223372036854775807', t('long'))).toBe(9223372036854775807n);
    expect(parsePartitionValue('1.5', t('double'))).toBe(1.5);
    expect(parsePartitionValue('1.0E10', t('double'))).toBe(1e10);
    expect(parsePartitionValue('NaN', t('double'))).toBeNaN();
    expect(parsePartitionValue('-Infinity', t('float'))).toBe(Number.NEGATIVE_INFINITY);
    expect(parsePartitionValue('0.1', t('float'))).toBe(Math.fround(0.1));
    expect(() => parsePartitionValue('128', t('byte'))).toThrow(
      /'128' is not a valid byte: expected an integer in -128\.\.127/,
    );
    expect(() => parsePartitionValue('1.5', t('integer'))).toThrow(/'1\.5' is not a valid integer/);
    expect(() => parsePartitionValue('9223372036854775808', t('long'))).toThrow(/64-bit/);
    expect(() => parsePartitionValue('0x10', t('double'))).toThrow(/'0x10'/);
  });

  it('parses booleans, dates and binary', () => {
    expect(parsePartitionValue('true', t('boolean'))).toBe(true);
    expect(parsePartitionValue('FALSE', t('boolean'))).toBe(false);
    expect(() => parsePartitionValue('yes', t('boolean'))).toThrow(/'true' or 'false'/);
    expect(parsePartitionValue('1970-01-02', t('date'))).toBe(1);
    expect(parsePartitionValue('1969-12-31', t('date'))).toBe(-1);
    expect(parsePartitionValue('2021-09-08', t('date'))).toBe(18878);
    expect(parsePartitionValue('0001-01-01', t('date'))).toBe(-719162);
    expect(() => parsePartitionValue('2021-02-30', t('date'))).toThrow(/YYYY-MM-DD/);
    expect(parsePartitionValue('\u0001\u0002é', t('binary'))).toEqual(new Uint8Array([1, 2, 0xc3, 0xa9]));
  });

  it('parses timestamps: zone-less as UTC, ISO with Z or an offset, and truncates to microseconds', () => {
    const ts = t('timestamp');
    expect(parsePartitionValue('1970-01-01 00:00:00', ts)).toBe(0n);
    expect(parsePartitionValue('1970-01-01 00:00:00.123456', ts)).toBe(123456n);
    expect(parsePartitionValue('2021-09-08 11:11:11', ts)).toBe(1631099471000000n);
    // The kernel fixture timestamp-partitioned-table writes this form.
    expect(parsePartitionValue('1971-07-22T03:06:40.000000Z', ts)).toBe(49000000000000n);
    expect(parsePartitionValue('1970-01-01T01:00:00+01:00', ts)).toBe(0n);
    expect(parsePartitionValue('1969-12-31T19:00:00.5-0500', ts)).toBe(500000n);
    expect(parsePartitionValue('1970-01-01 00:00:00.1234569', ts)).toBe(123456n);
    expect(() => parsePartitionValue('1970-01-01 25:00:00', ts)).toThrow(/ISO-8601/);
  });

  it('parses timestamp_ntz as wall-clock time and refuses a zone', () => {
    const ntz = t('timestamp_ntz');
    expect(parsePartitionValue('2021-01-01 12:00:00.5', ntz)).toBe(1609502400500000n);
    expect(() => parsePartitionValue('2021-01-01 12:00:00Z', ntz)).toThrow(/without a time zone/);
  });

  it('parses decimals to exactly scale digits, rounding half up and checking precision', () => {
    expect(parsePartitionValue('1.5', dec(10, 2))).toBe('1.50');
    expect(parsePartitionValue('-0.005', dec(5, 2))).toBe('-0.01');
    expect(parsePartitionValue('0', dec(1, 0))).toBe('0');
    expect(parsePartitionValue('1.2E3', dec(6, 1))).toBe('1200.0');
    expect(parsePartitionValue('-0.00', dec(4, 2))).toBe('0.00');
    expect(parsePartitionValue('123456789012345678901234567890.12345678', dec(38, 8))).toBe(
      '123456789012345678901234567890.12345678',
    );
    expect(() => parsePartitionValue('1000', dec(5, 2))).toThrow(/at most 3 digits before the point/);
    expect(() => parsePartitionValue('abc', dec(5, 2))).toThrow(/'abc' is not a valid decimal\(5,2\)/);
  });

  it('reads every partition value of data-reader-partition-values with its schema type', () => {
    const log = '/work/shared/delta-fixtures/tables/data-reader-partition-values/delta/_delta_log';
    let checked = 0;
    for (const file of readdirSync(log).filter((f) => f.endsWith('.json'))) {
      const lines = readFileSync(join(log, file), 'utf8').split('\n').filter(Boolean);
      const actions = lines.map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
      const meta = actions.find((a) => a['metaData'])?.['metaData'];
      if (meta === undefined) continue;
      const fields = (
        JSON.parse(meta['schemaString'] as string) as { fields: { name: string; type: unknown }[] }
      ).fields;
      const typeOf = (name: string): DataType => {
        const raw = fields.find((f) => f.name === name)!.type as string;
        const m = /^decimal\((\d+),(\d+)\)$/.exec(raw);
        return m ? dec(Number(m[1]), Number(m[2])) : t(raw as PrimitiveTypeName);
      };
      for (const a of actions) {
        const pv = a['add']?.['partitionValues'] as Record<string, string | null> | undefined;
        for (const [col, raw] of Object.entries(pv ?? {})) {
          const type = typeOf(col);
          const value = parsePartitionValue(raw, type);
          expect(value === null).toBe(raw === null);
          expect(partitionValueToSqlLiteral(raw, type)).toBeTypeOf('string');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('serializePartitionValue', () => {
  it.each([
    [42, t('integer'), '42'],
    [2n ** 40n, t('long'), '1099511627776'],
    [1, t('double'), '1.0'],
    [1e7, t('double'), '1.0E7'],
    [1.5e-5, t('double'), '1.5E-5'],
    [0.1, t('float'), '0.1'],
    [Number.NaN, t('double'), 'NaN'],
    [true, t('boolean'), 'true'],
    [18878, t('date'), '2021-09-08'],
    ['2021-9-8', t('date'), '2021-09-08'],
    [123456n, t('timestamp'), '1970-01-01T00:00:00.123456Z'],
    ['2021-09-08 11:11:11', t('timestamp'), '2021-09-08T11:11:11.000000Z'],
    [-1n, t('timestamp_ntz'), '1969-12-31 23:59:59.999999'],
    ['1.5', dec(10, 2), '1.50'],
    [new Uint8Array([1, 2, 3]), t('binary'), '\u0001\u0002\u0003'],
    ['', t('string'), null],
    [null, t('integer'), null],
  ] as const)('%s as %o -> %j', (value, type, expected) => {
    expect(serializePartitionValue(value, type)).toBe(expected);
  });

  it('round-trips through parse for every type', () => {
    const cases: [string, DataType][] = [
      ['-5', t('byte')],
      ['1.25', t('double')],
      ['false', t('boolean')],
      ['0044-03-15', t('date')],
      ['2024-02-29T23:59:59.999999Z', t('timestamp')],
      ['2024-02-29 23:59:59.000001', t('timestamp_ntz')],
      ['-12.340', dec(8, 3)],
      ['a b', t('string')],
    ];
    for (const [raw, type] of cases) {
      expect(serializePartitionValue(parsePartitionValue(raw, type), type)).toBe(raw);
    }
  });
});

describe('partitionValueToSqlLiteral', () => {
  it.each([
    [null, t('integer'), 'NULL::INTEGER'],
    ['', t('date'), 'NULL::DATE'],
    [null, t('void'), 'NULL'],
    ["it's", t('string'), "CAST('it''s' AS VARCHAR)"],
    ['42', t('integer'), 'CAST(42 AS INTEGER)'],
    ['-9223372036854775808', t('long'), 'CAST(-9223372036854775808 AS BIGINT)'],
    ['7', t('byte'), 'CAST(7 AS TINYINT)'],
    ['1.0', t('double'), "CAST('1.0' AS DOUBLE)"],
    ['0.1', t('float'), "CAST('0.1' AS FLOAT)"],
    ['NaN', t('double'), "CAST('NaN' AS DOUBLE)"],
    ['true', t('boolean'), 'true'],
    ['2021-01-01', t('date'), "CAST('2021-01-01' AS DATE)"],
    ['2021-09-08 11:11:11', t('timestamp'), "TIMESTAMPTZ '2021-09-08 11:11:11.000000+00'"],
    ['1971-07-22T03:06:40.000000Z', t('timestamp'), "TIMESTAMPTZ '1971-07-22 03:06:40.000000+00'"],
    ['2021-01-01T02:00:00+02:00', t('timestamp'), "TIMESTAMPTZ '2021-01-01 00:00:00.000000+00'"],
    ['2021-01-01 00:00:00.5', t('timestamp_ntz'), "TIMESTAMP '2021-01-01 00:00:00.500000'"],
    ['1.5', dec(10, 2), "CAST('1.50' AS DECIMAL(10,2))"],
    ["\u0001'\\", t('binary'), "CAST('\\x01\\x27\\x5C' AS BLOB)"],
  ] as const)('%j as %o -> %s', (raw, type, sql) => {
    expect(partitionValueToSqlLiteral(raw, type)).toBe(sql);
  });

  it('refuses complex partition types and bad values, naming them', () => {
    expect(() => partitionValueToSqlLiteral('x', DataType.array(t('string')))).toThrow(
      /array column cannot be a partition/,
    );
    expect(() => partitionValueToSqlLiteral('x', t('date'))).toThrow(/'x' is not a valid date/);
  });
});

describe('partition directories', () => {
  it('escapes the characters Spark escapes, and only those', () => {
    expect(escapePathName('a:b=c/d%e')).toBe('a%3Ab%3Dc%2Fd%25e');
    expect(escapePathName('"#\'*?\\{[]^\u007f\n')).toBe('%22%23%27%2A%3F%5C%7B%5B%5D%5E%7F%0A');
    expect(escapePathName('bar+ !}é<>|')).toBe('bar+ !}é<>|');
    expect(escapePathName('2021-09-08 11:11:11')).toBe('2021-09-08 11%3A11%3A11');
  });

  it('unescapes, leaving stray percent signs alone', () => {
    expect(unescapePathName('bar+%2522')).toBe('bar+%22');
    expect(unescapePathName('a%3Ab%zz%')).toBe('a:b%zz%');
    for (const s of ['a:b=c/d%e', 'x\u0001y', '%%']) expect(unescapePathName(escapePathName(s))).toBe(s);
  });

  it('builds the directory the escaped-chars fixture has on disk', () => {
    // Fixture data-reader-escaped-chars: value 'bar+%22' lives in directory '_2=bar+%2522'.
    expect(partitionPath([['_2', 'bar+%22']])).toBe('_2=bar+%2522');
    expect(
      partitionPath([
        ['as_timestamp', '2021-09-08 11:11:11'],
        ['as_int', null],
        ['s', ''],
      ]),
    ).toBe(
      `as_timestamp=2021-09-08 11%3A11%3A11/as_int=${HIVE_DEFAULT_PARTITION}/s=${HIVE_DEFAULT_PARTITION}`,
    );
  });
});
