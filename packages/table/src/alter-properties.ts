// ALTER TABLE SET/UNSET TBLPROPERTIES. Enabling column mapping on an existing table maps every
// column to its current name (so existing files keep reading); enabling in-commit timestamps
// records the enablement version and timestamp, as the protocol asks.
import { randomUUID } from 'node:crypto';
import {
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  COLUMN_MAPPING_MODE_KEY,
  columnMappingMode,
  type DataType,
  DeltaError,
  PHYSICAL_NAME_KEY,
  type Snapshot,
  type StructType,
} from '@loch/delta';
import type { Change } from './alter-columns.js';
import type { TableHandle } from './table-handle.js';
import type { AlterOperation } from './types.js';

const ICT_KEY = 'delta.enableInCommitTimestamps';
const ICT_VERSION_KEY = 'delta.inCommitTimestampEnablementVersion';
const ICT_TIMESTAMP_KEY = 'delta.inCommitTimestampEnablementTimestamp';

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

export function setProperties(
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
        `cannot switch ${COLUMN_MAPPING_MODE_KEY} of an existing table: '${before}' -> '${after}' is not ` +
          `supported, only 'none' -> 'name' is`,
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

export function unsetProperties(
  s: Snapshot,
  op: Extract<AlterOperation, { kind: 'unsetProperties' }>,
): Change {
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
