// DELETE FROM <t> [[AS] alias] [WHERE p] and UPDATE <t> [[AS] alias] SET c = e [, ...] [WHERE p].
// Predicates and expressions are kept as text (DuckDB SQL) with their offsets; only the commas
// and WHERE at parenthesis depth 0 end an assignment.
import type { SqlText, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { targetTable } from './parse-common.js';
import { isPunct, isWord } from './tokenizer.js';

const CLAUSE_WORDS = ['SET', 'WHERE'];

function noTimeTravel(c: Cursor): void {
  if (
    c.peekWords('VERSION', 'AS', 'OF') ||
    c.peekWords('TIMESTAMP', 'AS', 'OF') ||
    c.peekWords('FOR', 'VERSION')
  ) {
    throw c.fail('time travel (VERSION/TIMESTAMP AS OF) is not allowed on a table that is written to');
  }
}

function optionalAlias(c: Cursor): string | undefined {
  if (c.acceptWords('AS')) return c.identifier('an alias');
  const t = c.peek();
  if (t?.kind === 'quoted' || (t?.kind === 'word' && !CLAUSE_WORDS.includes(t.text.toUpperCase()))) {
    return c.identifier('an alias');
  }
  return undefined;
}

/** Text up to the end of the statement, or (with `stopAtComma`) a comma/WHERE at depth 0. */
function expressionText(c: Cursor, what: string, stopAtComma: boolean): SqlText {
  const from = c.here();
  const start = c.pos;
  let depth = 0;
  while (!c.atEnd()) {
    const t = c.peek();
    if (depth === 0 && stopAtComma && (isPunct(t, ',') || isWord(t, 'WHERE'))) break;
    c.pos++;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
  }
  if (c.pos === start) throw c.error(what);
  return { sql: c.text.slice(from, c.tokens[c.pos - 1]!.end), offset: c.offset + from };
}

function whereClause(c: Cursor): SqlText | undefined {
  if (!c.acceptWords('WHERE')) return undefined;
  return expressionText(c, 'a WHERE condition', false);
}

export function parseDelete(c: Cursor): Statement {
  c.expectWords('DELETE', 'FROM');
  const table = targetTable(c, false);
  noTimeTravel(c);
  const alias = optionalAlias(c);
  const where = whereClause(c);
  c.expectEnd();
  return {
    kind: 'delete',
    table,
    ...(alias === undefined ? {} : { alias }),
    ...(where === undefined ? {} : { where }),
  };
}

export function parseUpdate(c: Cursor): Statement {
  c.expectWords('UPDATE');
  const table = targetTable(c, false);
  noTimeTravel(c);
  const alias = optionalAlias(c);
  c.expectWords('SET');
  const assignments: { column: string; value: SqlText }[] = [];
  do {
    const name = c.qualifiedName('a column name');
    // `alias.col` / `t.col` name the target's column; nested struct fields are not assignable yet.
    if (name.length > 2 || (name.length === 2 && alias !== undefined && name[0] !== alias)) {
      throw c.fail(`cannot assign to '${name.join('.')}': only top-level columns can be updated`);
    }
    c.expectPunct('=');
    assignments.push({ column: name[name.length - 1]!, value: expressionText(c, 'an expression', true) });
  } while (c.acceptPunct(','));
  const where = whereClause(c);
  c.expectEnd();
  return {
    kind: 'update',
    table,
    ...(alias === undefined ? {} : { alias }),
    assignments,
    ...(where === undefined ? {} : { where }),
  };
}
