// Table maintenance statements: OPTIMIZE t [WHERE <partition predicate>] [ZORDER BY (c, ...)], VACUUM t [RETAIN n HOURS]
// [DRY RUN], and the Spark session configuration (SET / RESET spark.<key>).
import type { Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseNameList, targetTable } from './parse-common.js';
import { confValue, isSparkConfKey } from './spark-conf.js';
import { isPunct, isWord } from './tokenizer.js';

export function parseOptimize(c: Cursor): Statement {
  c.expectWords('OPTIMIZE');
  const table = targetTable(c, false);
  let where: { sql: string; offset: number } | undefined;
  if (c.acceptWords('WHERE')) {
    const start = c.here();
    let depth = 0;
    while (!c.atEnd() && !(depth === 0 && c.peekWords('ZORDER', 'BY'))) {
      const t = c.next();
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth--;
    }
    const sql = c.text.slice(start, c.atEnd() ? c.text.length : c.here()).trim();
    if (sql === '') throw c.error('a partition predicate after WHERE');
    where = { sql: sql.replace(/;+\s*$/u, ''), offset: c.offset + start };
  }
  let zOrderBy: string[] | undefined;
  if (c.acceptWords('ZORDER', 'BY')) {
    // Delta accepts the list with or without parentheses.
    if (isPunct(c.peek(), '(')) zOrderBy = parseNameList(c);
    else {
      zOrderBy = [];
      do zOrderBy.push(c.qualifiedName('a column name').join('.'));
      while (c.acceptPunct(','));
    }
  }
  c.expectEnd();
  return {
    kind: 'optimize',
    table,
    ...(where === undefined ? {} : { where }),
    ...(zOrderBy === undefined ? {} : { zOrderBy }),
  };
}

export function parseVacuum(c: Cursor): Statement {
  c.expectWords('VACUUM');
  const table = targetTable(c, false);
  let retainHours: number | undefined;
  if (c.acceptWords('RETAIN')) {
    const t = c.peek();
    if (t?.kind !== 'number' || !/^\d+(\.\d+)?$/u.test(t.text))
      throw c.error('a number of hours after RETAIN');
    c.pos++;
    retainHours = Number(t.text);
    c.expectWords('HOURS');
  }
  const dryRun = c.acceptWords('DRY', 'RUN');
  c.expectEnd();
  return retainHours === undefined
    ? { kind: 'vacuum', table, dryRun }
    : { kind: 'vacuum', table, retainHours, dryRun };
}

/**
 * `SET spark.<key> = <value>`, `SET spark.<key>` (show it), `SET` (show all) and `RESET [spark.<key>]`:
 * the Spark session configuration the SQL layer keeps (spark-conf.ts). Undefined for any other
 * SET/RESET, which DuckDB runs. The value is the rest of the statement, unquoted when it is one
 * string literal (`SET k = 'interval 7 days'`, `SET k = true`, `SET k = 128MB` all work).
 */
export function parseSessionSet(c: Cursor): Statement | undefined {
  const reset = isWord(c.peek(), 'RESET');
  if (!reset && !isWord(c.peek(), 'SET')) return undefined;
  const start = c.pos;
  c.pos++;
  if (c.atEnd()) return reset ? { kind: 'resetSession' } : { kind: 'showSession' };
  const t = c.peek();
  if (t?.kind !== 'word' && t?.kind !== 'quoted') {
    c.pos = start;
    return undefined;
  }
  const key = c.qualifiedName('a setting name').join('.');
  if (!isSparkConfKey(key)) {
    c.pos = start;
    return undefined;
  }
  if (reset) {
    c.expectEnd();
    return { kind: 'resetSession', key };
  }
  if (c.atEnd()) return { kind: 'showSession', key };
  if (!c.acceptPunct('=')) c.expectWords('TO');
  if (c.atEnd()) throw c.error(`a value for ${key}`);
  const first = c.peek();
  const from = c.here();
  while (!c.atEnd()) c.next();
  const raw = c.text
    .slice(from)
    .replace(/;+\s*$/u, '')
    .trim();
  const value = first?.kind === 'string' && raw === first.text ? first.value : raw;
  return { kind: 'setSession', key, value: confValue(key, value) };
}
