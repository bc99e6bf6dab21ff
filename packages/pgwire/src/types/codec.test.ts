import { describe, expect, it } from 'vitest';
import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { formatArrayText, parseArrayText } from './array-text.js';
import { decodeBinary, encodeBinary } from './binary-codec.js';
import { daysFromCivil, formatTimestamptz, parseTimestampText } from './datetime.js';
import { readNumericBinary, writeNumericBinary } from './numeric.js';
import { allPgTypes, isArrayOid, numericTypmod, PgOid, pgTypeInfo, typlenOf } from './oids.js';
import { decodeText, encodeText } from './text-codec.js';
import { fixedOffset, timeZoneOffset } from './time-zone.js';
import type { PgValue } from './values.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

// [oid, JS value, text PostgreSQL 15 prints, binary PostgreSQL 15 sends (typsend)]
// Text and binary strings were produced by the real server (TimeZone UTC, DateStyle ISO).
const golden: [string, number, PgValue, string, string][] = [
  ['bool', PgOid.bool, true, 't', '01'],
  ['bool false', PgOid.bool, false, 'f', '00'],
  ['int2', PgOid.int2, -32768, '-32768', '8000'],
  ['int4', PgOid.int4, 2147483647, '2147483647', '7fffffff'],
  ['int8', PgOid.int8, -9223372036854775808n, '-9223372036854775808', '8000000000000000'],
  ['float4', PgOid.float4, Math.fround(0.1), '0.1', '3dcccccd'],
  ['float8', PgOid.float8, -1.5e-300, '-1.5e-300', '81b01297d23ab683'],
  ['float8 NaN', PgOid.float8, Number.NaN, 'NaN', '7ff8000000000000'],
  [
    'numeric',
    PgOid.numeric,
    '123456789.987654321',
    '123456789.987654321',
    '0006000200000009000109291a852694153803e8',
  ],
  ['numeric neg frac', PgOid.numeric, '-0.00012', '-0.00012', '0002ffff40000005000107d0'],
  ['numeric zero', PgOid.numeric, '0', '0', '0000000000000000'],
  ['numeric 1.50', PgOid.numeric, '1.50', '1.50', '000200000000000200011388'],
  ['numeric -12345.678', PgOid.numeric, '-12345.678', '-12345.678', '0003000140000003000109291a7c'],
  ['numeric 0.0001', PgOid.numeric, '0.0001', '0.0001', '0001ffff000000040001'],
  ['numeric 1e8', PgOid.numeric, '100000000', '100000000', '00010002000000000001'],
  ['numeric 0.00', PgOid.numeric, '0.00', '0.00', '0000000000000002'],
  [
    'numeric 1e-20',
    PgOid.numeric,
    '0.00000000000000000001',
    '0.00000000000000000001',
    '0001fffb000000140001',
  ],
  ['numeric NaN', PgOid.numeric, 'NaN', 'NaN', '00000000c0000000'],
  ['numeric Infinity', PgOid.numeric, 'Infinity', 'Infinity', '00000000d0000020'],
  ['numeric -Infinity', PgOid.numeric, '-Infinity', '-Infinity', '00000000f0000020'],
  ['text', PgOid.text, 'héllo', 'héllo', '68c3a96c6c6f'],
  ['varchar', PgOid.varchar, 'abc', 'abc', '616263'],
  ['bytea', PgOid.bytea, unhex('00ff'), '\\x00ff', '00ff'],
  ['date', PgOid.date, 19724, '2024-01-02', '0000223f'],
  ['date BC', PgOid.date, -719528, '0001-01-01 BC', 'fff4da8b'],
  ['date infinity', PgOid.date, Number.POSITIVE_INFINITY, 'infinity', '7fffffff'],
  ['date -infinity', PgOid.date, Number.NEGATIVE_INFINITY, '-infinity', '80000000'],
  ['timestamp', PgOid.timestamp, 1704164645100000n, '2024-01-02 03:04:05.1', '0002b0ec851779e0'],
  ['timestamp 1900', PgOid.timestamp, -2208988799999999n, '1900-01-01 00:00:00.000001', 'fff4c9ee7c0b8001'],
  ['timestamp BC', PgOid.timestamp, -63517780800000000n, '0044-03-15 12:00:00 BC', 'ff1af9e8fb46d000'],
  ['timestamp infinity', PgOid.timestamp, Number.POSITIVE_INFINITY, 'infinity', '7fffffffffffffff'],
  ['timestamptz', PgOid.timestamptz, 1704164645123456n, '2024-01-02 03:04:05.123456+00', '0002b0ec8517d580'],
  [
    'uuid',
    PgOid.uuid,
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    'a0eebc999c0b4ef8bb6d6bb9bd380a11',
  ],
  ['json', PgOid.json, '{"a": [1, 2]}', '{"a": [1, 2]}', '7b2261223a205b312c20325d7d'],
  [
    'jsonb',
    PgOid.jsonb,
    '{"a": [1, 2], "b": 1}',
    '{"a": [1, 2], "b": 1}',
    '017b2261223a205b312c20325d2c202262223a20317d',
  ],
  [
    'int4[]',
    PgOid._int4,
    [1, 2, null],
    '{1,2,NULL}',
    '000000010000000100000017000000030000000100000004000000010000000400000002ffffffff',
  ],
  ['int4[] empty', PgOid._int4, [], '{}', '000000000000000000000017'],
  [
    'int8[][]',
    PgOid._int8,
    [
      [1n, 2n],
      [3n, 4n],
    ],
    '{{1,2},{3,4}}',
    '00000002000000000000001400000002000000010000000200000001000000080000000000000001000000080000000000000002000000080000000000000003000000080000000000000004',
  ],
  [
    'text[]',
    PgOid._text,
    ['a', '', null],
    '{a,"",NULL}',
    '0000000100000001000000190000000300000001000000016100000000ffffffff',
  ],
  [
    'bool[]',
    PgOid._bool,
    [true, false],
    '{t,f}',
    '000000010000000000000010000000020000000100000001010000000100',
  ],
  [
    'float8[]',
    PgOid._float8,
    [1.5, Number.NaN, Number.NEGATIVE_INFINITY],
    '{1.5,NaN,-Infinity}',
    '0000000100000000000002bd0000000300000001000000083ff8000000000000000000087ff800000000000000000008fff0000000000000',
  ],
  [
    'numeric[]',
    PgOid._numeric,
    ['1.50', null],
    '{1.50,NULL}',
    '0000000100000001000006a400000002000000010000000c000200000000000200011388ffffffff',
  ],
  [
    'bytea[]',
    PgOid._bytea,
    [unhex('0102')],
    '{"\\\\x0102"}',
    '0000000100000000000000110000000100000001000000020102',
  ],
  [
    'timestamptz[]',
    PgOid._timestamptz,
    [1704164645000000n],
    '{"2024-01-02 03:04:05+00"}',
    '0000000100000000000004a00000000100000001000000080002b0ec8515f340',
  ],
  [
    'text[][]',
    PgOid._text,
    [
      ['a', 'b'],
      ['c', 'd e'],
    ],
    '{{a,b},{c,"d e"}}',
    '0000000200000000000000190000000200000001000000020000000100000001610000000162000000016300000003642065',
  ],
];

