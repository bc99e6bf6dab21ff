import { describe, expect, it } from 'vitest';
import { nextFloat32 } from './column-bounds.js';
import { NumberText, parseJsonLossless } from './stats-json.js';
import { likePrefix } from './types.js';
import {
  compareDec,
  compareUtf8,
  compareValues,
  exactFromNumber,
  exactFromText,
  parseDec,
  parseTimeText,
} from './values.js';

const utf8 = new TextEncoder();
function byteCompare(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return Math.sign(x.length - y.length);
}

describe('compareUtf8', () => {
  it('orders like UTF-8 bytes, unlike JS string comparison', () => {
    expect('\uff5e' < '😀').toBe(false); // UTF-16 order
    expect(compareUtf8('\uff5e', '😀')).toBe(-1);
    expect(compareUtf8('😀', '\uffff')).toBe(1);
    expect(compareUtf8('a', 'ab')).toBe(-1);
    expect(compareUtf8('', '')).toBe(0);
  });
  it('agrees with byte comparison on random strings', () => {
    const pool = [
      'a',
      'z',
      '\u007f',
      '\u0080',
      'é',
      '\u07ff',
      '\u0800',
      '\ud7ff',
      '\ue000',
      '\ufffd',
      '\uffff',
      '😀',
      '\u{10ffff}',
    ];
    let seed = 7;
    const r = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3000; i++) {
      const s = () =>
        Array.from({ length: Math.floor(r() * 4) }, () => pool[Math.floor(r() * pool.length)]).join('');
      const [a, b] = [s(), s()];
      expect(compareUtf8(a, b), `${a} vs ${b}`).toBe(byteCompare(a, b));
    }
  });
});

describe('exact decimals', () => {
  it('parses and compares across scales and exponents', () => {
    expect(parseDec('12.30')).toEqual({ unscaled: 1230n, scale: 2 });
    expect(parseDec('-1e-7')).toEqual({ unscaled: -1n, scale: 7 });
    expect(parseDec('1.5E3')).toEqual({ unscaled: 1500n, scale: 0 });
    expect(parseDec('abc')).toBeUndefined();
    expect(parseDec('.')).toBeUndefined();
    expect(compareDec(parseDec('1.50')!, parseDec('1.5')!)).toBe(0);
    expect(compareDec(parseDec('-0.001')!, parseDec('0')!)).toBe(-1);
  });
  it('keeps short values as numbers and long ones exact', () => {
    expect(exactFromText('123.45')).toBe(123.45);
    expect(exactFromText('12345678901234567890.000000000000000001')).toEqual({
      unscaled: 12345678901234567890000000000000000001n,
      scale: 18,
    });
    expect(exactFromText('1e-400')).toEqual({ unscaled: 1n, scale: 400 }); // would underflow to 0
    const a = exactFromText('12345678901234567890.000000000000000001')!;
    const b = exactFromText('12345678901234567890.000000000000000002')!;
    expect(compareValues(a, b, 'exact')).toBe(-1);
    expect(compareValues(a, 1e19, 'exact')).toBe(1);
    expect(compareValues(0.1, exactFromText('0.1000000000000000000001')!, 'exact')).toBe(-1);
  });
  it('widens numbers that may have been rounded by a double', () => {
    expect(exactFromNumber(0.1, 'down')).toBe(0.1);
    const lo = exactFromNumber(0.30000000000000004, 'down')!;
    const hi = exactFromNumber(0.30000000000000004, 'up')!;
    expect(compareValues(lo, exactFromText('0.30000000000000004')!, 'exact')).toBe(-1);
    expect(compareValues(hi, exactFromText('0.30000000000000004')!, 'exact')).toBe(1);
    expect(compareValues(lo, exactFromText('0.2999999')!, 'exact')).toBe(1);
    expect(exactFromNumber(Number.NaN)).toBeUndefined();
  });
});

describe('parseTimeText', () => {
  it('reads ISO and space-separated timestamps with zones and fractions', () => {
    expect(parseTimeText('1970-01-01T00:00:01.000Z')).toEqual({ micros: 1_000_000, fractionDigits: 3 });
    expect(parseTimeText('1970-01-01 00:00:00.000001')).toEqual({ micros: 1, fractionDigits: 6 });
    expect(parseTimeText('2000-01-01T00:00:00.000-08:00')?.micros).toBe(
      Date.parse('2000-01-01T08:00:00Z') * 1000,
    );
    expect(parseTimeText('2020-01-01 00:00:00+02')?.micros).toBe(Date.parse('2019-12-31T22:00:00Z') * 1000);
    expect(parseTimeText('2021-02-03')).toEqual({
      micros: Date.parse('2021-02-03') * 1000,
      fractionDigits: 0,
    });
    expect(parseTimeText('1969-12-31T23:59:59.999999Z')?.micros).toBe(-1);
    // Beyond 2^53 microseconds (before 1685, after 2255) values are bigints.
    expect(parseTimeText('0001-01-01')?.micros).toBe(-62135596800000000n);
    expect(parseTimeText('9999-12-31T23:59:59.999999Z')?.micros).toBe(253402300799999999n);
  });
  it('rejects impossible dates and junk', () => {
    expect(parseTimeText('2021-02-29')).toBeUndefined();
    expect(parseTimeText('2024-02-29')).toBeDefined();
    expect(parseTimeText('2021-13-01')).toBeUndefined();
    expect(parseTimeText('yesterday')).toBeUndefined();
  });
});

describe('nextFloat32', () => {
  it('steps one float ulp around fround(n)', () => {
    const f = Math.fround(0.1);
    expect(nextFloat32(0.1, 'up')).toBeGreaterThan(f);
    expect(nextFloat32(0.1, 'down')).toBeLessThan(0.1);
    expect(Math.fround(nextFloat32(0.1, 'up'))).toBe(nextFloat32(0.1, 'up'));
    expect(nextFloat32(-2.5, 'down')).toBeLessThan(-2.5);
    expect(nextFloat32(0, 'down')).toBeLessThan(0);
  });
});

describe('likePrefix', () => {
  it('accepts only trailing-% patterns', () => {
    expect(likePrefix('abc%')).toBe('abc');
    expect(likePrefix('abc%%')).toBe('abc');
    expect(likePrefix('%')).toBe('');
    expect(likePrefix('abc')).toBeUndefined();
    expect(likePrefix('a%c')).toBeUndefined();
    expect(likePrefix('a_c%')).toBeUndefined();
    expect(likePrefix('a!_c%', '!')).toBe('a_c');
    expect(likePrefix('a!%%', '!')).toBe('a%');
  });
});

describe('parseJsonLossless', () => {
  it('matches JSON.parse on ordinary input', () => {
    const text = '{"a":[1,-2.5,1e3,true,false,null,"x\\"y\\u00e9"],"b":{},"c":[]}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });
  it('keeps long numbers as text', () => {
    const v = parseJsonLossless(
      '{"d":12345678901234567890.000000000000000001,"n":9007199254740993}',
    ) as Record<string, unknown>;
    expect(v.d).toEqual(new NumberText('12345678901234567890.000000000000000001'));
    expect(v.n).toEqual(new NumberText('9007199254740993'));
  });
  it('rejects malformed input', () => {
    expect(() => parseJsonLossless('{"a":}')).toThrow();
    expect(() => parseJsonLossless('{"a":1} x')).toThrow();
  });
});
