// Recursive-descent parser for the Delta/Databricks statements DuckDB cannot parse. Anything it does
// not recognise becomes a `query` statement for DuckDB.
import type { AlterAction, ColumnDefinition, SqlText, Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { parseColumnOptions, parseDataType } from './data-types.js';
import { SqlError } from './errors.js';
import { type StatementText, splitStatements } from './split-statements.js';
import { atPathRef, type PathRef, parsePathRef, type TimeTravel } from './table-refs.js';
import { isPunct, isWord } from './tokenizer.js';

/** Parses every statement of a script. */
export function parseScript(script: string): Statement[] {
  return splitStatements(script).map((s) => parseStatement(s, script));
}

/** Parses one statement (as cut by `splitStatements`); `script` is used for error positions. */
export function parseStatement(stmt: StatementText, script: string = stmt.sql): Statement {
  const c = new Cursor(stmt.tokens, stmt.sql, stmt.offset, script);
  const lead = stmt.sql.length - stmt.sql.trimStart().length;
  const passthrough = (): Statement => ({
    kind: 'query',
    query: { sql: stmt.sql.trim(), offset: stmt.offset + lead },
  });
  if (c.peekWords('CREATE') || c.peekWords('REPLACE', 'TABLE')) return parseCreate(c) ?? passthrough();
  if (c.peekWords('INSERT')) return parseInsert(c) ?? passthrough();
  if (c.peekWords('DESCRIBE') || c.peekWords('DESC')) return parseDescribe(c) ?? passthrough();
  if (c.peekWords('RESTORE')) return parseRestore(c);
  if (c.peekWords('ALTER', 'TABLE')) return parseAlter(c) ?? passthrough();
  return passthrough();
}

/** The path reference at the cursor, or TABLE_NOT_FOUND naming what was written instead. */
function targetTable(c: Cursor, allowTimeTravel: boolean): PathRef {
  if (atPathRef(c)) return parsePathRef(c, allowTimeTravel);
  const name = c.qualifiedName('a table reference delta.`/path/to/table`').join('.');
  throw new SqlError(
    'TABLE_NOT_FOUND',
    `Table '${name}' not found: Loch addresses tables by path for now; write delta.\`/path/to/table\``,
    { table: name },
  );
}

function parseCreate(c: Cursor): Statement | undefined {
  let orReplace = false;
  let replaceOnly = false;
  if (c.acceptWords('REPLACE', 'TABLE')) {
    orReplace = true;
    replaceOnly = true;
  } else {
    c.expectWords('CREATE');
    orReplace = c.acceptWords('OR', 'REPLACE');
    c.acceptWords('EXTERNAL');
    if (!c.acceptWords('TABLE')) return undefined;
  }
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  let table: PathRef | undefined;
  let name: string | undefined;
  if (atPathRef(c)) table = parsePathRef(c, false);
  else {
    // A named table is ours only when it says where it lives (or that it is Delta); else DuckDB's.
    if (!hasTopLevelWord(c, 'LOCATION') && !hasUsingDelta(c)) return undefined;
    name = c.qualifiedName('a table name').join('.');
  }
  let columns: ColumnDefinition[] | undefined;
  if (isPunct(c.peek(), '(') && !isQueryStart(c, 1)) {
    c.expectPunct('(');
    columns = [];
    do columns.push(parseColumnDefinition(c));
    while (c.acceptPunct(','));
    c.expectPunct(')');
  }
  let partitionedBy: string[] = [];
  let comment: string | undefined;
  let properties: Record<string, string> = {};
  let location: string | undefined;
  for (;;) {
    if (c.acceptWords('USING')) {
      const format = c.identifier('a table format');
      if (format.toUpperCase() !== 'DELTA') {
        c.pos--;
        throw new SqlError(
          'UNSUPPORTED',
          `Table format '${format}' is not supported: Loch creates Delta tables (USING DELTA)`,
        );
      }
    } else if (c.acceptWords('PARTITIONED', 'BY')) {
      partitionedBy = parseNameList(c);
    } else if (c.peekWords('CLUSTER', 'BY')) {
      throw new SqlError(
        'UNSUPPORTED',
        'CLUSTER BY (liquid clustering) is not supported yet: use PARTITIONED BY',
      );
    } else if (c.acceptWords('LOCATION')) {
      location = c.string('a location string');
    } else if (c.acceptWords('COMMENT')) {
      comment = c.string('a comment string');
    } else if (c.acceptWords('TBLPROPERTIES')) {
      properties = { ...properties, ...parseProperties(c) };
    } else break;
  }
  let query: SqlText | undefined;
  if (c.acceptWords('AS')) query = c.rest();
  else if (!c.atEnd() && isQueryStart(c, 0)) query = c.rest();
  c.expectEnd();
  if (table && location !== undefined) {
    throw new SqlError(
      'INVALID_ARGUMENT',
      `CREATE TABLE delta.\`${table.location}\` names its location twice: drop the LOCATION clause`,
    );
  }
  const target: PathRef = table ?? { location: location ?? '' };
  if (target.location === '') {
    throw new SqlError(
      'UNSUPPORTED',
      `CREATE TABLE ${name} needs a location: Loch has no catalog yet; add LOCATION '/path' or write delta.\`/path\``,
    );
  }
  return {
    kind: 'createTable',
    table: target,
    ...(name === undefined ? {} : { name }),
    orReplace,
    replaceOnly,
    ifNotExists,
    ...(columns === undefined ? {} : { columns }),
    partitionedBy,
    ...(comment === undefined ? {} : { comment }),
    properties,
    ...(query === undefined ? {} : { query }),
  };
}

function hasTopLevelWord(c: Cursor, word: string): boolean {
  let depth = 0;
  for (let k = c.pos; k < c.tokens.length; k++) {
    const t = c.tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'AS')) return false;
    else if (depth === 0 && isWord(t, word)) return true;
  }
  return false;
}

