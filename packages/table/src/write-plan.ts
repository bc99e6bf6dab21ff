// The table side of a write: which schema, partitioning, column mapping and protocol the data is
// written with, and the metadata/protocol actions the commit must carry when they change.
import { randomUUID } from 'node:crypto';
import {
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  columnMappingMode,
  DeltaError,
  type Metadata,
  type Protocol,
  parseSchema,
  protocolFor,
  requiredFeatures,
  type Snapshot,
  type StructType,
  serializeSchema,
} from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { newTableActions } from './create.js';
import type { DataFileTarget } from './data-files.js';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';
import type { WriteOptions } from './types.js';
import { planWriteSchema } from './write-schema.js';

const TYPE_WIDENING_KEY = 'delta.enableTypeWidening';

const nullable = (schema: StructType): StructType => ({
  kind: 'struct',
  fields: schema.fields.map((f) => ({ ...f, nullable: true })),
});

const samePartitioning = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((c, i) => c.toLowerCase() === b[i]?.toLowerCase());

export interface TablePlan {
  readonly target: DataFileTarget;
  readonly selectList: string;
  /** Metadata / protocol actions this write commits (schema change or new table). */
  readonly metadata?: Metadata;
  readonly protocol?: Protocol;
}

/** The properties of a new or replacing table (a DataFrame overwriteSchema keeps the old ones). */
function newTableProperties(opts: WriteOptions, existing: Snapshot | undefined): Record<string, string> {
  // REPLACE TABLE ... AS SELECT states them anew.
  const replacing =
    opts.operation === 'REPLACE TABLE AS SELECT' || opts.operation === 'CREATE OR REPLACE TABLE AS SELECT';
  const kept = replacing ? {} : (existing?.metadata.configuration ?? {});
  const properties = { ...kept, ...(opts.properties ?? {}) };
  delete properties[COLUMN_MAPPING_MAX_ID_KEY];
  return properties;
}

/**
 * A new (or replacing) table's metadata and protocol, with `source` matched to its columns as an
 * append would be; the data files are written with the table's schema or, `planned`, the one
 * planWriteSchema derives for the source.
 */
function planNewTable(
  h: TableHandle,
  opts: WriteOptions,
  existing: Snapshot | undefined,
  spec: { readonly schema: StructType; readonly partitionColumns: readonly string[] },
  source: StructType,
  targetSchema: 'table' | 'planned',
): TablePlan {
  const { metadata, protocol } = newTableActions(
    h,
    {
      schema: spec.schema,
      partitionColumns: spec.partitionColumns,
      properties: newTableProperties(opts, existing),
      name: existing?.metadata.name ?? null,
      description: opts.description ?? existing?.metadata.description ?? null,
    },
    existing,
  );
  const table = parseSchema(metadata.schemaString);
  const plan = planWriteSchema({ table, source, mergeSchema: false, sqlType: toDuckType });
  return {
    target: {
      schema: targetSchema === 'table' ? table : plan.schema,
      partitionColumns: metadata.partitionColumns,
      columnMappingMode: columnMappingMode(metadata.configuration),
      configuration: metadata.configuration,
    },
    selectList: plan.selectList,
    metadata,
    protocol,
  };
}

/**
 * A table created (or replaced) with declared columns, filled by the same write: CREATE TABLE t
 * (cols) AS SELECT in one commit, as Spark writes it. The data is matched to the declared
 * columns as an append to an existing table would be.
 */
export function planForDeclaredSchema(
  h: TableHandle,
  opts: WriteOptions,
  declared: StructType,
  source: StructType,
  existing: Snapshot | undefined,
): TablePlan {
  return planNewTable(
    h,
    opts,
    existing,
    { schema: declared, partitionColumns: opts.partitionBy ?? [] },
    source,
    'table',
  );
}

/** A table whose schema is the source's (a new table, or overwriteSchema). */
export function planForNewSchema(
  h: TableHandle,
  opts: WriteOptions,
  source: StructType,
  existing: Snapshot | undefined,
): TablePlan {
  const keepPartitioning =
    existing !== undefined &&
    opts.partitionBy === undefined &&
    existing.partitionColumns.every((c) =>
      source.fields.some((f) => f.name.toLowerCase() === c.toLowerCase()),
    );
  const partitionColumns = opts.partitionBy ?? (keepPartitioning ? existing.partitionColumns : []);
  return planNewTable(h, opts, existing, { schema: nullable(source), partitionColumns }, source, 'planned');
}

export function planForExisting(opts: WriteOptions, source: StructType, snapshot: Snapshot): TablePlan {
  if (opts.partitionBy !== undefined && !samePartitioning(opts.partitionBy, snapshot.partitionColumns)) {
    throw new DeltaError(
      'SCHEMA_MISMATCH',
      `the write asks for partitioning [${opts.partitionBy.join(', ')}] but the table is partitioned by ` +
        `[${snapshot.partitionColumns.join(', ')}]; use mode 'overwrite' with overwriteSchema=true to change it`,
      { option: 'overwriteSchema' },
    );
  }
  const plan = planWriteSchema({
    table: snapshot.schema,
    source,
    mergeSchema: opts.mergeSchema === true,
    sqlType: toDuckType,
  });
  if (!plan.changed) {
    return {
      target: {
        schema: snapshot.schema,
        partitionColumns: snapshot.partitionColumns,
        columnMappingMode: snapshot.columnMappingMode,
        configuration: snapshot.metadata.configuration,
      },
      selectList: plan.selectList,
    };
  }
  const configuration: Record<string, string> = { ...snapshot.metadata.configuration };
  let schema = plan.schema;
  if (snapshot.columnMappingMode !== 'none') {
    const maxId = Number(configuration[COLUMN_MAPPING_MAX_ID_KEY] ?? 0);
    const mapped = assignColumnMapping(schema, Number.isFinite(maxId) ? maxId : 0, randomUUID);
    schema = mapped.schema;
    configuration[COLUMN_MAPPING_MAX_ID_KEY] = String(mapped.maxColumnId);
  }
  if (plan.typeWidened) configuration[TYPE_WIDENING_KEY] = 'true';
  const metadata: Metadata = { ...snapshot.metadata, schemaString: serializeSchema(schema), configuration };
  const required = mergeProtocols(
    snapshot.protocol,
    protocolFor(configuration, schema),
    requiredFeatures(configuration, schema),
  );
  return {
    target: {
      schema,
      partitionColumns: snapshot.partitionColumns,
      columnMappingMode: snapshot.columnMappingMode,
      configuration,
    },
    selectList: plan.selectList,
    metadata,
    ...(sameProtocol(required, snapshot.protocol) ? {} : { protocol: required }),
  };
}
