// Grammar pieces shared by the statement parsers: table targets, column definitions, name and
// property lists.
import type { ColumnDefinition } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseColumnOptions, parseDataType } from './data-types.js';
import { SqlError } from './errors.js';
import { atPathRef, type PathRef, parsePathRef } from './table-refs.js';
import { isPunct, isWord } from './tokenizer.js';

/** The path reference at the cursor, or TABLE_NOT_FOUND naming what was written instead. */
export function targetTable(c: Cursor, allowTimeTravel: boolean): PathRef {
  if (atPathRef(c)) return parsePathRef(c, allowTimeTravel);
  const name = c.qualifiedName('a table reference delta.`/path/to/table`').join('.');
  throw new SqlError(
    'TABLE_NOT_FOUND',
    `Table '${name}' not found: Loch addresses tables by path for now; write delta.\`/path/to/table\``,
    { table: name },
  );
}

/** True when the token `ahead` positions away starts a query (SELECT, WITH, VALUES, FROM, `(SELECT`). */
export function isQueryStart(c: Cursor, ahead: number): boolean {
  let k = ahead;
  while (isPunct(c.peek(k), '(')) k++;
  const t = c.peek(k);
  return ['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE'].some((w) => isWord(t, w));
}

export function parseColumnDefinition(c: Cursor): ColumnDefinition {
  const name = c.identifier('a column name');
  const type = parseDataType(c);
  const { nullable, comment } = parseColumnOptions(c);
  return comment === undefined ? { name, type, nullable } : { name, type, nullable, comment };
}

/** `(a, b, c)` */
export function parseNameList(c: Cursor): string[] {
  c.expectPunct('(');
  const names: string[] = [];
  do names.push(c.qualifiedName('a column name').join('.'));
  while (c.acceptPunct(','));
  c.expectPunct(')');
  return names;
}

/** `('k' = 'v', delta.x = true, ...)`; Spark allows the `=` to be left out. */
export function parseProperties(c: Cursor): Record<string, string> {
  c.expectPunct('(');
  const props: Record<string, string> = {};
  do {
    const key = c.peek()?.kind === 'string' ? c.string() : c.qualifiedName('a property key').join('.');
    c.acceptPunct('=');
    props[key] = propertyValue(c);
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return props;
}

function propertyValue(c: Cursor): string {
  const t = c.peek();
  if (t?.kind === 'string') return c.string();
  if (t?.kind === 'number') {
    c.pos++;
    return t.text;
  }
  if (isPunct(t, '-') && c.peek(1)?.kind === 'number') {
    c.pos += 2;
    return `-${c.tokens[c.pos - 1]!.text}`;
  }
  if (t?.kind === 'word') {
    c.pos++;
    return /^(true|false)$/i.test(t.text) ? t.text.toLowerCase() : t.text;
  }
  throw c.error('a property value');
}

/** `(a, b)` after a property key list for UNSET */
export function parseKeyList(c: Cursor): string[] {
  c.expectPunct('(');
  const keys: string[] = [];
  do keys.push(c.peek()?.kind === 'string' ? c.string() : c.qualifiedName('a property key').join('.'));
  while (c.acceptPunct(','));
  c.expectPunct(')');
  return keys;
}

export function commaNames(c: Cursor): string[] {
  const names: string[] = [];
  do names.push(c.qualifiedName('a column name').join('.'));
  while (c.acceptPunct(','));
  return names;
}
