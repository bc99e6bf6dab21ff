// MERGE [WITH SCHEMA EVOLUTION] INTO delta.`path` [[AS] t] USING <source> [[AS] s] ON <cond>
//   WHEN MATCHED [AND c] THEN UPDATE SET a = e, ... | UPDATE SET * | DELETE
//   WHEN NOT MATCHED [BY TARGET] [AND c] THEN INSERT (a, ...) VALUES (e, ...) | INSERT *
//   WHEN NOT MATCHED BY SOURCE [AND c] THEN UPDATE SET a = e, ... | DELETE
// The source is a parenthesized query or a table reference (delta.`path` or any DuckDB table).
// Conditions and expressions are kept as text; they end at a WHEN / THEN / comma at parenthesis
// depth 0 outside CASE ... END.
import type { MergeClauseAst, SqlText, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { parenthesizedText, targetTable } from './parse-common.js';
import { isPunct, isWord, type Token } from './tokenizer.js';

const STOP_ALIAS = ['ON', 'USING', 'WHEN', 'AS'];

function optionalAlias(c: Cursor): string | undefined {
  if (c.acceptWords('AS')) return c.identifier('an alias');
  const t = c.peek();
  if (t?.kind === 'quoted' || (t?.kind === 'word' && !STOP_ALIAS.includes(t.text.toUpperCase()))) {
    return c.identifier('an alias');
  }
  return undefined;
}

/** Text up to (not including) a token `stop` accepts at depth 0 outside CASE, or the end. */
function textUntil(c: Cursor, what: string, stop: (t: Token) => boolean): SqlText {
  const from = c.here();
  const start = c.pos;
  let depth = 0;
  let cases = 0;
  while (!c.atEnd()) {
    const t = c.peek()!;
    if (depth === 0 && cases === 0 && stop(t)) break;
    c.pos++;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (isWord(t, 'CASE')) cases++;
    else if (isWord(t, 'END') && cases > 0) cases--;
  }
  if (c.pos === start) throw c.error(what);
  return { sql: c.text.slice(from, c.tokens[c.pos - 1]!.end), offset: c.offset + from };
}

function assignments(c: Cursor, targetAlias: string | undefined): { column: string; value: SqlText }[] | '*' {
  if (c.acceptPunct('*')) return '*';
  const out: { column: string; value: SqlText }[] = [];
  do {
    const name = c.qualifiedName('a column name');
    if (
      name.length > 2 ||
      (name.length === 2 && targetAlias !== undefined && name[0]!.toLowerCase() !== targetAlias.toLowerCase())
    ) {
      throw c.fail(`cannot assign to '${name.join('.')}': only top-level target columns can be set`);
    }
    c.expectPunct('=');
    out.push({
      column: name[name.length - 1]!,
      value: textUntil(c, 'an expression', (t) => isPunct(t, ',') || isWord(t, 'WHEN')),
    });
  } while (c.acceptPunct(','));
  return out;
}

/** Splits a VALUES (...) list at its top-level commas. */
function valueList(c: Cursor): SqlText[] {
  c.expectPunct('(');
  const values: SqlText[] = [];
  for (;;) {
    values.push(textUntil(c, 'a value', (t) => isPunct(t, ',') || isPunct(t, ')')));
    if (c.acceptPunct(')')) return values;
    c.expectPunct(',');
  }
}

function clause(c: Cursor, targetAlias: string | undefined): MergeClauseAst {
  c.expectWords('WHEN');
  let group: MergeClauseAst['group'] = 'matched';
  if (c.acceptWords('NOT')) {
    c.expectWords('MATCHED');
    group = 'notMatched';
    if (c.acceptWords('BY')) {
      if (c.acceptWords('SOURCE')) group = 'notMatchedBySource';
      else c.expectWords('TARGET');
    }
  } else c.expectWords('MATCHED');
  const condition = c.acceptWords('AND')
    ? textUntil(c, 'a clause condition', (t) => isWord(t, 'THEN'))
    : undefined;
  c.expectWords('THEN');
  const withCondition = condition === undefined ? {} : { condition };
  if (group !== 'notMatched' && c.acceptWords('DELETE')) return { group, action: 'delete', ...withCondition };
  if (group !== 'notMatched' && c.acceptWords('UPDATE')) {
    c.expectWords('SET');
    const set = assignments(c, targetAlias);
    if (set === '*') {
      if (group === 'notMatchedBySource')
        throw c.fail('UPDATE SET * is not allowed in WHEN NOT MATCHED BY SOURCE (there is no source row)');
      return { group, action: 'updateAll', ...withCondition };
    }
    return { group, action: 'update', assignments: set, ...withCondition };
  }
  if (group === 'notMatched' && c.acceptWords('INSERT')) {
    if (c.acceptPunct('*')) return { group, action: 'insertAll', ...withCondition };
    const columns = parenthesizedText(c)
      .split(',')
      .map((s) =>
        s
          .trim()
          .replace(/^"(.*)"$/u, '$1')
          .replace(/^`(.*)`$/u, '$1'),
      );
    c.expectWords('VALUES');
    const values = valueList(c);
    if (values.length !== columns.length) {
      throw c.fail(`INSERT names ${columns.length} column(s) but gives ${values.length} value(s)`);
    }
    return {
      group,
      action: 'insert',
      assignments: columns.map((column, i) => ({ column, value: values[i]! })),
      ...withCondition,
    };
  }
  throw c.error(group === 'notMatched' ? 'INSERT' : 'UPDATE or DELETE');
}

export function parseMerge(c: Cursor): Statement {
  c.expectWords('MERGE');
  const schemaEvolution = c.acceptWords('WITH', 'SCHEMA', 'EVOLUTION');
  c.expectWords('INTO');
  const table = targetTable(c, false);
  const alias = optionalAlias(c);
  c.expectWords('USING');
  let source: SqlText;
  if (isPunct(c.peek(), '(')) {
    const from = c.here();
    const inner = parenthesizedText(c);
    source = { sql: inner, offset: c.offset + from + 1 };
  } else {
    const from = c.here();
    // A (qualified) table name, e.g. delta.`/path` or main.customers, then optional time travel.
    do {
      const t = c.next();
      if (t.kind !== 'word' && t.kind !== 'quoted') throw c.error('a source table or (query)');
    } while (c.acceptPunct('.'));
    c.acceptWords('FOR');
    if (c.acceptWords('VERSION', 'AS', 'OF') || c.acceptWords('TIMESTAMP', 'AS', 'OF')) c.next();
    const name = c.text.slice(from, c.tokens[c.pos - 1]!.end);
    source = { sql: `SELECT * FROM ${name}`, offset: c.offset + from };
  }
  const sourceAlias = optionalAlias(c);
  c.expectWords('ON');
  const condition = textUntil(c, 'an ON condition', (t) => isWord(t, 'WHEN'));
  const clauses: MergeClauseAst[] = [];
  while (!c.atEnd()) clauses.push(clause(c, alias));
  if (clauses.length === 0) throw c.error('WHEN MATCHED or WHEN NOT MATCHED');
  return {
    kind: 'merge',
    table,
    ...(alias === undefined ? {} : { alias }),
    source,
    ...(sourceAlias === undefined ? {} : { sourceAlias }),
    condition,
    clauses,
    schemaEvolution,
  };
}
