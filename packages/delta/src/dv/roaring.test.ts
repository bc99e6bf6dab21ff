import { describe, expect, it } from 'vitest';
import { decodeRoaringBitmapArray, encodeRoaringBitmapArray, ROARING_BITMAP_ARRAY_MAGIC } from './roaring.js';

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

describe('RoaringBitmapArray', () => {
  it('decodes the bitmap of a Spark-written DV (table-with-dv-small: rows 0 and 9)', () => {
    const bitmap = hexBytes(
      'd1d33964' + '0100000000000000' + '00000000' + '3a300000010000000000010010000000' + '00000900',
    );
    expect(decodeRoaringBitmapArray(bitmap)).toEqual([0, 9]);
  });

  it('encodes the same bytes Spark wrote for a small array container', () => {
    const spark = hexBytes(
      'd1d33964' + '0100000000000000' + '00000000' + '3a300000010000000000010010000000' + '00000900',
    );
    expect(encodeRoaringBitmapArray([9, 0, 9])).toEqual(spark);
  });

  it('round-trips the empty set', () => {
    const bytes = encodeRoaringBitmapArray([]);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(ROARING_BITMAP_ARRAY_MAGIC);
    expect(bytes.length).toBe(12);
    expect(decodeRoaringBitmapArray(bytes)).toEqual([]);
  });

  it('round-trips random sets with values above 2^32, dense bitmaps and long runs', () => {
    const rand = rng(42);
    for (let round = 0; round < 12; round++) {
      const rows: number[] = [];
      const sparse = Math.floor(rand() * 2000);
      for (let i = 0; i < sparse; i++) rows.push(Math.floor(rand() * 2 ** 40));
      // A dense block (bitmap container), a run (run container), values near bucket edges.
      const denseBase = Math.floor(rand() * 2 ** 34);
      for (let i = 0; i < 10000; i++) if (rand() < 0.5) rows.push(denseBase + i);
      const runBase = Math.floor(rand() * 2 ** 45);
      for (let i = 0; i < 70000; i++) rows.push(runBase + i);
      rows.push(0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1);
      const expected = sortedUnique(rows);
      expect(decodeRoaringBitmapArray(encodeRoaringBitmapArray(rows))).toEqual(expected);
    }
  });

  it('uses run containers where they are smaller, and the run cookie says so', () => {
    const bytes = encodeRoaringBitmapArray(Array.from({ length: 5000 }, (_, i) => i + 100));
    // magic(4) + bucket count(8) + key(4), then the cookie: 12347 | (containers - 1) << 16.
    expect(new DataView(bytes.buffer).getUint32(16, true)).toBe(12347);
    expect(bytes.length).toBeLessThan(40);
    expect(decodeRoaringBitmapArray(bytes)).toHaveLength(5000);
  });

  it('uses a bitmap container for a dense, unclustered block', () => {
    const rows = Array.from({ length: 10000 }, (_, i) => 2 ** 33 + 2 * i);
    const bytes = encodeRoaringBitmapArray(rows);
    // No runs: no-run cookie, 1 container, its offset, then 8192 bitmap bytes.
    expect(new DataView(bytes.buffer).getUint32(16, true)).toBe(12346);
    expect(bytes.length).toBe(16 + 8 + 4 + 4 + 8192);
    expect(decodeRoaringBitmapArray(bytes)).toEqual(rows);
  });

  it('reads run containers with container offsets (4 or more containers)', () => {
    const rows: number[] = [];
    for (let c = 0; c < 6; c++) for (let i = 0; i < 300; i++) rows.push(c * 65536 + 1000 + i);
    rows.push(7 * 65536 + 5); // one array container among runs
    expect(decodeRoaringBitmapArray(encodeRoaringBitmapArray(rows))).toEqual(rows);
  });

  it('rejects a wrong magic number, truncation and trailing bytes', () => {
    const good = encodeRoaringBitmapArray([1, 2, 3, 100000]);
    const badMagic = good.slice();
    badMagic[0] = 0;
    expect(() => decodeRoaringBitmapArray(badMagic)).toThrow(/magic number is \d+, expected 1681511377/);
    expect(() => decodeRoaringBitmapArray(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    const trailing = new Uint8Array(good.length + 2);
    trailing.set(good);
    expect(() => decodeRoaringBitmapArray(trailing)).toThrow(/2 trailing bytes/);
  });

  it('rejects row indexes it cannot represent', () => {
    expect(() => encodeRoaringBitmapArray([-1])).toThrow(/row index -1/);
    expect(() => encodeRoaringBitmapArray([2 ** 53])).toThrow(/below 2\^53/);
    expect(() => encodeRoaringBitmapArray([1.5])).toThrow(/1.5/);
  });
});
