// Array text format ({1,2,NULL}, {{1,2},{3,4}}, {"a b","x\"y"}) as array_out prints it and
// array_in reads it. Element text comes from / goes to the element type's own text codec.
import { type DecodeResult, invalidText, ok, valueError } from './values.js';

/** PostgreSQL's MAXDIM. */
export const MAX_ARRAY_DIMS = 6;

const needsQuotes = (s: string, delim: string): boolean => {
  if (s === '' || (s.length === 4 && s.toUpperCase() === 'NULL')) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === '\\' || c === '{' || c === '}' || c === delim) return true;
    const code = s.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13)) return true;
  }
  return false;
};

const quote = (s: string, delim: string): string =>
  needsQuotes(s, delim) ? `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"` : s;

/** A nested array of element texts (null = NULL) in array_out syntax. */
export interface TextArray extends ReadonlyArray<string | null | TextArray> {}

export const formatArrayText = (items: TextArray, delim = ','): string => {
  const parts = items.map((v) =>
    v === null ? 'NULL' : typeof v === 'string' ? quote(v, delim) : formatArrayText(v, delim),
  );
  return `{${parts.join(delim)}}`;
};

/**
 * Parses array_in syntax into nested element texts. Dimensions must be rectangular; an optional
 * `[lo:hi]=` decoration is accepted and its bounds checked against the contents.
 */
export const parseArrayText = (input: string, delim = ','): DecodeResult<TextArray> => {
  let s = input.trim();
  const dims: [number, number][] = [];
  const deco = /^((?:\[-?\d+(?::-?\d+)?\])+)\s*=\s*/.exec(s);
  if (deco !== null) {
    for (const m of deco[1]!.matchAll(/\[(-?\d+)(?::(-?\d+))?\]/g)) {
      const lo = m[2] === undefined ? 1 : Number(m[1]);
      const hi = Number(m[2] ?? m[1]);
      dims.push([lo, hi]);
    }
    s = s.slice(deco[0].length);
  }
  const bad = () => invalidText('array', input.length > 100 ? `${input.slice(0, 100)}...` : input);
  if (!s.startsWith('{')) return bad();

  let pos = 0;
  const isSpace = (c: string | undefined) =>
    c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  const skipSpace = () => {
    while (isSpace(s[pos])) pos++;
  };

  const parseLevel = (depth: number): TextArray | undefined => {
    if (depth > MAX_ARRAY_DIMS) return undefined;
    pos++; // '{'
    const items: (string | null | TextArray)[] = [];
    skipSpace();
    if (s[pos] === '}') {
      pos++;
      return items;
    }
    for (;;) {
      skipSpace();
      if (s[pos] === '{') {
        const sub = parseLevel(depth + 1);
        if (sub === undefined) return undefined;
        items.push(sub);
      } else if (s[pos] === '"') {
        pos++;
        let text = '';
        while (pos < s.length && s[pos] !== '"') {
          if (s[pos] === '\\') pos++;
          if (pos >= s.length) return undefined;
          text += s[pos++];
        }
        if (s[pos] !== '"') return undefined;
        pos++;
        items.push(text);
      } else {
        let text = '';
        let quotedSomething = false;
        while (pos < s.length && s[pos] !== delim && s[pos] !== '}') {
          const c = s[pos]!;
          if (c === '{' || c === '"') return undefined;
          if (c === '\\') {
            pos++;
            if (pos >= s.length) return undefined;
            quotedSomething = true;
          }
          text += s[pos++];
        }
        // Trailing whitespace of an unquoted element is not part of it (unless escaped).
        const trimmed = quotedSomething ? text : text.replace(/[ \t\n\r\v\f]+$/, '');
        if (trimmed === '') return undefined;
        items.push(!quotedSomething && trimmed.toUpperCase() === 'NULL' ? null : trimmed);
      }
      skipSpace();
      if (s[pos] === delim) {
        pos++;
        continue;
      }
      if (s[pos] === '}') {
        pos++;
        return items;
      }
      return undefined;
    }
  };

  const parsed = parseLevel(1);
  if (parsed === undefined) return bad();
  skipSpace();
  if (pos !== s.length) return bad();

  const shape = arrayShape(parsed);
  if (shape === undefined) {
    return valueError(
      '22P02',
      `malformed array literal: "${input}": multidimensional arrays must have sub-arrays with matching dimensions`,
    );
  }
  if (dims.length > 0) {
    const sizes = dims.map(([lo, hi]) => hi - lo + 1);
    if (sizes.length !== shape.length || sizes.some((n, i) => n !== shape[i])) {
      return valueError(
        '22P02',
        `malformed array literal: "${input}": array dimensions do not match array contents`,
      );
    }
  }
  return ok(parsed);
};

/**
 * Dimensions of a rectangular nested array ([] -> [], [1,2] -> [2], [[1],[2]] -> [2,1]), or
 * undefined when sub-arrays disagree or scalars and arrays are mixed at one level.
 */
export const arrayShape = <T>(
  items: ReadonlyArray<T>,
  isLeaf: (v: T) => boolean = (v) => !Array.isArray(v),
): number[] | undefined => {
  if (items.length === 0) return [];
  const first = items[0]!;
  if (isLeaf(first)) return items.every(isLeaf) ? [items.length] : undefined;
  const inner = arrayShape(first as unknown as ReadonlyArray<T>, isLeaf);
  if (inner === undefined || inner.length === 0) return undefined;
  for (const it of items) {
    if (isLeaf(it)) return undefined;
    const s = arrayShape(it as unknown as ReadonlyArray<T>, isLeaf);
    if (s === undefined || s.length !== inner.length || s.some((n, i) => n !== inner[i])) return undefined;
  }
  return [items.length, ...inner];
};
