// MERGE conditions must be deterministic (Delta's DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED):
// the ON condition and the WHEN ... AND conditions are evaluated in several passes (pruning, the
// per-row action pass, the write), so a volatile function there could choose one clause in one
// pass and another in the next. DuckDB decides what is volatile: it parses each condition
// (json_serialize_sql) and its catalog (duckdb_functions(), stability 'VOLATILE', which includes
// user-defined functions registered as volatile) names the volatile functions. SET and INSERT
// expressions are evaluated once and may stay non-deterministic.
import { DeltaError } from '@loch/delta';
import type { MergeSpec } from './merge-types.js';
import { quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export const NON_DETERMINISTIC = 'DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED';

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

/** The conditions of a MERGE, each with the clause it belongs to (for the error message). */
export function mergeConditions(spec: MergeSpec): { readonly clause: string; readonly condition: string }[] {
  const out: { clause: string; condition: string }[] = [{ clause: 'ON', condition: spec.condition }];
  const add = (clause: string, condition: string | undefined): void => {
    if (condition !== undefined && condition.trim() !== '') out.push({ clause, condition });
  };
  for (const c of spec.matched) add('WHEN MATCHED AND', c.condition);
  for (const c of spec.notMatched) add('WHEN NOT MATCHED AND', c.condition);
  for (const c of spec.notMatchedBySource) add('WHEN NOT MATCHED BY SOURCE AND', c.condition);
  return out;
}

/**
 * Fails with DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED when the ON condition or a clause
 * condition calls a function DuckDB marks VOLATILE. A condition DuckDB cannot parse is left to the
 * MERGE itself to report.
 */
export async function checkDeterministicConditions(h: TableHandle, spec: MergeSpec): Promise<void> {
  const conditions = mergeConditions(spec);
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
  const volatile = await h.engine.query(
    `SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE stability = 'VOLATILE' AND lower(function_name) IN (${all.map(quoteLiteral).join(', ')})`,
  );
  const bad = new Set(volatile.rows.map((r) => String(r[0])));
  for (const c of called) {
    const fns = [...c.names].filter((n) => bad.has(n)).sort();
    if (fns.length === 0) continue;
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `${NON_DETERMINISTIC}: Non-deterministic functions are not supported in the MERGE ${c.clause} condition: ` +
        `${fns.map((f) => `${f}()`).join(', ')} (condition = ${c.condition}). The MERGE evaluates its conditions more than once`,
      { errorClass: NON_DETERMINISTIC, clause: c.clause, functions: fns, condition: c.condition },
    );
  }
}