function hasUsingDelta(c: Cursor): boolean {
  for (let k = c.pos; k + 1 < c.tokens.length; k++) {
    if (isWord(c.tokens[k], 'AS')) return false;
    if (isWord(c.tokens[k], 'USING') && isWord(c.tokens[k + 1], 'DELTA')) return true;
  }
  return false;
}

/** True when the token `ahead` positions away starts a query (SELECT, WITH, VALUES, FROM, `(SELECT`). */
function isQueryStart(c: Cursor, ahead: number): boolean {
  let k = ahead;
  while (isPunct(c.peek(k), '(')) k++;
  const t = c.peek(k);
  return ['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE'].some((w) => isWord(t, w));
}

function parseColumnDefinition(c: Cursor): ColumnDefinition {
  const name = c.identifier('a column name');
  const type = parseDataType(c);
  const { nullable, comment } = parseColumnOptions(c);
  return comment === undefined ? { name, type, nullable } : { name, type, nullable, comment };
}

/** `(a, b, c)` */
function parseNameList(c: Cursor): string[] {
  c.expectPunct('(');
  const names: string[] = [];
  do names.push(c.qualifiedName('a column name').join('.'));
  while (c.acceptPunct(','));
  c.expectPunct(')');
  return names;
}

/** `('k' = 'v', delta.x = true, ...)`; Spark allows the `=` to be left out. */
function parseProperties(c: Cursor): Record<string, string> {
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
function parseKeyList(c: Cursor): string[] {
  c.expectPunct('(');
  const keys: string[] = [];
  do keys.push(c.peek()?.kind === 'string' ? c.string() : c.qualifiedName('a property key').join('.'));
  while (c.acceptPunct(','));
  c.expectPunct(')');
  return keys;
}

function parseInsert(c: Cursor): Statement | undefined {
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
  let columns: string[] | undefined;
  if (isPunct(c.peek(), '(') && !isQueryStart(c, 1)) columns = parseNameList(c);
  const byName = c.acceptWords('BY', 'NAME');
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
    byName,
    ...(replaceWhere === undefined ? {} : { replaceWhere }),
    query,
  };
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

function parseDescribe(c: Cursor): Statement | undefined {
  c.pos++; // DESCRIBE | DESC
  if (c.acceptWords('HISTORY')) {
    const table = targetTable(c, false);
    let limit: number | undefined;
    if (c.acceptWords('LIMIT')) limit = c.integer('a LIMIT count');
    c.expectEnd();
    return limit === undefined
      ? { kind: 'describeHistory', table }
      : { kind: 'describeHistory', table, limit };
  }
  if (c.acceptWords('DETAIL')) {
    const table = targetTable(c, false);
    c.expectEnd();
    return { kind: 'describeDetail', table };
  }
  c.acceptWords('TABLE');
  const extended = c.acceptWords('EXTENDED');
  if (!atPathRef(c)) return undefined;
  const table = parsePathRef(c, true);
  c.expectEnd();
  return { kind: 'describeTable', table, extended };
}

function parseRestore(c: Cursor): Statement {
  c.expectWords('RESTORE');
  c.acceptWords('TABLE');
  const table = targetTable(c, false);
  c.acceptWords('TO');
  let to: TimeTravel;
  if (c.acceptWords('VERSION', 'AS', 'OF')) to = { kind: 'version', version: c.integer('a version number') };
  else if (c.acceptWords('TIMESTAMP', 'AS', 'OF')) {
    const { sql } = c.rest();
    to = { kind: 'timestamp', sql: sql.trim() };
  } else throw c.error('VERSION AS OF <n> or TIMESTAMP AS OF <timestamp>');
  c.expectEnd();
  return { kind: 'restore', table, to };
}

function parseAlter(c: Cursor): Statement | undefined {
  c.expectWords('ALTER', 'TABLE');
  if (!atPathRef(c)) return undefined;
  const table = parsePathRef(c, false);
  let action: AlterAction;
  if (c.acceptWords('ADD')) {
    if (!c.acceptWords('COLUMNS')) c.acceptWords('COLUMN');
    const columns: ColumnDefinition[] = [];
    const paren = c.acceptPunct('(');
    do columns.push(parseColumnDefinition(c));
    while (c.acceptPunct(','));
    if (paren) c.expectPunct(')');
    action = { kind: 'addColumns', columns };
  } else if (c.acceptWords('RENAME', 'COLUMN')) {
    const from = c.qualifiedName('a column name').join('.');
    c.expectWords('TO');
    const to = c.identifier('the new column name');
    action = { kind: 'renameColumn', from, to };
  } else if (c.acceptWords('DROP')) {
    if (!c.acceptWords('COLUMNS')) c.expectWords('COLUMN');
    const ifExists = c.acceptWords('IF', 'EXISTS');
    const columns = isPunct(c.peek(), '(') ? parseNameList(c) : commaNames(c);
    action = { kind: 'dropColumns', columns, ifExists };
  } else if (c.acceptWords('SET', 'TBLPROPERTIES')) {
    action = { kind: 'setProperties', properties: parseProperties(c) };
  } else if (c.acceptWords('UNSET', 'TBLPROPERTIES')) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    action = { kind: 'unsetProperties', keys: parseKeyList(c), ifExists };
  } else {
    throw c.error('ADD COLUMNS, RENAME COLUMN, DROP COLUMNS, SET TBLPROPERTIES or UNSET TBLPROPERTIES');
  }
  c.expectEnd();
  return { kind: 'alterTable', table, action };
}

function commaNames(c: Cursor): string[] {
  const names: string[] = [];
  do names.push(c.qualifiedName('a column name').join('.'));
  while (c.acceptPunct(','));
  return names;
}
