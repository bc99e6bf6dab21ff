import { describe, expect, it } from 'vitest';
import { uuidToZ85, z85Decode, z85Encode, z85ToUuid } from './z85.js';

describe('z85', () => {
  it('matches the ZeroMQ reference vector', () => {
    const bytes = new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(z85Encode(bytes)).toBe('HelloWorld');
    expect(z85Decode('HelloWorld')).toEqual(bytes);
  });

  it('round-trips random data of every length, padding to 4-byte groups', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let len = 0; len < 40; len++) {
      const bytes = Uint8Array.from({ length: len }, () => rand() & 0xff);
      const text = z85Encode(bytes);
      expect(text.length).toBe(Math.ceil(len / 4) * 5);
      expect(z85Decode(text, len)).toEqual(bytes);
    }
    expect(z85Encode(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBe('%nSc0');
  });

  it('rejects bad input with the offending character or length', () => {
    expect(() => z85Decode('abcd')).toThrow(/multiple of 5/);
    expect(() => z85Decode('abc"e')).toThrow(/'"' at position 3/);
  });

  it("keeps the low 32 bits of an overflowing group, as Delta's reference decoder does", () => {
    // 82 * (85^4 + 85^3 + 85^2 + 85 + 1) = 4,331,409,002 overflows; the low 32 bits remain.
    expect(z85Decode('%%%%%')).toEqual(new Uint8Array([0x02, 0x2c, 0x0e, 0x6a]));
  });

  it('rejects a byte length the text cannot hold', () => {
    expect(() => z85Decode('HelloWorld', 3)).toThrow(/exactly 3 bytes/);
  });

  it('encodes UUIDs as the 20 characters Delta puts in pathOrInlineDv', () => {
    // From the table-with-dv-small fixture: descriptor text and the DV file next to it.
    expect(z85ToUuid('vBn[lx{q8@P<9BNH/isA')).toBe('61d16c75-6994-46b7-a15b-8b538852e50e');
    expect(uuidToZ85('61D16C75-6994-46B7-A15B-8B538852E50E')).toBe('vBn[lx{q8@P<9BNH/isA');
    expect(() => uuidToZ85('not-a-uuid')).toThrow(/'not-a-uuid' is not a UUID/);
    expect(() => z85ToUuid('short')).toThrow(/20 characters/);
  });
});

describe('z85 short tail groups', () => {
  it('decodes a final #-led group as the unaligned tail (inline DV from cdf-table-with-dv)', async () => {
    const { z85Decode } = await import('./z85.js');
    const text = '^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093';
    const bytes = z85Decode(text, 34);
    expect(bytes.length).toBe(34);
    expect([...bytes.subarray(32)]).toEqual([3, 0]);
  });
});
