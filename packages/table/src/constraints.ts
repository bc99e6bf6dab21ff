// CHECK constraints (table properties `delta.constraints.<name>`): enforced on every write, and
// added/dropped by ALTER TABLE. Adding one first checks the table's existing rows, as Delta does,
// so a table never holds data its constraints reject.
import { type DataType, DeltaError, dataTypeToJson, type Snapshot, type StructType } from '@loch/delta';
import type { Change } from './alter-columns.js';
import { buildScanSpec } from './scan.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
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
 * Legacy column invariants (writer version 2): field metadata `delta.invariants` holding
 * `{"expression": {"expression": "<sql>"}}`, at any nesting depth. Named by column path.
 */
export function columnInvariants(schema: StructType): { column: string; expr: string }[] {
  const out: { column: string; expr: string }[] = [];
  const visit = (type: DataType, path: string): void => {
    if (type.kind !== 'struct') return;
    for (const f of type.fields) {
      const column = `${path}${f.name}`;
      const raw = f.metadata['delta.invariants'];
      if (typeof raw === 'string') {
        const expr = invariantExpression(raw);
        if (expr === undefined) {
          throw new DeltaError(
            'UNSUPPORTED_WRITER_FEATURE',
            `column '${column}' has an invariant Loch cannot read (${raw}); write to this table with Spark`,
            { column },
          );
        }
        out.push({ column, expr });
      }
      visit(f.type, `${column}.`);
    }
  };
  visit(schema, '');
  return out;
}

function invariantExpression(raw: string): string | undefined {
  try {
    const parsed = JSON.parse(raw) as { expression?: { expression?: unknown } };
    const expr = parsed.expression?.expression;
    return typeof expr === 'string' ? expr : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps the data query so a row violating a CHECK constraint (or, given the schema, a column
 * invariant) fails the write. As in Delta, a constraint holds only when its expression is true:
 * NULL violates it too. The engine error carries the constraint and the row; data-files.ts turns
 * it into CONSTRAINT_VIOLATION.
 */
export function withCheckConstraints(
  dataSql: string,
  configuration: Readonly<Record<string, string>>,
  schema?: StructType,
): string {
  const checks: [string, string][] = Object.entries(configuration)
    .filter(([k]) => k.startsWith(CONSTRAINT_PREFIX))
    .map(([key, expr]) => [key.slice(CONSTRAINT_PREFIX.length), expr]);
  for (const inv of schema === undefined ? [] : columnInvariants(schema)) {
    checks.push([`invariant(${inv.column})`, inv.expr]);
  }
  if (checks.length === 0) return dataSql;
  const conditions = checks.map(
    ([name, expr]) =>
      `CASE WHEN (${expr}) IS NOT TRUE THEN error(${violationMessageSql(name, expr, '__checked')}) ELSE TRUE END`,
  );
  return `SELECT * FROM (${dataSql}) AS __checked WHERE ${conditions.join(' AND ')}`;
}

/** CHECK constraints change only through ADD/DROP CONSTRAINT (which check the data), as in Delta. */
export function checkNoConstraintProperties(keys: readonly string[], statement: string): void {
  const key = keys.find((k) => k.toLowerCase().startsWith(CONSTRAINT_PREFIX));
  if (key === undefined) return;
  throw new DeltaError(
    'INVALID_ARGUMENT',
    `table property '${key}' is a CHECK constraint; use ALTER TABLE ... ${statement} instead of TBLPROPERTIES`,
    { property: key },
  );
}

const mentions = (expr: string, column: string): boolean => {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])\`?${escaped}\`?($|[^A-Za-z0-9_])`, 'iu').test(expr);
};

/**
 * Renaming or dropping a column a CHECK constraint or a generation expression refers to would
 * leave that expression dangling; Delta refuses, and so do we (naming what depends on it).
 */
export function checkDependentColumns(s: Snapshot, columns: readonly string[], action: string): void {
  for (const column of columns) {
    const top = column.split('.')[0]!.trim();
    const dependents: string[] = [];
    for (const [key, expr] of Object.entries(s.metadata.configuration)) {
      if (key.startsWith(CONSTRAINT_PREFIX) && mentions(expr, top)) {
        dependents.push(`CHECK constraint ${key.slice(CONSTRAINT_PREFIX.length)} (${expr})`);
      }
    }
    for (const f of s.schema.fields) {
      const expr = f.metadata['delta.generationExpression'];
      if (typeof expr === 'string' && f.name.toLowerCase() !== top.toLowerCase() && mentions(expr, top)) {
        dependents.push(`generated column ${f.name} (${expr})`);
      }
    }
    if (dependents.length === 0) continue;
    throw new DeltaError(
      'UNSUPPORTED_OPERATION',
      `cannot ${action} column '${column}': ${dependents.join(', ')} refer(s) to it; drop or change those first`,
      { column },
    );
  }
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
    `SELECT count(*) AS n, arbitrary(${rowText('__t')}) AS row FROM (${scan}) AS __t WHERE (${expr}) IS NOT TRUE`,
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

/**
 * ALTER TABLE ALTER COLUMN c SET NOT NULL / DROP NOT NULL. Setting NOT NULL first checks that no
 * existing row holds a null there (Delta's rule), so the table never contradicts its schema.
 */
export async function setColumnNullability(
  h: TableHandle,
  s: Snapshot,
  op: Extract<AlterOperation, { kind: 'setColumnNullability' }>,
): Promise<Change> {
  const lower = op.column.toLowerCase();
  const i = s.schema.fields.findIndex((f) => f.name.toLowerCase() === lower);
  const field = s.schema.fields[i];
  if (field === undefined) {
    throw new DeltaError(
      'SCHEMA_MISMATCH',
      `column '${op.column}' does not exist; columns are ${s.schema.fields.map((f) => f.name).join(', ')}`,
      { column: op.column },
    );
  }
  if (!op.nullable && field.nullable) {
    const scan = await h.engine.scanSql(await buildScanSpec(h, s, { columns: [field.name] }));
    const result = await h.engine.query(
      `SELECT count(*) AS n FROM (${scan}) AS __t WHERE ${quoteIdent(field.name)} IS NULL`,
    );
    const n = Number(result.rows[0]?.[0] ?? 0);
    if (n > 0) {
      throw new DeltaError(
        'CONSTRAINT_VIOLATION',
        `cannot set column '${field.name}' NOT NULL: ${n} existing row(s) hold NULL in it; update or delete them first`,
        { column: field.name, violations: n },
      );
    }
  }
  const changed = { ...field, nullable: op.nullable };
  const fields = [...s.schema.fields];
  fields[i] = changed;
  return {
    operation: 'CHANGE COLUMN',
    parameters: {
      column: JSON.stringify({
        name: changed.name,
        type: dataTypeToJson(changed.type),
        nullable: changed.nullable,
        metadata: changed.metadata,
      }),
    },
    schema: { kind: 'struct', fields },
    configuration: { ...s.metadata.configuration },
  };
}
