// Spark SQL text DuckDB macros cannot cover: datetime PATTERNS. Spark writes `yyyy-MM-dd HH:mm:ss`,
// DuckDB's strptime/strftime take `%Y-%m-%d %H:%M:%S`. When the pattern of to_date, to_timestamp,
// date_format, unix_timestamp, to_unix_timestamp or from_unixtime is a string literal it is translated
// here, before the query reaches DuckDB (whose Spark macros then take strftime patterns).
import { SqlError } from './errors.js';
import { quoteString, type Token, tokenize } from './tokenizer.js';

/** Function name (lower case) -> index of its pattern argument. */
const PATTERN_ARG: Readonly<Record<string, number>> = {
  to_date: 1,
  to_timestamp: 1,
  date_format: 1,
  unix_timestamp: 1,
  to_unix_timestamp: 1,
  from_unixtime: 1,
};

// Longest letter runs first; each maps a Spark DateTimeFormatter pattern to strftime.
const LETTERS: Readonly<Record<string, string>> = {
  yyyy: '%Y',
  yyy: '%Y',
  yy: '%y',
  y: '%Y',
  MMMM: '%B',
  MMM: '%b',
  MM: '%m',
  M: '%-m',
  LLLL: '%B',
  LLL: '%b',
  LL: '%m',
  dd: '%d',
  d: '%-d',
  DDD: '%j',
  HH: '%H',
  H: '%-H',
  hh: '%I',
  h: '%-I',
  mm: '%M',
  m: '%-M',
  ss: '%S',
  s: '%-S',
  SSSSSS: '%f',
  SSS: '%g',
  a: '%p',
  EEEE: '%A',
  EEE: '%a',
  E: '%a',
  XXX: '%z',
  Z: '%z',
  z: '%Z',
};

/**
 * Translates a Spark datetime pattern to a strftime pattern. Quoted text ('T') stays literal; a
 * letter run without an equivalent is an error naming it.
 */
export function sparkPatternToStrftime(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      // '' is a literal quote; 'text' is literal text.
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      const text = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out += text.replaceAll('%', '%%');
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      const run = pattern.slice(i, j);
      const mapped = LETTERS[run];
      if (mapped === undefined) {
        throw new SqlError(
          'UNSUPPORTED',
          `Datetime pattern letters '${run}' in '${pattern}' are not supported; use y, M, d, H, h, m, s, S (3 or 6), a, E`,
          { pattern },
        );
      }
      out += mapped;
      i = j;
      continue;
    }
    out += c === '%' ? '%%' : c;
    i++;
  }
  return out;
}

const significant = (t: Token): boolean => t.kind !== 'space' && t.kind !== 'comment';

/** Rewrites literal Spark datetime patterns in `sql` (nothing else changes). */
export function rewriteSparkSql(sql: string): string {
  if (!/to_date|to_timestamp|date_format|unix_timestamp|from_unixtime|rlike|regexp/i.test(sql)) return sql;
  const tokens = tokenize(sql).filter(significant);
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const rlike = rlikeEdit(tokens, i);
    if (rlike !== undefined) {
      edits.push(rlike);
      continue;
    }
    const argIndex = t.kind === 'word' ? PATTERN_ARG[t.text.toLowerCase()] : undefined;
    if (argIndex === undefined || tokens[i + 1]!.text !== '(') continue;
    // A qualified name (x.to_date) is some other object's member.
    if (i > 0 && tokens[i - 1]!.text === '.') continue;
    const literal = patternArgument(tokens, i + 2, argIndex);
    if (literal === undefined) continue;
    edits.push({
      start: literal.start,
      end: literal.end,
      text: quoteString(sparkPatternToStrftime(literal.value)),
    });
  }
  let out = sql;
  for (const e of edits.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * `a RLIKE 'p'` / `a REGEXP 'p'` (Spark: p matches anywhere in a) -> `a SIMILAR TO '(?s).*(?:p).*'`
 * (DuckDB: a full-match regular expression). Only a literal pattern; the operator position is
 * recognised by an operand before it.
 */
function rlikeEdit(
  tokens: readonly Token[],
  i: number,
): { start: number; end: number; text: string } | undefined {
  const t = tokens[i]!;
  if (t.kind !== 'word' || !/^(rlike|regexp)$/i.test(t.text)) return undefined;
  const pattern = tokens[i + 1];
  // `a NOT RLIKE 'p'`: the operand is before the NOT.
  const before = tokens[/^not$/i.test(tokens[i - 1]?.text ?? '') ? i - 2 : i - 1];
  if (pattern?.kind !== 'string' || before === undefined) return undefined;
  const operandEnd =
    before.kind === 'quoted' ||
    before.kind === 'string' ||
    before.kind === 'number' ||
    before.text === ')' ||
    before.text === ']' ||
    (before.kind === 'word' &&
      !/^(select|where|and|or|not|on|having|when|then|else|by|,)$/i.test(before.text));
  if (!operandEnd) return undefined;
  return {
    start: t.start,
    end: pattern.end,
    text: `SIMILAR TO ${quoteString(`(?s).*(?:${pattern.value}).*`)}`,
  };
}

/** The argument `index` of a call whose arguments start at `from`, when it is a lone string literal. */
function patternArgument(tokens: readonly Token[], from: number, index: number): Token | undefined {
  let depth = 0;
  let arg = 0;
  let argStart = from;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === '(' || t.text === '[') depth++;
    else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
    else if (depth === 0 && (t.text === ',' || t.text === ')')) {
      if (arg === index) {
        const only = k - argStart === 1 ? tokens[argStart]! : undefined;
        return only?.kind === 'string' ? only : undefined;
      }
      if (t.text === ')') return undefined;
      arg++;
      argStart = k + 1;
    }
  }
  return undefined;
}
