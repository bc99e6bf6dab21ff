// ALTER TABLE: each operation is one metadata-only commit (plus a protocol upgrade when the new
// schema or properties need one).
import { randomUUID } from 'node:crypto';
import {
  type Action,
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  checkWriteSupport,
  columnMappingMode,
  type Metadata,
  protocolFor,
  requiredFeatures,
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
