// Path-based Delta table references (delta.`/path/to/table`, with optional time travel) found by
// token, and the rewrite that replaces each with `(<scan sql>) AS <alias>`.
import { Cursor } from './cursor.js';
import { isPunct, isWord, quoteIdent, quoteString, type Token, tokenize } from './tokenizer.js';

/** Which version of a table to read: a version number, or a timestamp given as a SQL expression. */
export type TimeTravel =
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'timestamp'; readonly sql: string };

export interface PathRef {
  /** The location as written inside the quotes, without an `@v<n>` suffix. */
  readonly location: string;
  readonly timeTravel?: TimeTravel;
}

/** A reference inside query text, with its span (offsets in the text) and alias facts. */
export interface QueryTableRef extends PathRef {
  readonly start: number;
  readonly end: number;
  /** True when the user wrote an alias after the reference (kept as written). */
  readonly hasAlias: boolean;
  /** Alias to add when the user wrote none: the last path segment, unique within the query. */
  readonly alias: string;
}

/** Words that can follow a table reference and are not an alias. */
export const NOT_ALIAS: ReadonlySet<string> = new Set([
  'WHERE',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'POSITIONAL',
  'ASOF',
  'ANTI',
  'SEMI',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'HAVING',
  'WINDOW',
  'QUALIFY',
  'TABLESAMPLE',
  'PIVOT',
  'UNPIVOT',
  'SELECT',
  'FROM',
  'SET',
  'VALUES',
  'RETURNING',
  'LATERAL',
  'FETCH',
  'FOR',
  'WITH',
  'INTO',
  'BY',
  'SAMPLE',
  'REPLACE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'AND',
  'OR',
  'NOT',
  'IS',
  'IN',
  'LIKE',
  'BETWEEN',
  'DISTRIBUTE',
  'CLUSTER',
  'SORT',
  'ALL',
]);

/** True when the cursor is at `delta.` followed by a quoted identifier (and not `x.delta.`...``). */
export function atPathRef(c: Cursor): boolean {
  const prev = c.tokens[c.pos - 1];
  const q = c.peek(2);
  return isWord(c.peek(), 'DELTA') && isPunct(c.peek(1), '.') && q?.kind === 'quoted' && !isPunct(prev, '.');
}

/**
 * Parses `delta.`<location>`` plus an optional `[FOR] VERSION AS OF n` / `[FOR] TIMESTAMP AS OF <expr>`.
 * `allowTimeTravel` is false for write targets: a following AS OF clause is left to the caller.
 */