describe('type codecs against PostgreSQL 15 output', () => {
  it.each(golden)('%s: text output', (_name, oid, value, text) => {
    expect(encodeText(oid, value)).toBe(text);
  });

  it.each(golden)('%s: binary output', (_name, oid, value, _text, bin) => {
    expect(hex(encodeBinary(oid, value))).toBe(bin);
  });

  it.each(golden)('%s: text parameter decodes back to the value', (_name, oid, value, text) => {
    const r = decodeText(oid, text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(value);
  });

  it.each(golden)('%s: binary parameter decodes back to the value', (_name, oid, value, _text, bin) => {
    const r = decodeBinary(oid, unhex(bin));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(value);
  });

  it('quotes array elements exactly as array_out does', () => {
    const items = ['a b', '', null, 'NULL', 'x"y', 'b\\s', '{}', 'a,b', 'plain', 'null '];
    const text = '{"a b","",NULL,"NULL","x\\"y","b\\\\s","{}","a,b",plain,"null "}';
    expect(encodeText(PgOid._text, items)).toBe(text);
    expect(decodeText(PgOid._text, text)).toEqual({ ok: true, value: items });
    expect(formatArrayText(['a\tb', 'null', 'Null'])).toBe('{"a\tb","null","Null"}');
  });
});

describe('text parameter parsing', () => {
  it('parses booleans like parse_bool', () => {
    for (const t of ['t', 'TRUE', ' yes ', 'on', '1', 'tr', 'y'])
      expect(decodeText(PgOid.bool, t)).toEqual({ ok: true, value: true });
    for (const f of ['f', 'false', 'no', 'off', 'of', '0', 'n'])
      expect(decodeText(PgOid.bool, f)).toEqual({ ok: true, value: false });
    for (const bad of ['', 'o', 'maybe', '2', 'truex']) {
      expect(decodeText(PgOid.bool, bad)).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    }
  });

  it('checks integer syntax and ranges with PostgreSQL messages', () => {
    expect(decodeText(PgOid.int4, ' -42 ')).toEqual({ ok: true, value: -42 });
    expect(decodeText(PgOid.int8, '9223372036854775807')).toEqual({ ok: true, value: 9223372036854775807n });
    expect(decodeText(PgOid.int2, '32768')).toEqual({
      ok: false,
      error: { sqlstate: '22003', message: 'value "32768" is out of range for type smallint' },
    });
    expect(decodeText(PgOid.int8, `00000000000000000000000000${'1'}`)).toEqual({ ok: true, value: 1n });
    expect(decodeText(PgOid.int8, '9'.repeat(1_000_000))).toMatchObject({
      ok: false,
      error: { sqlstate: '22003' },
    });
    expect(decodeText(PgOid.int4, '1.5')).toEqual({
      ok: false,
      error: { sqlstate: '22P02', message: 'invalid input syntax for type integer: "1.5"' },
    });
  });

  it('normalizes numeric input like numeric_in', () => {
    const cases: [string, string][] = [
      ['1.5e2', '150'],
      ['1.23e1', '12.3'],
      ['.5', '0.5'],
      ['-0.0', '0.0'],
      ['00012.3400', '12.3400'],
      ['1e-3', '0.001'],
      [' +7 ', '7'],
      ['nan', 'NaN'],
      ['-inf', '-Infinity'],
    ];
    for (const [input, want] of cases)
      expect(decodeText(PgOid.numeric, input)).toEqual({ ok: true, value: want });
    for (const bad of ['', '.', '1e', 'abc', '1.2.3', '--1']) {
      expect(decodeText(PgOid.numeric, bad)).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    }
  });

  it('parses dates and timestamps in ISO forms with zones and BC', () => {
    expect(decodeText(PgOid.date, '2024-02-29')).toEqual({ ok: true, value: days('2024-02-29') });
    expect(decodeText(PgOid.date, '2023-02-29')).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    expect(decodeText(PgOid.date, '0001-01-01 BC')).toEqual({ ok: true, value: -719528 });
    expect(decodeText(PgOid.timestamp, '2024-01-02T03:04:05.1')).toEqual({
      ok: true,
      value: 1704164645100000n,
    });
    // timestamp ignores the zone; timestamptz applies it.
    expect(decodeText(PgOid.timestamp, '2024-01-02 03:04:05+02')).toEqual({
      ok: true,
      value: 1704164645000000n,
    });
    expect(decodeText(PgOid.timestamptz, '2024-01-02 03:04:05+02')).toEqual({
      ok: true,
      value: 1704157445000000n,
    });
    expect(decodeText(PgOid.timestamptz, '2024-01-02 03:04:05.5-05:30')).toEqual({
      ok: true,
      value: 1704164645500000n + 19_800_000_000n,
    });
    expect(decodeText(PgOid.timestamptz, '2024-01-02 03:04:05Z')).toEqual({
      ok: true,
      value: 1704164645000000n,
    });
    expect(decodeText(PgOid.timestamptz, '2024-01-02 03:04:05', { timeZone: fixedOffset(3600) })).toEqual({
      ok: true,
      value: 1704164645000000n - 3_600_000_000n,
    });
    expect(decodeText(PgOid.timestamp, '2024-01-02')).toEqual({ ok: true, value: 1704153600000000n });
    expect(decodeText(PgOid.timestamp, '2024-01-02 00:00:00.0000015')).toEqual({
      ok: true,
      value: 1704153600000002n,
    });
    expect(decodeText(PgOid.timestamp, '2024-01-02 00:00:00.9999996')).toEqual({
      ok: true,
      value: 1704153601000000n,
    });
    expect(decodeText(PgOid.timestamptz, 'epoch')).toEqual({ ok: true, value: 0n });
    expect(decodeText(PgOid.date, ' EPOCH ')).toEqual({ ok: true, value: 0 });
    expect(decodeText(PgOid.timestamp, 'infinity')).toEqual({ ok: true, value: Number.POSITIVE_INFINITY });
    expect(decodeText(PgOid.timestamp, '2024-13-01 00:00')).toMatchObject({ ok: false });
    expect(decodeText(PgOid.timestamp, '2024-01-01 25:00')).toMatchObject({ ok: false });
    expect(parseTimestampText('300000-01-01', false)).toMatchObject({
      ok: false,
      error: { sqlstate: '22003' },
    });
  });

  it('parses bytea hex and escape formats, uuid variants and json', () => {
    expect(decodeText(PgOid.bytea, '\\xDE AD')).toEqual({ ok: true, value: unhex('dead') });
    expect(decodeText(PgOid.bytea, 'a\\000b\\\\')).toEqual({ ok: true, value: unhex('6100625c') });
    expect(decodeText(PgOid.bytea, '\\x0')).toMatchObject({ ok: false });
    expect(decodeText(PgOid.bytea, 'bad\\9')).toMatchObject({ ok: false });
    expect(decodeText(PgOid.uuid, '{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}')).toEqual({
      ok: true,
      value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    expect(decodeText(PgOid.uuid, 'a0eebc999c0b4ef8bb6d6bb9bd380a1')).toMatchObject({ ok: false });
    expect(decodeText(PgOid.json, '{"a":1}')).toEqual({ ok: true, value: '{"a":1}' });
    expect(decodeText(PgOid.jsonb, '{"a":')).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    expect(decodeText(0, 'anything')).toEqual({ ok: true, value: 'anything' });
    expect(decodeText(PgOid.unknown, 'x')).toEqual({ ok: true, value: 'x' });
  });

  it('parses array literals with whitespace, escapes, NULLs, bounds and rejects ragged ones', () => {
    expect(decodeText(PgOid._int4, ' { 1 , 2 ,NULL } ')).toEqual({ ok: true, value: [1, 2, null] });
    expect(decodeText(PgOid._text, '{"NULL",null,a\\,b,"q\\"q"}')).toEqual({
      ok: true,
      value: ['NULL', null, 'a,b', 'q"q'],
    });
    expect(decodeText(PgOid._int4, '[1:2]={5,6}')).toEqual({ ok: true, value: [5, 6] });
    expect(decodeText(PgOid._int4, '[1:3]={5,6}')).toMatchObject({ ok: false });
    expect(decodeText(PgOid._int4, '{{1,2},{3}}')).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    expect(decodeText(PgOid._int4, '{1,x}')).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    expect(decodeText(PgOid._int4, '{1,2')).toMatchObject({ ok: false });
    expect(decodeText(PgOid._int4, '{{{{{{{1}}}}}}}')).toMatchObject({ ok: false });
    expect(decodeText(PgOid._bool, '{t,f}')).toEqual({ ok: true, value: [true, false] });
    expect(parseArrayText('{}')).toEqual({ ok: true, value: [] });
  });
});

describe('interval text', () => {
  // Left: PostgreSQL input; right: what PostgreSQL 15 prints for it (IntervalStyle postgres).
  it.each([
    ['0', '00:00:00'],
    ['1 day', '1 day'],
    ['-1 days 2 hours', '-1 days +02:00:00'],
    ['1 year 2 mons 3 days 04:05:06.789', '1 year 2 mons 3 days 04:05:06.789'],
    ['-00:00:01', '-00:00:01'],
    ['1 mon -1 days', '1 mon -1 days'],
    ['-1 year -2 mons', '-1 years -2 mons'],
    ['27 hours', '27:00:00'],
    ['1.5 days', '1 day 12:00:00'],
    ['P1Y2M3DT4H5M6S', '1 year 2 mons 3 days 04:05:06'],
    ['3 days ago', '-3 days'],
    ['1 day -01:00:00', '1 day -01:00:00'],
    ['1 day 2', '1 day 00:00:02'],
  ])('%s -> %s', (input, want) => {
    const r = decodeText(PgOid.interval, input);
    if (!r.ok) throw new Error(r.error.message);
    expect(encodeText(PgOid.interval, r.value)).toBe(want);
  });

  it('rejects unknown units and junk with 22007', () => {
    for (const bad of ['', '1 fortnight', 'abc', 'P', '1 day x']) {
      expect(decodeText(PgOid.interval, bad), bad).toMatchObject({ ok: false });
    }
    expect(decodeText(PgOid.interval, '1 fortnight')).toMatchObject({
      ok: false,
      error: { sqlstate: '22007' },
    });
    expect(decodeText(PgOid.time, '25:00')).toMatchObject({ ok: false });
  });
});

describe('binary parameter parsing', () => {
  it('rejects wrong lengths and bad layouts with 22P03', () => {
    expect(decodeBinary(PgOid.int4, unhex('0001'))).toMatchObject({
      ok: false,
      error: { sqlstate: '22P03' },
    });
    expect(decodeBinary(PgOid.int8, unhex('00'))).toMatchObject({ ok: false, error: { sqlstate: '22P03' } });
    expect(decodeBinary(PgOid.numeric, unhex('0001000000000000'))).toMatchObject({ ok: false });
    expect(decodeBinary(PgOid.numeric, unhex('000100000000000027'.padEnd(20, '1')))).toMatchObject({
      ok: false,
    });
    expect(decodeBinary(PgOid.jsonb, unhex('027b7d'))).toMatchObject({ ok: false });
    expect(decodeBinary(PgOid.text, unhex('c328'))).toMatchObject({
      ok: false,
      error: { sqlstate: '22021' },
    });
    // Array with the wrong element type, absurd dimensions, and too little data.
    expect(
      decodeBinary(PgOid._int4, unhex('000000010000000000000014000000010000000100000008' + '0'.repeat(16))),
    ).toMatchObject({
      ok: false,
      error: { sqlstate: '42804' },
    });
    expect(decodeBinary(PgOid._int4, unhex('000000070000000000000017'))).toMatchObject({ ok: false });
    expect(decodeBinary(PgOid._int4, unhex('0000000100000000000000177fffffff00000001'))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('insufficient data') },
    });
    expect(decodeBinary(99999, unhex('00'))).toMatchObject({ ok: false, error: { sqlstate: '0A000' } });
  });

  it('truncates numeric digits beyond dscale as numeric_recv does', () => {
    const r = readNumericBinary(new ByteReader(unhex('00020000000000010001' + '1388')));
    expect(r).toEqual({ ok: true, value: '1.5' });
  });

  it('round-trips random numerics through binary', () => {
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const int = rnd(3) === 0 ? '0' : String(rnd(1e9)) + String(rnd(1e9));
      const frac = rnd(2) === 0 ? '' : String(rnd(1e6)).padStart(rnd(12) + 6, '0');
      const text = `${rnd(2) ? '-' : ''}${int.replace(/^0+(?=\d)/, '')}${frac ? `.${frac}` : ''}`;
      const canonical = decodeText(PgOid.numeric, text);
      if (!canonical.ok) throw new Error(text);
      const w = new ByteWriter();
      writeNumericBinary(w, canonical.value as string);
      expect(readNumericBinary(new ByteReader(w.take()))).toEqual(canonical);
    }
  });

  it('never throws on random bytes for any supported type', () => {
    let seed = 11;
    for (const t of allPgTypes()) {
      for (let i = 0; i < 60; i++) {
        const bytes = Uint8Array.from({ length: i % 40 }, () => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          return seed & 0xff;
        });
        expect(() => decodeBinary(t.oid, bytes)).not.toThrow();
        expect(() => decodeText(t.oid, Buffer.from(bytes).toString('latin1'))).not.toThrow();
      }
    }
  });
});

