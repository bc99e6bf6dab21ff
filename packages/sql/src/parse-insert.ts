// INSERT INTO | OVERWRITE with column lists, PARTITION specs and REPLACE WHERE.
import type { SqlText, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { isQueryStart, parseNameList } from './parse-common.js';
import { atPathRef, parsePathRef } from './table-refs.js';
import { isPunct } from './tokenizer.js';

export function parseInsert(c: Cursor): Statement | undefined {
  c.expectWords('INSERT');
  let overwrite: boolean;
  if (c.acceptWords('INTO')) overwrite = false;
  else if (c.acceptWords('OVERWRITE')) overwrite = true;
  else return undefined;
  c.acceptWords('TABLE');
  if (!atPathRef(c)) return undefined;
  const table = parsePathRef(c, false);
  if (
    c.peekWords('VERSION', 'AS', 'OF') ||
    c.peekWords('TIMESTAMP', 'AS', 'OF') ||
    c.peekWords('FOR', 'VERSION')
  ) {
    throw c.fail('time travel (VERSION/TIMESTAMP AS OF) is not allowed on a table that is written to');
  }
  let partition: { column: string; value?: SqlText }[] | undefined;
  if (c.acceptWords('PARTITION')) partition = parsePartitionSpec(c);
  let columns: string[] | undefined;
  if (isPunct(c.peek(), '(') && !isQueryStart(c, 1)) columns = parseNameList(c);
  const byName = c.acceptWords('BY', 'NAME');
  if (partition && byName) throw c.fail('PARTITION (...) cannot be combined with BY NAME');
  let replaceWhere: SqlText | undefined;
  if (c.acceptWords('REPLACE', 'WHERE')) {
    const from = c.here();
    let depth = 0;
    while (!c.atEnd()) {
      if (depth === 0 && c.pos > 0 && isQueryStart(c, 0) && endsPredicate(c)) break;
      const t = c.next();
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth--;
    }
    if (c.here() === from) throw c.error('a REPLACE WHERE predicate');
    replaceWhere = { sql: c.text.slice(from, c.tokens[c.pos - 1]!.end), offset: c.offset + from };
  }
  if (c.atEnd()) throw c.error('a query or VALUES after the table');
  if (!isQueryStart(c, 0)) throw c.error('a query (SELECT ...) or VALUES');
  const query = c.rest();
  return {
    kind: 'insert',
    table,
    overwrite,
    ...(columns === undefined ? {} : { columns }),
    ...(partition === undefined ? {} : { partition }),
    byName,
    ...(replaceWhere === undefined ? {} : { replaceWhere }),
    query,
  };
}

/** `(p = <literal>, q)` after INSERT ... PARTITION. */
function parsePartitionSpec(c: Cursor): { column: string; value?: SqlText }[] {
  c.expectPunct('(');
  const out: { column: string; value?: SqlText }[] = [];
  do {
    const column = c.identifier('a partition column');
    if (c.acceptPunct('=')) {
      const from = c.here();
      let depth = 0;
      while (!c.atEnd() && !(depth === 0 && (isPunct(c.peek(), ',') || isPunct(c.peek(), ')')))) {
        const t = c.next();
        if (isPunct(t, '(')) depth++;
        else if (isPunct(t, ')')) depth--;
      }
      if (c.here() === from) throw c.error('a partition value');
      out.push({
        column,
        value: { sql: c.text.slice(from, c.tokens[c.pos - 1]!.end), offset: c.offset + from },
      });
    } else out.push({ column });
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return out;
}

/**
 * At a query start inside a REPLACE WHERE predicate: a bare SELECT/VALUES/... always ends it; `(SELECT`
 * ends it only after a complete operand (not after IN, EXISTS, `=`, ...).
 */
function endsPredicate(c: Cursor): boolean {
  if (!isPunct(c.peek(), '(')) return true;
  const prev = c.peek(-1);
  if (!prev) return false;
  if (prev.kind === 'string' || prev.kind === 'number' || prev.kind === 'quoted' || isPunct(prev, ')'))
    return true;
  return (
    prev.kind === 'word' &&
    !['IN', 'EXISTS', 'ANY', 'ALL', 'SOME', 'NOT', 'AND', 'OR'].includes(prev.text.toUpperCase())
  );
}
