// ALTER TABLE: each operation is one metadata-only commit (plus a protocol upgrade when the new
// schema or properties need one). What it read decides which concurrent commits it can be
// rebased over (Delta's ConflictChecker): any winner's metadata or protocol change conflicts;
// data changes conflict only with the operations that checked the existing data.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  checkWriteSupport,
  columnMappingMode,
  type Metadata,
  protocolFor,
  type ReadSet,
  requiredFeatures,
  type Snapshot,
  serializeSchema,
} from '@loch/delta';
import { addColumns, type Change, dropColumns, renameColumn } from './alter-columns.js';
import { setProperties, unsetProperties } from './alter-properties.js';
import { alterClustering, checkClusteringColumnChange } from './clustering.js';
import { commit } from './commit.js';
import {
  addConstraint,
  checkDependentColumns,
  checkNoConstraintProperties,
  dropConstraint,
  setColumnNullability,
} from './constraints.js';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';
import type { AlterOperation } from './types.js';

export async function alterTable(h: TableHandle, op: AlterOperation): Promise<{ version: number }> {
  if (op.kind === 'clusterBy') return alterClustering(h, op.columns);
  const s = await h.require();
  checkWriteSupport(s.protocol);
  let change: Change;
  switch (op.kind) {
    case 'addColumns':
      change = addColumns(s, op);
      break;
    case 'renameColumn':
      checkDependentColumns(s, [op.from], 'rename');
      checkClusteringColumnChange(s, [op.from], 'rename');
      change = renameColumn(s, op);
      break;
    case 'dropColumns':
      checkDependentColumns(s, op.columns, 'drop');
      checkClusteringColumnChange(s, op.columns, 'drop');
      change = dropColumns(s, op);
      break;
    case 'setProperties':
      checkNoConstraintProperties(Object.keys(op.properties), 'ADD CONSTRAINT');
      change = setProperties(h, s, op);
      break;
    case 'unsetProperties':
      checkNoConstraintProperties(op.keys, 'DROP CONSTRAINT');
      change = unsetProperties(s, op);
      break;
    case 'addConstraint':
      change = await addConstraint(h, s, op);
      break;
    case 'dropConstraint':
      change = dropConstraint(s, op);
      break;
    case 'setColumnNullability':
      change = await setColumnNullability(h, s, op);
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
  const protocol = mergeProtocols(
    s.protocol,
    protocolFor(configuration, schema),
    requiredFeatures(configuration, schema),
  );
  const actions: Action[] = [];
  if (!sameProtocol(protocol, s.protocol)) actions.push(protocol);
  actions.push(metadata);
  const read = readSetOf(op, s);
  const result = await commit(h, {
    operation: change.operation,
    operationParameters: change.parameters,
    operationMetrics: {},
    actions,
    readSnapshot: s,
    // Spark's rule: a commit that read no files and removes none is a blind append.
    isBlindAppend: read.files.length === 0 && read.partitionPredicate === undefined,
    readSet: read,
    ...(change.inCommitTimestamp !== undefined ? { inCommitTimestamp: change.inCommitTimestamp } : {}),
  });
  return { version: result.version };
}

/**
 * What an ALTER read, as Delta's commands record it. ADD CONSTRAINT (and SET NOT NULL on a
 * nullable column) checks every row, like Delta's `txn.filterFiles()`: every live file under a
 * TRUE partition predicate, so a concurrent commit that adds rows (blind appends included: our
 * metadata change makes them count at WriteSerializable) or removes a file we checked conflicts
 * instead of letting unchecked rows in. Every other ALTER reads no data: it is rebased over
 * concurrent data changes and fails only on a concurrent metadata or protocol change.
 */
function readSetOf(op: AlterOperation, s: Snapshot): ReadSet {
  const checksData =
    op.kind === 'addConstraint' ||
    (op.kind === 'setColumnNullability' &&
      !op.nullable &&
      s.schema.fields.some((f) => f.name.toLowerCase() === op.column.toLowerCase() && f.nullable));
  return checksData
    ? { wholeTable: false, files: s.files, partitionPredicate: () => true }
    : { wholeTable: false, files: [] };
}
