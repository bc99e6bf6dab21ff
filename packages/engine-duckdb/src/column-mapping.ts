// The two column-mapping metadata keys the engine needs (PROTOCOL.md "Column Mapping"). Kept local so
// the engine only depends on @loch/delta's types, not on its in-flux helpers.
import type { StructField } from '@loch/delta';

export type ColumnMappingMode = 'none' | 'name' | 'id';

const PHYSICAL_NAME = 'delta.columnMapping.physicalName';
const FIELD_ID = 'delta.columnMapping.id';

/** The name a field has inside parquet files: its physical name when mapped, else its logical name. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata[PHYSICAL_NAME];
  return typeof p === 'string' && p !== '' ? p : field.name;
}

/** The parquet field id of a field, when the log assigned one. */
export function fieldId(field: StructField): number | undefined {
  const id = field.metadata[FIELD_ID];
  if (typeof id === 'number' && Number.isInteger(id)) return id;
  if (typeof id === 'string' && /^[0-9]+$/.test(id)) return Number(id);
  return undefined;
}
