// Column mapping (PROTOCOL.md "Column Mapping"): logical names in the schema, physical names and
// parquet field ids in field metadata. Pure helpers; uuids come from the caller so this stays IO-free.
import { DeltaError } from '../errors.js';
import type { ColumnMappingMode } from '../snapshot/types.js';
import type { DataType, StructField, StructType } from './types.js';

export const COLUMN_MAPPING_MODE_KEY = 'delta.columnMapping.mode';
export const COLUMN_MAPPING_MAX_ID_KEY = 'delta.columnMapping.maxColumnId';
export const PHYSICAL_NAME_KEY = 'delta.columnMapping.physicalName';
export const FIELD_ID_KEY = 'delta.columnMapping.id';

/** The mapping mode a table configuration declares ('none' when absent). */
export function columnMappingMode(configuration: Readonly<Record<string, string>>): ColumnMappingMode {
  const raw = configuration[COLUMN_MAPPING_MODE_KEY];
  if (raw === undefined) return 'none';
  const mode = raw.toLowerCase();
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode;
  throw new DeltaError(
    'INVALID_ARGUMENT',
    `unknown ${COLUMN_MAPPING_MODE_KEY} '${raw}'; use 'none', 'name' or 'id'`,
    { value: raw },
  );
}

/** The name of the field in parquet files: its physical name under name/id mapping. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata[PHYSICAL_NAME_KEY];
  if (typeof p !== 'string') {
    throw new DeltaError(
      'INVALID_SCHEMA',
      `column '${field.name}' has no ${PHYSICAL_NAME_KEY} although column mapping mode is '${mode}'`,
      { column: field.name },
    );
  }
  return p;
}

/** The parquet field id of a field, if it has one. */
export function fieldId(field: StructField): number | undefined {
  const id = field.metadata[FIELD_ID_KEY];
  if (typeof id === 'number') return id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id);
  return undefined;
}

/** Highest field id used anywhere in a schema (0 if none). */
export function maxFieldId(type: DataType): number {
  let max = 0;
  const visit = (t: DataType): void => {
    if (t.kind === 'struct') {
      for (const f of t.fields) {
        const id = fieldId(f);
        if (id !== undefined && id > max) max = id;
        visit(f.type);
      }
    } else if (t.kind === 'array') visit(t.elementType);
    else if (t.kind === 'map') {
      visit(t.keyType);
      visit(t.valueType);
    }
  };
  visit(type);
  return max;
}

/**
 * Gives every field (nested too) without an id / physical name a fresh `delta.columnMapping.id`
 * and a `col-<uuid>` physical name. Returns the new schema and the new maxColumnId to store in
 * the configuration. `uuid` is injected so the function stays pure and testable.
 */
export function assignColumnMapping(
  schema: StructType,
  maxColumnId: number,
  uuid: () => string,
): { schema: StructType; maxColumnId: number } {
  let next = Math.max(maxColumnId, maxFieldId(schema));
  const mapType = (t: DataType): DataType => {
    switch (t.kind) {
      case 'struct':
        return { kind: 'struct', fields: t.fields.map(mapField) };
      case 'array':
        return { ...t, elementType: mapType(t.elementType) };
      case 'map':
        return { ...t, keyType: mapType(t.keyType), valueType: mapType(t.valueType) };
      default:
        return t;
    }
  };
  const mapField = (f: StructField): StructField => {
    const metadata = { ...f.metadata };
    if (fieldId(f) === undefined) metadata[FIELD_ID_KEY] = ++next;
    if (typeof metadata[PHYSICAL_NAME_KEY] !== 'string') metadata[PHYSICAL_NAME_KEY] = `col-${uuid()}`;
    return { ...f, type: mapType(f.type), metadata };
  };
  const mapped = mapType(schema) as StructType;
  return { schema: mapped, maxColumnId: next };
}

/** Finds a field by logical path (case-insensitive, as Delta resolves names), through structs only. */
export function findField(schema: StructType, path: readonly string[]): StructField | undefined {
  let current: DataType = schema;
  let found: StructField | undefined;
  for (const part of path) {
    if (current.kind !== 'struct') return undefined;
    const lower = part.toLowerCase();
    found =
      current.fields.find((f) => f.name === part) ??
      current.fields.find((f) => f.name.toLowerCase() === lower);
    if (found === undefined) return undefined;
    current = found.type;
  }
  return found;
}

/** Logical path -> physical path, for stats keys and parquet column references. */
export function physicalPath(schema: StructType, path: readonly string[], mode: ColumnMappingMode): string[] {
  const out: string[] = [];
  let current: DataType = schema;
  for (const part of path) {
    const field: StructField | undefined =
      current.kind === 'struct' ? findField({ kind: 'struct', fields: current.fields }, [part]) : undefined;
    if (field === undefined) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `column '${path.join('.')}' does not exist in the table schema`,
        {
          path,
        },
      );
    }
    out.push(physicalName(field, mode));
    current = field.type;
  }
  return out;
}
