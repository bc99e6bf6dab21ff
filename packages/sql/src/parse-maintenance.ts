// Table maintenance statements: OPTIMIZE t [WHERE <partition predicate>] [ZORDER BY (c, ...)], VACUUM t [RETAIN n HOURS]
// [DRY RUN], and the one Delta session setting Loch keeps itself,
// SET spark.databricks.delta.retentionDurationCheck.enabled = true|false.
import type { Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import { parseNameList, targetTable } from './parse-common.js';
import { isPunct, isWord } from './tokenizer.js';

/** Session settings the SQL layer handles itself (lower case); other SETs go to DuckDB. */
export const SESSION_SETTINGS = [
  'spark.databricks.delta.retentionDurationCheck.enabled',
  'spark.databricks.delta.schema.autoMerge.enabled',
] as const;
export type SessionSetting = (typeof SESSION_SETTINGS)[number];

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
 * `SET <setting> = <value>` for a setting in SESSION_SETTINGS; undefined for any other SET (DuckDB
 * runs those). Delta accepts `true`/`false` in any case, quoted or not.
 */
export function parseSessionSet(c: Cursor): Statement | undefined {
  if (!isWord(c.peek(), 'SET')) return undefined;
  const start = c.pos;
  c.pos++;
  const t = c.peek();
  if (t?.kind !== 'word' && t?.kind !== 'quoted') {
    c.pos = start;
    return undefined;
  }
  const key = c.qualifiedName('a setting name').join('.');
  const setting = SESSION_SETTINGS.find((s) => s.toLowerCase() === key.toLowerCase());
  if (setting === undefined) {
    c.pos = start;
    return undefined;
  }
  if (!c.acceptPunct('=')) c.expectWords('TO');
  const v = c.next();
  const text = (v.kind === 'string' ? v.value : v.text).toLowerCase();
  if (text !== 'true' && text !== 'false') {
    throw new SqlError('INVALID_ARGUMENT', `${setting} must be true or false, not '${v.text}'`, {
      setting,
      value: v.text,
    });
  }
  c.expectEnd();
  return { kind: 'setSession', key: setting, value: text };
}
