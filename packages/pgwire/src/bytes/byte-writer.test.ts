import { describe, expect, it } from 'vitest';
import { formatNumeric } from '../types/numeric.js';
import { ByteWriter } from './byte-writer.js';

const encoded = (text: string): number[] => {
  const w = new ByteWriter(16);
  const n = w.utf8(text);
  const bytes = [...w.peek()];
  expect(n).toBe(bytes.length);
  return bytes;
};

describe('ByteWriter.utf8', () => {
  it('writes the same bytes as TextEncoder for ASCII, mixed, astral and long text', () => {
    const samples = [
      '',
      'name-42',
      'héllo',
      'abc\u0080',
      'q"\u00ff\u0100\u07ff\u0800\uffff',
      'emoji 😀 and 𝄞',
      'x'.repeat(64),
      `${'y'.repeat(63)}é`,
      `${'z'.repeat(200)}ü${'z'.repeat(10)}`,
      'lone \ud800 surrogate',
    ];
    for (const s of samples) expect(encoded(s)).toEqual([...new TextEncoder().encode(s)]);
  });

  it('appends after what is already written and grows the buffer', () => {
    const w = new ByteWriter(16);
    w.u8(1);
    w.utf8('a'.repeat(40));
    w.utf8('ß');
    expect(w.length).toBe(1 + 40 + 2);
    expect([...w.peek().subarray(41)]).toEqual([0xc3, 0x9f]);
  });
});

describe('formatNumeric', () => {
  it('passes canonical text through and normalises the rest', () => {
    expect(formatNumeric('12.30')).toBe('12.30');
    expect(formatNumeric('-0.05')).toBe('-0.05');
    expect(formatNumeric('0')).toBe('0');
    expect(formatNumeric('-0.00')).toBe('0.00');
    expect(formatNumeric('007.5')).toBe('7.5');
    expect(formatNumeric('1.5e2')).toBe('150');
    expect(formatNumeric('+3')).toBe('3');
  });
});
