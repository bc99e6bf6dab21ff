// The conditions of a MERGE, checked to be deterministic before anything is read (see
// deterministic-conditions.ts for why and how).
import { checkDeterministic, type NamedCondition } from './deterministic-conditions.js';
import type { MergeSpec } from './merge-types.js';
import type { TableHandle } from './table-handle.js';

export { NON_DETERMINISTIC } from './deterministic-conditions.js';

/** The conditions of a MERGE, each with the clause it belongs to (for the error message). */
export function mergeConditions(spec: MergeSpec): NamedCondition[] {
  const out: NamedCondition[] = [{ clause: 'ON', condition: spec.condition }];
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
 * condition calls a function DuckDB marks VOLATILE.
 */
export async function checkDeterministicConditions(h: TableHandle, spec: MergeSpec): Promise<void> {
  await checkDeterministic(h, 'MERGE', mergeConditions(spec));
}
