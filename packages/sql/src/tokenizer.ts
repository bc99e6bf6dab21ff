// A lexer with DuckDB's (and Databricks') lexical rules. Tokens keep their source offsets so callers
// rewrite by slicing the original text: nothing inside a literal or quoted identifier is ever touched.
import { syntaxError } from './errors.js';

export type TokenKind =
  /** Bare word: keyword or unquoted identifier. */
  | 'word'
  /** "double-quoted" or `backtick` identifier; `value` is unescaped. */
  | 'quoted'
  /** 'single-quoted' string (also E'...'); `value` is unescaped. */
  | 'string'
  | 'number'
  /** One punctuation/operator character. Multi-character operators are sequences of these. */
  | 'punct'
  | 'space'
  | 'comment';

export interface Token {
  readonly kind: TokenKind;
  /** Raw source text of the token. */
  readonly text: string;
  /** Unescaped content for strings and quoted identifiers; the raw text otherwise. */
  readonly value: string;
  /** Offsets in the tokenized text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The quote character of a quoted identifier. */
  readonly quote?: '"' | '`';
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Tokenize `text` entirely, including whitespace and comments. Throws SqlError on unterminated quotes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string, quote?: '"' | '`'): void => {
    const raw = text.slice(start, end);
    tokens.push(
      quote
        ? { kind, text: raw, value: value ?? raw, start, end, quote }
        : { kind, text: raw, value: value ?? raw, start, end },
    );
  };
  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(text[i]!)) i++;
      push('space', start, i);
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && text[i + 1] === '*') {
      // DuckDB (from Postgres) nests block comments.
      let depth = 0;
      while (i < n) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) throw syntaxError(text, start, 'unterminated /* comment');
      push('comment', start, i);
    } else if (c === "'" || ((c === 'E' || c === 'e') && text[i + 1] === "'")) {
      const backslash = c !== "'";
      i = backslash ? i + 2 : i + 1;
      let value = '';
      for (;;) {
        if (i >= n) throw syntaxError(text, start, 'unterminated string literal');
        const ch = text[i]!;
        if (ch === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (backslash && ch === '\\' && i + 1 < n) {
          value += unescapeBackslash(text[i + 1]!);
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      push('string', start, i, value);
    } else if (c === '"' || c === '`') {
      i++;
      let value = '';
      for (;;) {
        if (i >= n)
          throw syntaxError(
            text,
            start,
            `unterminated ${c === '"' ? 'double-quoted' : 'backtick'} identifier`,
          );
        const ch = text[i]!;
        if (ch === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      push('quoted', start, i, value, c);
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (i < n && (isDigit(text[i]!) || text[i] === '_')) i++;
      if (text[i] === '.' && text[i + 1] !== '.') {
        i++;
        while (i < n && isDigit(text[i]!)) i++;
      }
      if (
        (text[i] === 'e' || text[i] === 'E') &&
        (isDigit(text[i + 1] ?? '') ||
          ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2] ?? '')))
      ) {
        i += 2;
        while (i < n && isDigit(text[i]!)) i++;
      }
      push('number', start, i);
    } else if (isWordStart(c)) {
      while (i < n && isWordPart(text[i]!)) i++;
      push('word', start, i);
    } else {
      i++;
      push('punct', start, i);
    }
  }
  return tokens;
}

function unescapeBackslash(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    default:
      return c;
  }
}

/** Tokens that carry meaning (no whitespace or comments). */
export const significant = (tokens: readonly Token[]): Token[] =>
  tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');

/** True when `t` is the bare word `word` (case-insensitive). */
export const isWord = (t: Token | undefined, word: string): boolean =>
  t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word;

export const isPunct = (t: Token | undefined, ch: string): boolean =>
  t !== undefined && t.kind === 'punct' && t.text === ch;

/** SQL string literal for `s` ('' escaping). */
export const quoteString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Double-quoted SQL identifier for `s`. */
export const quoteIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;