export function parsePathRef(c: Cursor, allowTimeTravel = true): PathRef {
  if (!atPathRef(c)) throw c.error('a table reference delta.`/path/to/table`');
  c.pos += 2;
  const quotedTok = c.next();
  let location = quotedTok.value;
  let timeTravel: TimeTravel | undefined;
  const suffix = /^(.*)@(v(\d+)|(\d{17}))$/.exec(location);
  if (suffix) {
    location = suffix[1]!;
    if (suffix[3] !== undefined) timeTravel = { kind: 'version', version: Number(suffix[3]) };
    else {
      const d = suffix[4]!;
      const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}.${d.slice(14)}`;
      timeTravel = { kind: 'timestamp', sql: quoteString(iso) };
    }
  }
  if (location.trim() === '') {
    c.pos--;
    throw c.error('a non-empty table location inside the quotes');
  }
  if (!allowTimeTravel) {
    if (timeTravel) throw c.fail('time travel (an @ suffix) is not allowed on a table that is written to');
    return { location };
  }
  const ttStart = c.pos;
  c.acceptWords('FOR');
  if (c.peekWords('VERSION', 'AS', 'OF') || c.peekWords('TIMESTAMP', 'AS', 'OF')) {
    if (timeTravel)
      throw c.fail('only one time travel clause is allowed (the @ suffix already selects a version)');
    if (c.acceptWords('VERSION', 'AS', 'OF'))
      timeTravel = { kind: 'version', version: c.integer('a version number') };
    else {
      c.expectWords('TIMESTAMP', 'AS', 'OF');
      const from = c.here();
      skipExpression(c);
      timeTravel = { kind: 'timestamp', sql: c.text.slice(from, c.tokens[c.pos - 1]!.end) };
    }
  } else c.pos = ttStart;
  return timeTravel ? { location, timeTravel } : { location };
}

/** Skips a simple scalar expression: operands (literals, function calls, INTERVAL '..' unit, (...)) joined by operators. */
function skipExpression(c: Cursor): void {
  for (;;) {
    const t = c.peek();
    if (!t) throw c.error('a timestamp expression');
    if (isWord(t, 'INTERVAL')) {
      c.pos++;
      const v = c.next();
      if (v.kind !== 'string' && v.kind !== 'number') throw c.error('an interval value');
      const unit = c.peek();
      if (
        unit?.kind === 'word' &&
        !NOT_ALIAS.has(unit.text.toUpperCase()) &&
        unit.text.toUpperCase() !== 'AS'
      )
        c.pos++;
    } else if (t.kind === 'string' || t.kind === 'number') c.pos++;
    else if (isPunct(t, '(')) c.skipBalanced();
    else if (t.kind === 'word') {
      c.pos++;
      if (isPunct(c.peek(), '(')) c.skipBalanced();
      // a typed literal: TIMESTAMP '2024-01-01 00:00:00'
      else if (c.peek()?.kind === 'string') c.pos++;
    } else throw c.error('a timestamp expression');
    // `::type` casts
    while (isPunct(c.peek(), ':') && isPunct(c.peek(1), ':')) {
      c.pos += 2;
      c.identifier('a type');
    }
    const op = c.peek();
    if (op && op.kind === 'punct' && ['+', '-', '*', '/'].includes(op.text)) c.pos++;
    else if (isPunct(op, '|') && isPunct(c.peek(1), '|')) c.pos += 2;
    else return;
  }
}

/** Every path-based table reference in a query, in order. */
export function findTableRefs(sql: string, tokens: readonly Token[] = tokenize(sql)): QueryTableRef[] {
  const c = new Cursor(tokens, sql);
  const refs: QueryTableRef[] = [];
  const used = new Set<string>();
  while (!c.atEnd()) {
    if (!atPathRef(c)) {
      c.pos++;
      continue;
    }
    const start = c.peek()!.start;
    const ref = parsePathRef(c);
    const end = c.tokens[c.pos - 1]!.end;
    const next = c.peek();
    const hasAlias =
      next !== undefined &&
      (isWord(next, 'AS') ||
        next.kind === 'quoted' ||
        (next.kind === 'word' && !NOT_ALIAS.has(next.text.toUpperCase())));
    const alias = uniqueAlias(baseName(ref.location), used);
    refs.push({ ...ref, start, end, hasAlias, alias });
  }
  return refs;
}

function baseName(location: string): string {
  const parts = location.split(/[/\\]/).filter((p) => p !== '' && p !== '.');
  return parts[parts.length - 1] ?? 'delta';
}

function uniqueAlias(base: string, used: Set<string>): string {
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}_${k}`;
  used.add(name.toLowerCase());
  return name;
}

/** Replaces each reference with `(<relation>)` and, when the user wrote no alias, `AS "<alias>"`. */
export function rewriteTableRefs(
  sql: string,
  refs: readonly QueryTableRef[],
  relations: readonly string[],
): string {
  if (refs.length !== relations.length)
    throw new Error('rewriteTableRefs: one relation per reference expected');
  let out = '';
  let at = 0;
  refs.forEach((ref, k) => {
    out += sql.slice(at, ref.start);
    out += `(${relations[k]})`;
    if (!ref.hasAlias) out += ` AS ${quoteIdent(ref.alias)}`;
    at = ref.end;
  });
  return out + sql.slice(at);
}
