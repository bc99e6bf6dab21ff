// ALTER TABLE: add/rename/drop columns and set/unset table properties, each one metadata-only
// commit. Rename and drop never rewrite data: they need column mapping (physical names stay),
// and enabling mapping on an existing table maps every column to its current name.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  COLUMN_MAPPING_MODE_KEY,
  checkWriteSupport,
  columnMappingMode,
  type DataType,
  DeltaError,
  dataTypeToJson,
  type Metadata,
  PHYSICAL_NAME_KEY,
  protocolFor,
  type Snapshot,
  type StructField,
  type StructType,
  serializeSchema,
} from '@loch/delta';
import { commit } from './commit.js';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';
import type { AlterOperation } from './types.js';

const ICT_KEY = 'delta.enableInCommitTimestamps';
const ICT_VERSION_KEY = 'delta.inCommitTimestampEnablementVersion';
const ICT_TIMESTAMP_KEY = 'delta.inCommitTimestampEnablementTimestamp';

interface Change {
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

function addColumns(s: Snapshot, op: Extract<AlterOperation, { kind: 'addColumns' }>): Change {
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

function renameColumn(s: Snapshot, op: Extract<AlterOperation, { kind: 'renameColumn' }>): Change {
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

function dropColumns(s: Snapshot, op: Extract<AlterOperation, { kind: 'dropColumns' }>): Change {
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

/** Every field's physical name is its current name: existing data files keep being read as they are. */
function withIdentityPhysicalNames(type: DataType): DataType {
  switch (type.kind) {
    case 'struct':
      return {
        kind: 'struct',
        fields: type.fields.map((f) => ({
          ...f,
          type: withIdentityPhysicalNames(f.type),
          metadata: { ...f.metadata, [PHYSICAL_NAME_KEY]: f.metadata[PHYSICAL_NAME_KEY] ?? f.name },
        })),
      };
    case 'array':
      return { ...type, elementType: withIdentityPhysicalNames(type.elementType) };
    case 'map':
      return {
        ...type,
        keyType: withIdentityPhysicalNames(type.keyType),
        valueType: withIdentityPhysicalNames(type.valueType),
      };
    default:
      return type;
  }
}

function setProperties(
  h: TableHandle,
  s: Snapshot,
  op: Extract<AlterOperation, { kind: 'setProperties' }>,
): Change {
  const configuration: Record<string, string> = { ...s.metadata.configuration, ...op.properties };
  let schema = s.schema;
  const before = s.columnMappingMode;
  const after = columnMappingMode(configuration);
  if (after !== before) {
    if (before !== 'none' || after !== 'name') {
      throw new DeltaError(
        'UNSUPPORTED_OPERATION',
        `cannot change ${COLUMN_MAPPING_MODE_KEY} from '${before}' to '${after}' on an existing table; ` +
          `only 'none' -> 'name' is supported`,
        { option: COLUMN_MAPPING_MODE_KEY },
      );
    }
    const mapped = assignColumnMapping(withIdentityPhysicalNames(schema) as StructType, 0, randomUUID);
    schema = mapped.schema;
    configuration[COLUMN_MAPPING_MAX_ID_KEY] = String(mapped.maxColumnId);
  }
  let inCommitTimestamp: number | undefined;
  const ictBefore = s.metadata.configuration[ICT_KEY]?.toLowerCase() === 'true';
  if (!ictBefore && configuration[ICT_KEY]?.toLowerCase() === 'true') {
    inCommitTimestamp = Math.max(h.now(), s.timestamp + 1);
    configuration[ICT_VERSION_KEY] = String(s.version + 1);
    configuration[ICT_TIMESTAMP_KEY] = String(inCommitTimestamp);
  }
  return {
    operation: 'SET TBLPROPERTIES',
    parameters: { properties: JSON.stringify(op.properties) },
    schema,
    configuration,
    ...(inCommitTimestamp !== undefined ? { inCommitTimestamp } : {}),
  };
}

function unsetProperties(s: Snapshot, op: Extract<AlterOperation, { kind: 'unsetProperties' }>): Change {
  const configuration: Record<string, string> = { ...s.metadata.configuration };
  for (const key of op.keys) {
    if (!(key in configuration)) {
      if (op.ifExists) continue;
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `table property '${key}' is not set; use UNSET TBLPROPERTIES IF EXISTS`,
        {
          property: key,
        },
      );
    }
    if (key === COLUMN_MAPPING_MODE_KEY && s.columnMappingMode !== 'none') {
      throw new DeltaError(
        'UNSUPPORTED_OPERATION',
        `cannot unset ${COLUMN_MAPPING_MODE_KEY} on a table that uses it`,
        {
          property: key,
        },
      );
    }
    delete configuration[key];
  }
  return {
    operation: 'UNSET TBLPROPERTIES',
    parameters: { properties: JSON.stringify(op.keys), ifExists: String(op.ifExists === true) },
    schema: s.schema,
    configuration,
  };
}

export async function alterTable(h: TableHandle, op: AlterOperation): Promise<{ version: number }> {
  const s = await h.require();
  checkWriteSupport(s.protocol);
  let change: Change;
  switch (op.kind) {
    case 'addColumns':
      change = addColumns(s, op);
      break;
    case 'renameColumn':
      change = renameColumn(s, op);
      break;
    case 'dropColumns':
      change = dropColumns(s, op);
      break;
    case 'setProperties':
      change = setProperties(h, s, op);
      break;
    case 'unsetProperties':
      change = unsetProperties(s, op);
      break;
  }
  let { schema } = change;
  const configuration = change.configuration;
  if (op.kind === 'addColumns' && columnMappingMode(configuration) !== 'none') {
    const maxId = Number(configuration[COLUMN_MAPPING_MAX_ID_KEY] ?? 0);
    const mapped = assignColumnMapping(schema, Number.isFinite(maxId) ? maxId : 0, randomUUID);
    schema = mapped.schema;
    configuration[COLUMN_MAPPING_MAX_ID_KEY] = String(mapped.maxColumnId);
  }
  const metadata: Metadata = {
    ...s.metadata,
    schemaString: serializeSchema(schema),
    partitionColumns: change.partitionColumns ?? s.partitionColumns,
    configuration,
  };
  const protocol = mergeProtocols(s.protocol, protocolFor(configuration, schema));
  const actions: Action[] = [];
  if (!sameProtocol(protocol, s.protocol)) actions.push(protocol);
  actions.push(metadata);
  const result = await commit(h, {
    operation: change.operation,
    operationParameters: change.parameters,
    operationMetrics: {},
    actions,
    readSnapshot: s,
    isBlindAppend: true,
    ...(change.inCommitTimestamp !== undefined ? { inCommitTimestamp: change.inCommitTimestamp } : {}),
  });
  return { version: result.version };
}