describe('time zones and type table', () => {
  it('prints timestamptz in the session zone like PostgreSQL', () => {
    const t = 1704164645000000n; // 2024-01-02 03:04:05+00
    expect(formatTimestamptz(t, timeZoneOffset('Asia/Kolkata'))).toBe('2024-01-02 08:34:05+05:30');
    expect(formatTimestamptz(t, timeZoneOffset('America/New_York'))).toBe('2024-01-01 22:04:05-05');
    const lmt = BigInt(Date.parse('1850-01-02T03:04:05Z')) * 1000n;
    expect(formatTimestamptz(lmt, timeZoneOffset('America/New_York'))).toBe('1850-01-01 22:08:03-04:56:02');
    expect(formatTimestamptz(t, timeZoneOffset('+05:30'))).toBe('2024-01-02 08:34:05+05:30');
    expect(timeZoneOffset('Not/AZone')).toBeUndefined();
    expect(encodeText(PgOid.timestamptz, t, { timeZone: fixedOffset(-3600) })).toBe('2024-01-02 02:04:05-01');
  });

  it('knows OIDs, typlen and array element types', () => {
    expect(pgTypeInfo(PgOid._int4)).toMatchObject({ name: '_int4', elementOid: PgOid.int4, typlen: -1 });
    expect(pgTypeInfo(PgOid.int8)).toMatchObject({ typlen: 8, arrayOid: 1016 });
    expect(typlenOf(PgOid.uuid)).toBe(16);
    expect(typlenOf(12345)).toBe(-1);
    expect(isArrayOid(1009)).toBe(true);
    expect(isArrayOid(25)).toBe(false);
    expect(numericTypmod(18, 2)).toBe(1179654);
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 1, 1)).toBe(10957);
  });
});
