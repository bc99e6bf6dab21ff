// SASLprep (RFC 4013) as PostgreSQL applies it to SCRAM passwords: ASCII passes unchanged; other
// strings are mapped and NFKC-normalized; if the result is prohibited, PostgreSQL falls back to
// the raw bytes, and so do we (`undefined` tells the caller to use the raw password).
// Unassigned-code-point checks (RFC 3454 table A.1) are not implemented: such passwords are
// normalized anyway, which only matters for passwords using characters unassigned in Unicode 3.2.

type Ranges = readonly (readonly [number, number])[];

const inRanges = (cp: number, ranges: Ranges): boolean => {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
};

// RFC 3454 C.1.2: non-ASCII space characters, mapped to U+0020.
const NON_ASCII_SPACE: Ranges = [
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
// RFC 3454 B.1: commonly mapped to nothing.
const MAPPED_TO_NOTHING: Ranges = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x1806, 0x1806],
  [0x180b, 0x180d],
  [0x200b, 0x200d],
  [0x2060, 0x2060],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];
// C.1.2, C.2 control characters, C.3 private use, C.4 non-characters, C.5 surrogates, C.6-C.9.
const PROHIBITED: Ranges = [
  ...NON_ASCII_SPACE,
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x180e, 0x180e],
  [0x200c, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2063],
  [0x206a, 0x206f],
  [0x2ff0, 0x2ffb],
  [0x340, 0x341],
  [0xd800, 0xdfff],
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
  [0xfeff, 0xfeff],
  [0xfff9, 0xffff],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
  [0xf0000, 0x10ffff],
];
// RFC 3454 D.1 (RandALCat): Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
// D.2 (LCat) is approximated as "any other letter" because JS regexes lack Bidi_Class.
const RAND_AL_CAT: Ranges = [
  [0x5be, 0x5be],
  [0x5c0, 0x5c0],
  [0x5c3, 0x5c3],
  [0x5d0, 0x5f4],
  [0x61b, 0x64a],
  [0x66d, 0x66f],
  [0x671, 0x6d5],
  [0x6dd, 0x6dd],
  [0x6e5, 0x6e6],
  [0x6fa, 0x70d],
  [0x710, 0x710],
  [0x712, 0x72c],
  [0x780, 0x7a5],
  [0x7b1, 0x7b1],
  [0x7c0, 0x7ea],
  [0xfb1d, 0xfb1d],
  [0xfb1f, 0xfb28],
  [0xfb2a, 0xfdfc],
  [0xfe70, 0xfefc],
];
const LETTER = /\p{L}/u;

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);

export const saslprep = (input: string): string | undefined => {
  let ascii = true;
  for (let i = 0; i < input.length && ascii; i++) ascii = input.charCodeAt(i) < 0x80;
  if (ascii) return input;
  // Space mapping first: U+200B is in both tables and PostgreSQL maps it to a space.
  let mapped = '';
  for (const cp of codePoints(input)) {
    if (inRanges(cp, NON_ASCII_SPACE)) mapped += ' ';
    else if (!inRanges(cp, MAPPED_TO_NOTHING)) mapped += String.fromCodePoint(cp);
  }
  const normalized = mapped.normalize('NFKC');
  const cps = codePoints(normalized);
  if (cps.length === 0 || cps.some((cp) => inRanges(cp, PROHIBITED))) return undefined;
  // RFC 3454 section 6: a string with RandALCat characters must not contain LCat characters and
  // must start and end with RandALCat.
  const isRandAL = (cp: number) => inRanges(cp, RAND_AL_CAT);
  if (cps.some(isRandAL)) {
    if (cps.some((cp) => !isRandAL(cp) && LETTER.test(String.fromCodePoint(cp)))) return undefined;
    if (!isRandAL(cps[0]!) || !isRandAL(cps[cps.length - 1]!)) return undefined;
  }
  return normalized;
};
