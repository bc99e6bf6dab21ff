// DML conditions must be deterministic. A MERGE evaluates its ON and WHEN conditions in several
// passes (pruning, the per-row action pass, the write), and an UPDATE or copy-on-write DELETE finds
// its matching files in one pass and rewrites them in another, so a volatile function there could
// pick one row in one pass and another in the next. Spark rejects them too: MERGE with Delta's
// DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED, UPDATE and DELETE in analysis with
// INVALID_NON_DETERMINISTIC_EXPRESSIONS. DuckDB decides what is volatile: it parses each condition
// (json_serialize_sql) and its catalog (duckdb_functions(), stability 'VOLATILE', which includes
// user-defined functions registered as volatile) names the volatile functions. SET and INSERT
// expressions are evaluated once and may stay non-deterministic.
import { DeltaError } from '@loch/delta';
import { quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export const NON_DETERMINISTIC = 'DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED';
export const NON_DETERMINISTIC_EXPRESSIONS = 'INVALID_NON_DETERMINISTIC_EXPRESSIONS';

export interface NamedCondition {
  /** Where the condition sits, for the message: 'ON', 'WHEN MATCHED AND', 'WHERE'. */
  readonly clause: string;
  readonly condition: string;
}

type Node = Readonly<Record<string, unknown>>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every function name called anywhere in a json_serialize_sql tree (lowercased). */
function functionNames(tree: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(tree)) {
    for (const item of tree) functionNames(item, out);
  } else if (isNode(tree)) {
    if (tree.class === 'FUNCTION' && typeof tree.function_name === 'string') {
      out.add(tree.function_name.toLowerCase());
    }
    for (const v of Object.values(tree)) functionNames(v, out);
  }
  return out;
}

/** Per engine: every function name DuckDB knows (lowercased) -> whether some overload is VOLATILE. */
const catalogs = new WeakMap<object, Map<string, boolean>>();

/**
 * The volatile ones among `names`. Listing duckdb_functions() takes 30-90 ms, as long as a small
 * DELETE, so the list is kept per engine and read again only when a name is not in it (a function
 * created since).
 */
async function volatileFunctions(h: TableHandle, names: readonly string[]): Promise<Set<string>> {
  let known = catalogs.get(h.engine);
  if (known === undefined || names.some((n) => !known!.has(n))) {
    const rows = await h.engine.query(
      "SELECT lower(function_name), bool_or(stability = 'VOLATILE') FROM duckdb_functions() GROUP BY 1",
    );
    known = new Map(rows.rows.map((r) => [String(r[0]), r[1] === true]));
    // Names DuckDB does not list (operators, a call that will fail anyway) are not asked again.
    for (const n of names) if (!known.has(n)) known.set(n, false);
    catalogs.set(h.engine, known);
  }
  return new Set(names.filter((n) => known!.get(n) === true));
}

/**
 * Fails when a condition of the `operation` calls a function DuckDB marks VOLATILE (MERGE with
 * Delta's error class, UPDATE and DELETE with Spark's). A condition DuckDB cannot parse is left
 * to the operation itself to report.
 */
export async function checkDeterministic(
  h: TableHandle,
  operation: 'MERGE' | 'UPDATE' | 'DELETE',
  conditions: readonly NamedCondition[],
): Promise<void> {
  if (conditions.length === 0) return;
  const parsed = await h.engine.query(
    `SELECT ${conditions.map((c) => `json_serialize_sql(${quoteLiteral(`SELECT 1 WHERE ${c.condition}`)})`).join(', ')}`,
  );
  const row = parsed.rows[0] ?? [];
  const called = conditions.map((c, i) => {
    const cell = row[i];
    if (typeof cell !== 'string') return { ...c, names: new Set<string>() };
    const tree = JSON.parse(cell) as { error?: boolean };
    return { ...c, names: tree.error === true ? new Set<string>() : functionNames(tree) };
  });
  const all = [...new Set(called.flatMap((c) => [...c.names]))];
  if (all.length === 0) return;
  const volatile = await volatileFunctions(h, all);
  for (const c of called) {
    const fns = [...c.names].filter((n) => volatile.has(n)).sort();
    if (fns.length === 0) continue;
    const errorClass = operation === 'MERGE' ? NON_DETERMINISTIC : NON_DETERMINISTIC_EXPRESSIONS;
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `${errorClass}: Non-deterministic functions are not supported in the ${operation} ${c.clause} condition: ` +
        `${fns.map((f) => `${f}()`).join(', ')} (condition = ${c.condition}). The ${operation} evaluates its condition more than once; ` +
        'compute the value once first (e.g. in a column of a source table or a temporary view)',
      { errorClass, clause: c.clause, functions: fns, condition: c.condition },
    );
  }
}
