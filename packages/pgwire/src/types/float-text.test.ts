import { describe, expect, it } from 'vitest';
import { formatFloat4, formatFloat8, parseFloatText } from './float-text.js';

describe('float text output matches PostgreSQL 15', () => {
  // Expected strings were printed by the real PostgreSQL 15 server (extra_float_digits = 1).
  it.each([
    [1e100, '1e+100'],
    [1e15, '1e+15'],
    [1e14, '100000000000000'],
    [0.00001, '1e-05'],
    [0.0001, '0.0001'],
    [0.1, '0.1'],
    [5e-324, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [0.000123, '0.000123'],
    [-0, '-0'],
    [0, '0'],
    [-1.5, '-1.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [123.456, '123.456'],
    [100, '100'],
  ])('float8 %s -> %s', (x, want) => {
    expect(formatFloat8(x)).toBe(want);
  });

  it.each([
    [0.1, '0.1'],
    [1.5e-7, '1.5e-07'],
    [123456.7, '123456.7'],
    [1234567, '1.234567e+06'],
    [3.4028235e38, '3.4028235e+38'],
    [1.17549435e-38, '1.1754944e-38'],
    [1.4e-45, '1e-45'],
  ])('float4 %s -> %s', (x, want) => {
    expect(formatFloat4(x)).toBe(want);
  });

  it('honours extra_float_digits <= 0 (%g with DIG + extra digits)', () => {
    expect(formatFloat8(0.1 + 0.2, 0)).toBe('0.3');
    expect(formatFloat8(0.1 + 0.2, 1)).toBe('0.30000000000000004');
    expect(formatFloat8(1e15, 0)).toBe('1e+15');
    expect(formatFloat8(123456789, -10)).toBe('1.2346e+08');
    expect(formatFloat4(1.1, 0)).toBe('1.1');
  });

  it('round-trips random doubles through text', () => {
    let seed = 1;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 16807) % 2147483647;
      const x = (seed / 2147483647 - 0.5) * 10 ** ((seed % 600) - 300);
      expect(Number(formatFloat8(x))).toBe(x);
      const f = Math.fround(x);
      if (Number.isFinite(f) && f !== 0) expect(Math.fround(Number(formatFloat4(f)))).toBe(f);
    }
  });
});

describe('float text input', () => {
  it('accepts PostgreSQL syntax and rejects garbage and out-of-range values', () => {
    expect(parseFloatText(' 1.5 ', false)).toEqual({ ok: true, value: 1.5 });
    expect(parseFloatText('-inf', false)).toEqual({ ok: true, value: Number.NEGATIVE_INFINITY });
    expect(parseFloatText('NaN', true)).toMatchObject({ ok: true });
    expect(parseFloatText('.5e1', false)).toEqual({ ok: true, value: 5 });
    expect(parseFloatText('0e10', false)).toEqual({ ok: true, value: 0 });
    expect(parseFloatText('abc', false)).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
    expect(parseFloatText('1e400', false)).toMatchObject({
      ok: false,
      error: { sqlstate: '22003', message: '"1e400" is out of range for type double precision' },
    });
    expect(parseFloatText('1e-400', false)).toMatchObject({ ok: false, error: { sqlstate: '22003' } });
    expect(parseFloatText('1e39', true)).toMatchObject({ ok: false, error: { sqlstate: '22003' } });
  });
});
