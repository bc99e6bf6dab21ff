// Recursive-descent parser for the Delta/Databricks statements DuckDB cannot parse. Anything it does
// not recognise becomes a `query` statement for DuckDB.
import type { Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import { targetTable } from './parse-common.js';
import { parseAlter, parseCreate } from './parse-ddl.js';
import { parseDelete, parseUpdate } from './parse-dml.js';
import { atConvert, atCopyInto, parseConvert, parseCopyInto } from './parse-ingest.js';
import { parseInsert } from './parse-insert.js';
import { parseOptimize, parseSessionSet, parseVacuum } from './parse-maintenance.js';
import { parseMerge } from './parse-merge.js';
import { type StatementText, splitStatements } from './split-statements.js';
import { atPathRef, parsePathRef, type TimeTravel } from './table-refs.js';

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
  if (c.peekWords('SHOW', 'TBLPROPERTIES')) return parseShowTblProperties(c);
  if (c.peekWords('ALTER', 'TABLE')) return parseAlter(c) ?? passthrough();
  if (c.peekWords('OPTIMIZE') && atTarget(c)) return parseOptimize(c);
  if (c.peekWords('VACUUM') && atDeltaPath(c)) return parseVacuum(c);
  if (c.peekWords('SET') || c.peekWords('RESET')) {
    const set = parseSessionSet(c);
    if (set !== undefined) return set;
  }
  if (c.peekWords('DELETE', 'FROM') && targetsPath(c, 2)) return parseDelete(c);
  if (c.peekWords('UPDATE') && targetsPath(c, 1)) return parseUpdate(c);
  if (c.peekWords('MERGE') && mergesIntoPath(c)) return parseMerge(c);
  if (atConvert(c)) return parseConvert(c);
  if (atCopyInto(c)) return parseCopyInto(c);
  rejectNotYetSupported(c);
  return passthrough();
}

/** Delta statements of later issues: a clear error beats DuckDB's parse error on the rewritten text. */
const LATER = ['MERGE', 'OPTIMIZE', 'VACUUM', 'TRUNCATE', 'CONVERT', 'CLONE', 'REORG'];

/** MERGE [WITH SCHEMA EVOLUTION] INTO delta.`path`. */
function mergesIntoPath(c: Cursor): boolean {
  return targetsPath(c, 2) || targetsPath(c, 5);
}

/** True when a delta.`path` reference starts `at` tokens in (DML on other tables goes to DuckDB). */
function targetsPath(c: Cursor, at: number): boolean {
  c.pos = at;
  const yes = atPathRef(c);
  c.pos = 0;
  return yes;
}

function rejectNotYetSupported(c: Cursor): void {
  const first = c.peek();
  const word = first?.kind === 'word' ? first.text.toUpperCase() : '';
  if (!LATER.includes(word)) return;
  for (c.pos = 0; !c.atEnd(); c.pos++) {
    if (atPathRef(c)) {
      throw new SqlError(
        'UNSUPPORTED',
        `${word} on Delta tables is not supported yet; it is planned in a later release`,
        {
          statement: word,
        },
      );
    }
  }
  c.pos = 0;
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

function parseShowTblProperties(c: Cursor): Statement {
  c.expectWords('SHOW', 'TBLPROPERTIES');
  const table = targetTable(c, false);
  let key: string | undefined;
  if (c.acceptPunct('(')) {
    key = c.peek()?.kind === 'string' ? c.string() : c.qualifiedName('a property key').join('.');
    c.expectPunct(')');
  }
  c.expectEnd();
  return key === undefined ? { kind: 'showTblProperties', table } : { kind: 'showTblProperties', table, key };
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

/** OPTIMIZE of a table (DuckDB has no OPTIMIZE: a bare name gets our table-not-found message). */
function atTarget(c: Cursor): boolean {
  const next = c.peek(1);
  return next !== undefined && (next.kind === 'word' || next.kind === 'quoted');
}

/** VACUUM delta.`path`: DuckDB's own VACUUM [ANALYZE] of its tables keeps working. */
function atDeltaPath(c: Cursor): boolean {
  c.pos = 1;
  const at = atPathRef(c);
  c.pos = 0;
  return at;
}
