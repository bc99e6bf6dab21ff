// CHECK constraints (table properties `delta.constraints.<name>`): enforced on every write, and
// added/dropped by ALTER TABLE. Adding one first checks the table's existing rows, as Delta does,
// so a table never holds data its constraints reject.
import { DeltaError, type Snapshot } from '@loch/delta';
import type { Change } from './alter-columns.js';
import { buildScanSpec } from './scan.js';
import { quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { AlterOperation } from './types.js';

export const CONSTRAINT_PREFIX = 'delta.constraints.';
export const CHECK_MARKER = 'CHECK constraint';

/** The SQL text turning the current row of `alias` into "{'a': 1, 'b': x}" for messages. */
const rowText = (alias: string): string => `CAST(${alias} AS VARCHAR)`;

/** Error message SQL for a violated constraint, naming it and the row's values. */
export function violationMessageSql(name: string, expr: string, alias: string): string {
  const head = quoteLiteral(`${CHECK_MARKER} ${name} (${expr}) violated by row with values: `);
  return `${head} || ${rowText(alias)} || '.'`;
}

/**
 * Wraps the data query so a row violating a CHECK constraint fails the write (a constraint holds
 * unless its expression is false; NULL passes, as in Spark). The engine error carries the
 * constraint and the row; data-files.ts turns it into CONSTRAINT_VIOLATION.
 */
export function withCheckConstraints(
  dataSql: string,
  configuration: Readonly<Record<string, string>>,
): string {
  const checks = Object.entries(configuration).filter(([k]) => k.startsWith(CONSTRAINT_PREFIX));
  if (checks.length === 0) return dataSql;
  const conditions = checks.map(([key, expr]) => {
    const name = key.slice(CONSTRAINT_PREFIX.length);
    return `CASE WHEN (${expr}) IS FALSE THEN error(${violationMessageSql(name, expr, '__checked')}) ELSE TRUE END`;
  });
  return `SELECT * FROM (${dataSql}) AS __checked WHERE ${conditions.join(' AND ')}`;
}

// Delta keys constraints by their lower-cased name; Spark resolves them case-insensitively.
const constraintKey = (name: string): string => `${CONSTRAINT_PREFIX}${name.toLowerCase()}`;

function checkName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/u.test(name)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `constraint name '${name}' is not valid; use letters, digits and underscores, starting with a letter`,
      { constraint: name },
    );
  }
}

/**
 * ALTER TABLE ADD CONSTRAINT name CHECK (expr): fails (committing nothing) when the name is taken
 * or an existing row makes the expression false, naming how many rows and one of them.
 */
export async function addConstraint(
  h: TableHandle,
  s: Snapshot,
  op: Extract<AlterOperation, { kind: 'addConstraint' }>,
): Promise<Change> {
  checkName(op.name);
  const expr = op.expr.trim();
  if (expr === '') {
    throw new DeltaError('INVALID_ARGUMENT', `constraint '${op.name}' needs a CHECK expression`, {
      constraint: op.name,
    });
  }
  const key = constraintKey(op.name);
  const existing = s.metadata.configuration[key];
  if (existing !== undefined) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `constraint '${op.name}' already exists on table ${h.location} as CHECK (${existing}); drop it first or pick another name`,
      { constraint: op.name },
    );
  }
  await checkExistingRows(h, s, op.name, expr);
  return {
    operation: 'ADD CONSTRAINT',
    parameters: { name: op.name, expr },
    schema: s.schema,
    configuration: { ...s.metadata.configuration, [key]: expr },
  };
}

async function checkExistingRows(h: TableHandle, s: Snapshot, name: string, expr: string): Promise<void> {
  const scan = await h.engine.scanSql(await buildScanSpec(h, s));
  const result = await h.engine.query(
    `SELECT count(*) AS n, arbitrary(${rowText('__t')}) AS row FROM (${scan}) AS __t WHERE (${expr}) IS FALSE`,
  );
  const n = Number(result.rows[0]?.[0] ?? 0);
  if (n === 0) return;
  const row = String(result.rows[0]?.[1]);
  throw new DeltaError(
    'CONSTRAINT_VIOLATION',
    `cannot add ${CHECK_MARKER} ${name} (${expr}): ${n} existing row(s) violate it, e.g. the row with values ${row}; ` +
      'fix or delete those rows first',
    { constraint: name, violations: n },
  );
}

/** ALTER TABLE DROP CONSTRAINT [IF EXISTS] name. */
export function dropConstraint(s: Snapshot, op: Extract<AlterOperation, { kind: 'dropConstraint' }>): Change {
  const key = constraintKey(op.name);
  const expr = s.metadata.configuration[key];
  if (expr === undefined && op.ifExists !== true) {
    const names = Object.keys(s.metadata.configuration)
      .filter((k) => k.startsWith(CONSTRAINT_PREFIX))
      .map((k) => k.slice(CONSTRAINT_PREFIX.length));
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `constraint '${op.name}' does not exist (constraints: ${names.length === 0 ? 'none' : names.join(', ')}); ` +
        'use DROP CONSTRAINT IF EXISTS to ignore this',
      { constraint: op.name },
    );
  }
  const configuration: Record<string, string> = { ...s.metadata.configuration };
  delete configuration[key];
  return {
    operation: 'DROP CONSTRAINT',
    parameters: { name: op.name, ...(expr !== undefined ? { expr } : {}) },
    schema: s.schema,
    configuration,
  };
}
