// What a statement is, from its leading words: the CommandComplete tag PostgreSQL would send, and
// whether it returns rows (which decides RowDescription vs NoData before it runs).
import { type Token, tokenize } from '@loch/sql';

export interface CommandInfo {
  /** Upper-cased leading keyword ("SELECT", "INSERT", "CREATE"...); '' for an empty statement. */
  readonly verb: string;
  /** Tag for commands that return no rows ("CREATE TABLE", "SET"). */
  readonly tag: string;
  /** Known to return rows before running (queries, SHOW, DESCRIBE). */
  readonly returnsRows: boolean;
  /** INSERT/UPDATE/DELETE/MERGE: the tag carries the affected row count. */
  readonly counted: boolean;
}

const ROW_VERBS = new Set([
  'SELECT',
  'WITH',
  'VALUES',
  'TABLE',
  'FROM',
  'SHOW',
  'DESCRIBE',
  'DESC',
  'EXPLAIN',
  'PRAGMA',
  'SUMMARIZE',
  'CALL',
]);
const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
const OBJECT_WORDS = new Set([
  'TABLE',
  'VIEW',
  'SCHEMA',
  'CATALOG',
  'DATABASE',
  'FUNCTION',
  'MACRO',
  'INDEX',
  'SEQUENCE',
  'TYPE',
  'VOLUME',
  'USER',
  'GROUP',
  'ROLE',
  'SECRET',
]);

export const words = (tokens: readonly Token[], max: number): string[] => {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'space' || t.kind === 'comment') continue;
    if (t.kind === 'punct' && t.text === '(' && out.length === 0) {
      out.push('(');
      continue;
    }
    if (t.kind !== 'word') break;
    out.push(t.text.toUpperCase());
    if (out.length >= max) break;
  }
  return out;
};

export const commandInfo = (sql: string, tokens: readonly Token[] = tokenize(sql)): CommandInfo => {
  const ws = words(tokens, 8);
  const verb = ws[0] === '(' ? 'SELECT' : (ws[0] ?? '');
  if (ROW_VERBS.has(verb)) return { verb, tag: 'SELECT', returnsRows: true, counted: false };
  if (COUNTED.has(verb)) return { verb, tag: verb, returnsRows: false, counted: true };
  if (verb === 'CREATE' || verb === 'DROP' || verb === 'ALTER') {
    const object = ws.slice(1).find((w) => OBJECT_WORDS.has(w));
    return {
      verb,
      tag: object === undefined ? verb : `${verb} ${object}`,
      returnsRows: false,
      counted: false,
    };
  }
  return { verb, tag: verb, returnsRows: false, counted: false };
};

/** Result columns DML statements report their counts in (Delta's and DuckDB's). */
const COUNT_COLUMNS = new Set([
  'num_affected_rows',
  'num_inserted_rows',
  'num_updated_rows',
  'num_deleted_rows',
  'Count',
  'count',
]);

/** The affected-row count of a DML result, or undefined when the result carries real rows. */
export const affectedRows = (result: {
  readonly columns: readonly { name: string }[];
  readonly rows: readonly (readonly unknown[])[];
}): bigint | undefined => {
  if (result.columns.length === 0) return 0n;
  if (!result.columns.every((c) => COUNT_COLUMNS.has(c.name))) return undefined;
  let total = 0n;
  for (const row of result.rows) {
    const v = row[0];
    if (typeof v === 'bigint') total += v;
    else if (typeof v === 'number') total += BigInt(Math.trunc(v));
  }
  return total;
};
