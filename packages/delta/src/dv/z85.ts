// Z85 (ZeroMQ base85) as Delta uses it: deletion-vector UUIDs in `pathOrInlineDv` and inline
// bitmaps. Every 4 bytes, read big-endian, become 5 characters, most significant first. Delta
// pads data to a multiple of 4 with zero bytes and records the true length (`sizeInBytes`).

import { DeltaError } from '../errors.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

const DECODE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Encodes bytes, zero-padding to a multiple of 4 (the decoder needs the original length back). */
export function z85Encode(bytes: Uint8Array): string {
  const padded = bytes.length % 4 === 0 ? bytes : new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  if (padded !== bytes) padded.set(bytes);
  let out = '';
  for (let i = 0; i < padded.length; i += 4) {
    // Multiplication, not shifts: a 32-bit value does not fit JS's signed bit operations.
    let value = padded[i]! * 0x1000000 + ((padded[i + 1]! << 16) | (padded[i + 2]! << 8) | padded[i + 3]!);
    const chunk = new Array<string>(5);
    for (let j = 4; j >= 0; j--) {
      chunk[j] = ALPHABET[value % 85]!;
      value = Math.floor(value / 85);
    }
    out += chunk.join('');
  }
  return out;
}

/**
 * Decodes a Z85 string. `byteLength`, when given, cuts the zero padding the encoder added; it
 * must be within the last 4-byte group.
 */
export function z85Decode(text: string, byteLength?: number): Uint8Array {
  if (text.length % 5 !== 0) {
    throw new DeltaError(
      'INVALID_DELETION_VECTOR',
      `z85 text of length ${text.length} is not a multiple of 5: '${abbreviate(text)}'`,
      { text },
    );
  }
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const code = text.charCodeAt(i + j);
      const digit = code < 128 ? DECODE[code]! : -1;
      if (digit < 0) {
        throw new DeltaError(
          'INVALID_DELETION_VECTOR',
          `'${text[i + j]}' at position ${i + j} is not a z85 character in '${abbreviate(text)}'`,
          { text },
        );
      }
      value = value * 85 + digit;
    }
    if (value >= 0x1_0000_0000 && i + 5 === text.length) {
      const tail = shortTail(text.slice(i));
      if (tail !== undefined) {
        out.set(tail, o);
        const length = o + tail.length;
        if (byteLength !== undefined && byteLength !== length) break;
        return out.subarray(0, length);
      }
    }
    // Groups above 2^32 - 1 are not valid Z85, but Delta's reference decoder keeps the low 32
    // bits (Java int overflow) and real inline DVs in the wild rely on it, so do the same.
    value %= 0x1_0000_0000;
    out[o] = Math.floor(value / 0x1000000);
    out[o + 1] = (value >>> 16) & 0xff;
    out[o + 2] = (value >>> 8) & 0xff;
    out[o + 3] = value & 0xff;
  }
  if (byteLength === undefined) return out;
  if (!Number.isInteger(byteLength) || byteLength > out.length || byteLength <= out.length - 4) {
    throw new DeltaError(
      'INVALID_DELETION_VECTOR',
      `z85 text of ${text.length} characters cannot hold exactly ${byteLength} bytes (it holds ${out.length - 3}..${out.length})`,
      { text, byteLength },
    );
  }
  return out.subarray(0, byteLength);
}

/**
 * Some writers (Rust's z85 crate) end an unaligned input with a short group: k leading '#'
 * characters stand for k missing bytes and the other 5-k characters hold the last 4-k bytes.
 * Such a group always exceeds 2^32 - 1, so it cannot be mistaken for a full group.
 */
function shortTail(group: string): Uint8Array | undefined {
  let k = 0;
  while (k < 3 && group[k] === '#') k++;
  if (k === 0) return undefined;
  let value = 0;
  for (let j = k; j < 5; j++) value = value * 85 + DECODE[group.charCodeAt(j)]!;
  const n = 4 - k;
  if (value >= 2 ** (8 * n)) return undefined;
  const bytes = new Uint8Array(n);
  for (let b = n - 1; b >= 0; b--) {
    bytes[b] = value % 256;
    value = Math.floor(value / 256);
  }
  return bytes;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 20-character Z85 form of a UUID (its 16 bytes in big-endian order). */
export function uuidToZ85(uuid: string): string {
  if (!UUID_PATTERN.test(uuid)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `'${uuid}' is not a UUID like 123e4567-e89b-12d3-a456-426614174000`,
      {
        uuid,
      },
    );
  }
  const hex = uuid.replaceAll('-', '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return z85Encode(bytes);
}

/** The lower-case UUID string of a 20-character Z85 UUID. */
export function z85ToUuid(encoded: string): string {
  if (encoded.length !== 20) {
    throw new DeltaError(
      'INVALID_DELETION_VECTOR',
      `a z85 UUID has 20 characters, '${encoded}' has ${encoded.length}`,
      { encoded },
    );
  }
  const hex = Array.from(z85Decode(encoded), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const abbreviate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
