// SASLprep (RFC 4013) as PostgreSQL applies it to SCRAM passwords: ASCII passes unchanged; other
// strings are mapped and NFKC-normalized; if the result is prohibited, PostgreSQL falls back to
// the raw bytes, and so do we (`undefined` tells the caller to use the raw password).
// Unassigned-code-point checks (RFC 3454 table A.1) are not implemented: such passwords are
// normalized anyway, which only matters for passwords using characters unassigned in Unicode 3.2.

// RFC 3454 B.1: commonly mapped to nothing.
const MAPPED_TO_NOTHING =
  /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
// RFC 3454 C.1.2: non-ASCII space characters, mapped to U+0020.
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
// C.2 control characters, C.3 private use, C.4 non-characters, C.5 surrogates, C.6-C.9.
const PROHIBITED =
  /[\u0000-\u001F\u007F-\u009F\u06DD\u070F\u180E\u200C\u200D\u2028\u2029\u2060-\u2063\u206A-\u206F\uFEFF\uFFF9-\uFFFC\uE000-\uF8FF\uFDD0-\uFDEF\uFFFE\uFFFF\uFFFD\u2FF0-\u2FFB\u0340\u0341\u200E\u200F\u202A-\u202E\u{1D173}-\u{1D17A}\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}\u{E0001}\u{E0020}-\u{E007F}\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}]|\p{Cs}/u;
// JS regexes have no Bidi_Class property; these ranges cover RFC 3454 table D.1 (Hebrew, Arabic,
// Syriac, Thaana, N'Ko and their presentation forms). Table D.2 is approximated as "any other letter".
const RAND_AL_CAT =
  /[\u05BE\u05C0\u05C3\u05D0-\u05F4\u061B-\u064A\u066D-\u066F\u0671-\u06D5\u06DD\u06E5\u06E6\u06FA-\u070D\u0710\u0712-\u072C\u0780-\u07A5\u07B1\u07C0-\u07EA\uFB1D\uFB1F-\uFB28\uFB2A-\uFDFC\uFE70-\uFEFC]/u;
const isLCat = (text: string): boolean => {
  for (const ch of text) if (/\p{L}/u.test(ch) && !RAND_AL_CAT.test(ch)) return true;
  return false;
};

export const saslprep = (input: string): string | undefined => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range test
  if (/^[\u0000-\u007F]*$/.test(input)) return input;
  // Space mapping first: U+200B is in both tables and PostgreSQL maps it to a space.
  const mapped = input.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '');
  const normalized = mapped.normalize('NFKC');
  if (normalized === '' || PROHIBITED.test(normalized)) return undefined;
  // RFC 3454 section 6 bidi rule: RTL strings must start and end with RTL and contain no LTR.
  if (RAND_AL_CAT.test(normalized)) {
    const chars = Array.from(normalized);
    if (isLCat(normalized)) return undefined;
    if (!RAND_AL_CAT.test(chars[0]!) || !RAND_AL_CAT.test(chars[chars.length - 1]!)) return undefined;
  }
  return normalized;
};
