// ALTER TABLE column changes: add, rename and drop. Rename and drop never rewrite data: they need
// column mapping, so the physical names in the data files stay while the logical names change.
import {
  COLUMN_MAPPING_MODE_KEY,
  DeltaError,
  dataTypeToJson,
  type Snapshot,
  type StructField,
  type StructType,
} from '@loch/delta';
import type { AlterOperation } from './types.js';

export interface Change {
  readonly operation: string;
  readonly parameters: Record<string, unknown>;
  readonly schema: StructType;
  readonly configuration: Record<string, string>;
  readonly partitionColumns?: readonly string[];
  readonly inCommitTimestamp?: number;
}

const splitPath = (path: string): string[] => path.split('.').map((p) => p.trim());
const eqName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function columnNotFound(path: string, schema: StructType): DeltaError {
  return new DeltaError(
    'SCHEMA_MISMATCH',
    `column '${path}' does not exist; columns are ${schema.fields.map((f) => f.name).join(', ')}`,
    { column: path },
  );
}

/** Applies `fn` to the fields of the struct at `parent` (empty = top level). */
function updateFields(
  schema: StructType,
  parent: readonly string[],
  fullPath: string,
  fn: (fields: readonly StructField[]) => StructField[],
): StructType {
  const visit = (fields: readonly StructField[], depth: number): StructField[] => {
    if (depth === parent.length) return fn(fields);
    const name = parent[depth]!;
    const i = fields.findIndex((f) => eqName(f.name, name));
    const field = fields[i];
    if (field === undefined || field.type.kind !== 'struct') throw columnNotFound(fullPath, schema);
    const next = [...fields];
    next[i] = { ...field, type: { kind: 'struct', fields: visit(field.type.fields, depth + 1) } };
    return next;
  };
  return { kind: 'struct', fields: visit(schema.fields, 0) };
}

function requireColumnMapping(snapshot: Snapshot, what: string): void {
  if (snapshot.columnMappingMode !== 'none') return;
  throw new DeltaError(
    'UNSUPPORTED_OPERATION',
    `${what} needs column mapping, which this table does not have; enable it first with ` +
      `ALTER TABLE ... SET TBLPROPERTIES ('${COLUMN_MAPPING_MODE_KEY}' = 'name') ` +
      '(this upgrades the table protocol to reader version 2 / writer version 5)',
    { option: COLUMN_MAPPING_MODE_KEY },
  );
}

export function addColumns(s: Snapshot, op: Extract<AlterOperation, { kind: 'addColumns' }>): Change {
  let schema = s.schema;
  const added: unknown[] = [];
  for (const c of op.columns) {
    const path = splitPath(c.name);
    const leaf = path[path.length - 1]!;
    if (c.nullable === false) {
      throw new DeltaError(
        'UNSUPPORTED_OPERATION',
        `cannot add NOT NULL column '${c.name}': existing rows would hold nulls; add it as nullable`,
        { column: c.name },
      );
    }
    const metadata: Record<string, unknown> = c.comment !== undefined ? { comment: c.comment } : {};
    const field: StructField = { name: leaf, type: c.type, nullable: true, metadata };
    schema = updateFields(schema, path.slice(0, -1), c.name, (fields) => {
      if (fields.some((f) => eqName(f.name, leaf))) {
        throw new DeltaError('SCHEMA_MISMATCH', `column '${c.name}' already exists`, { column: c.name });
      }
      return [...fields, field];
    });
    added.push({ column: { name: c.name, type: dataTypeToJson(c.type), nullable: true, metadata } });
  }
  return {
    operation: 'ADD COLUMNS',
    parameters: { columns: JSON.stringify(added) },
    schema,
    configuration: { ...s.metadata.configuration },
  };
}

export function renameColumn(s: Snapshot, op: Extract<AlterOperation, { kind: 'renameColumn' }>): Change {
  requireColumnMapping(s, `renaming column '${op.from}'`);
  const path = splitPath(op.from);
  const target = splitPath(op.to);
  const newName = target[target.length - 1]!;
  const oldName = path[path.length - 1]!;
  let renamedFrom = oldName;
  const schema = updateFields(s.schema, path.slice(0, -1), op.from, (fields) => {
    const i = fields.findIndex((f) => eqName(f.name, oldName));
    if (i < 0) throw columnNotFound(op.from, s.schema);
    if (fields.some((f, j) => j !== i && eqName(f.name, newName))) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `cannot rename '${op.from}' to '${op.to}': a column with that name exists`,
        {
          column: op.to,
        },
      );
    }
    renamedFrom = fields[i]!.name;
    const next = [...fields];
    next[i] = { ...fields[i]!, name: newName };
    return next;
  });
  const partitionColumns =
    path.length === 1 ? s.partitionColumns.map((p) => (p === renamedFrom ? newName : p)) : s.partitionColumns;
  return {
    operation: 'RENAME COLUMN',
    parameters: { oldColumnPath: op.from, newColumnPath: [...path.slice(0, -1), newName].join('.') },
    schema,
    configuration: { ...s.metadata.configuration },
    partitionColumns,
  };
}

export function dropColumns(s: Snapshot, op: Extract<AlterOperation, { kind: 'dropColumns' }>): Change {
  requireColumnMapping(
    s,
    `dropping column${op.columns.length > 1 ? 's' : ''} ${op.columns.map((c) => `'${c}'`).join(', ')}`,
  );
  let schema = s.schema;
  for (const c of op.columns) {
    const path = splitPath(c);
    const leaf = path[path.length - 1]!;
    if (path.length === 1 && s.partitionColumns.some((p) => eqName(p, leaf))) {
      throw new DeltaError('UNSUPPORTED_OPERATION', `cannot drop partition column '${c}'`, { column: c });
    }
    schema = updateFields(schema, path.slice(0, -1), c, (fields) => {
      if (!fields.some((f) => eqName(f.name, leaf))) throw columnNotFound(c, s.schema);
      const rest = fields.filter((f) => !eqName(f.name, leaf));
      if (rest.length === 0) {
        throw new DeltaError(
          'UNSUPPORTED_OPERATION',
          `cannot drop '${c}': a struct or table needs at least one column`,
          {
            column: c,
          },
        );
      }
      return rest;
    });
  }
  return {
    operation: 'DROP COLUMNS',
    parameters: { columns: JSON.stringify(op.columns) },
    schema,
    configuration: { ...s.metadata.configuration },
  };
}
