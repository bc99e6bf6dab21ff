// `table_changes('<path>' | delta.`<path>`, start [, end])` in FROM: the change data feed of a table,
// found by token like delta.`path` references and replaced by the feed's relation. Bounds are
// integers (versions) or string literals (timestamps), as in Databricks.
import type { ChangeFeedRange } from '@loch/table';
import { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import { atPathRef, NOT_ALIAS, parsePathRef, type QueryTableRef } from './table-refs.js';
import { isPunct, isWord, type Token, tokenize } from './tokenizer.js';

/** One `table_changes(...)` call: its span, table location and range, with QueryTableRef's alias facts. */
export interface TableChangesRef extends QueryTableRef {
  readonly range: ChangeFeedRange;
}

const FUNCTION = 'TABLE_CHANGES';

type Bound = { readonly version: number } | { readonly timestamp: string };

function bound(c: Cursor, which: 'start' | 'end'): Bound {
  const t = c.next();
  if (t.kind === 'number' && /^[0-9]+$/.test(t.text)) return { version: Number(t.text) };
  if (t.kind === 'string') return { timestamp: t.value };
  c.pos--;
  throw c.error(`a ${which} version (integer) or timestamp (string literal) for table_changes`);
}

/** Every `table_changes(...)` call in a query, in order. */
export function findTableChanges(sql: string, tokens: readonly Token[] = tokenize(sql)): TableChangesRef[] {
  const c = new Cursor(tokens, sql);
  const out: TableChangesRef[] = [];
  let n = 0;
  while (!c.atEnd()) {
    const prev = c.tokens[c.pos - 1];
    if (!isWord(c.peek(), FUNCTION) || !isPunct(c.peek(1), '(') || isPunct(prev, '.')) {
      c.pos++;
      continue;
    }
    const start = c.peek()!.start;
    c.pos += 2;
    let location: string;
    if (atPathRef(c)) location = parsePathRef(c, false).location;
    else {
      const t = c.next();
      if (t.kind !== 'string' || t.value.trim() === '') {
        c.pos--;
        throw c.error("a table path for table_changes: 'path' or delta.`path`");
      }
      location = t.value;
    }
    c.expectPunct(',');
    const from = bound(c, 'start');
    const to = c.acceptPunct(',') ? bound(c, 'end') : undefined;
    c.expectPunct(')');
    const end = c.tokens[c.pos - 1]!.end;
    const next = c.peek();
    const hasAlias =
      next !== undefined && (isWord(next, 'AS') || next.kind === 'quoted' || isAliasWord(next));
    n++;
    out.push({
      location,
      start,
      end,
      hasAlias,
      alias: n === 1 ? 'table_changes' : `table_changes_${n}`,
      range: {
        ...('version' in from ? { startVersion: from.version } : { startTimestamp: from.timestamp }),
        ...(to === undefined
          ? {}
          : 'version' in to
            ? { endVersion: to.version }
            : { endTimestamp: to.timestamp }),
      },
    });
  }
  return out;
}

const CLAUSE_WORDS: ReadonlySet<string> = new Set([...NOT_ALIAS]);

function isAliasWord(t: Token): boolean {
  return t.kind === 'word' && !CLAUSE_WORDS.has(t.text.toUpperCase());
}

/** Drops table refs found inside a table_changes call (its first argument). */
export function outsideTableChanges<T extends { start: number }>(
  refs: readonly T[],
  calls: readonly TableChangesRef[],
): T[] {
  return refs.filter((r) => !calls.some((c) => r.start >= c.start && r.start < c.end));
}

/** A table_changes call on a table whose SqlTable has no change feed support. */
export function changesUnsupported(location: string): SqlError {
  return new SqlError('UNSUPPORTED', `table_changes is not available for table at ${location}`, {
    table: location,
  });
}
