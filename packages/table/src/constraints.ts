// Write-time rules a table declares beyond its column types: CHECK constraints (table properties
// `delta.constraints.<name>`), and column kinds whose values we cannot produce yet (generated and
// identity columns), which a legacy protocol would not stop us from writing wrongly.
import { type DataType, DeltaError, type Snapshot } from '@loch/delta';
import { quoteLiteral } from './sql-text.js';

const CONSTRAINT_PREFIX = 'delta.constraints.';
export const CHECK_MARKER = 'CHECK constraint';

/** Refuses writes to tables with generated or identity columns (their values would be wrong). */
export function checkWritableColumns(snapshot: Snapshot): void {
  const visit = (type: DataType, path: string): void => {
    if (type.kind !== 'struct') return;
    for (const f of type.fields) {
      const name = `${path}${f.name}`;
      if (f.metadata['delta.generationExpression'] !== undefined) {
        throw new DeltaError(
          'UNSUPPORTED_OPERATION',
          `column '${name}' is a generated column, which Loch cannot write yet; write to this table with Spark`,
          { column: name },
        );
      }
      if (f.metadata['delta.identity.start'] !== undefined) {
        throw new DeltaError(
          'UNSUPPORTED_OPERATION',
          `column '${name}' is an identity column, which Loch cannot write yet; write to this table with Spark`,
          { column: name },
        );
      }
      visit(f.type, `${name}.`);
    }
  };
  visit(snapshot.schema, '');
}

/**
 * Wraps the data query so a row violating a CHECK constraint fails the write (a constraint holds
 * unless its expression is false; NULL passes, as in Spark).
 */
export function withCheckConstraints(
  dataSql: string,
  configuration: Readonly<Record<string, string>>,
): string {
  const checks = Object.entries(configuration).filter(([k]) => k.startsWith(CONSTRAINT_PREFIX));
  if (checks.length === 0) return dataSql;
  const conditions = checks.map(([key, expr]) => {
    const name = key.slice(CONSTRAINT_PREFIX.length);
    const message = quoteLiteral(`${CHECK_MARKER} ${name} (${expr}) violated by a row of the data.`);
    return `CASE WHEN (${expr}) IS FALSE THEN error(${message}) ELSE TRUE END`;
  });
  return `SELECT * FROM (${dataSql}) AS __checked WHERE ${conditions.join(' AND ')}`;
}
