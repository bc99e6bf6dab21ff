// bytea text formats (hex output, hex and escape input) and uuid text.
import { encodeUtf8 } from '../bytes/text.js';
import { type DecodeResult, invalidText, ok } from './values.js';

const HEX = '0123456789abcdef';

/** bytea_output = 'hex': `\x` followed by lowercase hex. */
export const formatBytea = (bytes: Uint8Array): string => {
  let out = '\\x';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
};

const hexValue = (c: number): number => {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
};

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** byteain: `\x` hex (whitespace allowed between pairs) or the escape format (`\\`, `\ooo`). */
export const parseByteaText = (input: string): DecodeResult<Uint8Array> => {
  if (input.startsWith('\\x') || input.startsWith('\\X')) {
    const out = new Uint8Array((input.length - 2) >> 1);
    let n = 0;
    for (let i = 2; i < input.length; ) {
      const c = input.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      const hi = hexValue(c);
      const lo = i + 1 < input.length ? hexValue(input.charCodeAt(i + 1)) : -1;
      if (hi < 0 || lo < 0) return invalidText('bytea', input);
      out[n++] = (hi << 4) | lo;
      i += 2;
    }
    return ok(out.slice(0, n));
  }
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c !== 92) {
      if (c > 127) {
        // Non-ASCII characters stand for their UTF-8 bytes.
        const cp = input.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        for (const b of encodeUtf8(s)) out.push(b);
        i += s.length - 1;
      } else out.push(c);
      continue;
    }
    if (input[i + 1] === '\\') {
      out.push(92);
      i++;
    } else if (/^[0-3][0-7]{2}$/.test(input.slice(i + 1, i + 4))) {
      out.push(Number.parseInt(input.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      return invalidText('bytea', input);
    }
  }
  return ok(Uint8Array.from(out));
};

export const formatUuid = (bytes: Uint8Array): string => {
  let hex = '';
  for (const b of bytes) hex += HEX[b >> 4]! + HEX[b & 15]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** uuid_in: 32 hex digits, optional hyphen after any group of four, optional braces. */
export const parseUuidText = (input: string): DecodeResult<string> => {
  let s = input.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) return invalidText('uuid', input);
    s = s.slice(1, -1);
  }
  if (!/^[0-9a-f]{4}(-?[0-9a-f]{4}){7}$/i.test(s)) return invalidText('uuid', input);
  const hex = s.replace(/-/g, '').toLowerCase();
  return ok(
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  );
};

/** 16 bytes of a canonical (or any accepted) uuid string; undefined if it is not one. */
export const uuidBytes = (text: string): Uint8Array | undefined => {
  const parsed = parseUuidText(text);
  if (!parsed.ok) return undefined;
  const hex = parsed.value.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
};
