// CREATE TABLE [IF NOT EXISTS] / CREATE OR REPLACE TABLE with a schema. Replacing keeps the table
// id and history: new metadata plus a remove for every live file, in one commit.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  assignColumnMapping,
  COLUMN_MAPPING_MAX_ID_KEY,
  columnMappingMode,
  DeltaError,
  type Metadata,
  type Protocol,
  protocolFor,
  requiredFeatures,
  resolveLayoutColumns,
  type Snapshot,
  type StructType,
  serializeSchema,
} from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { clusteringForNewTable } from './clustering.js';
import { commit } from './commit.js';
import { removeFor } from './file-actions.js';
import { checkGenerationExpressions } from './generated-columns.js';
import { checkIdentityColumns } from './identity-columns.js';
import { mergeProtocols } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';
import type { CreateTableOptions } from './types.js';

export interface NewTableSpec {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly name?: string | null;
  readonly description?: string | null;
}

/** Resolves partition column names against the schema (case-insensitively) to their schema spelling. */
function resolvePartitionColumns(schema: StructType, columns: readonly string[]): string[] {
  const out = resolveLayoutColumns(schema, columns, 'partition').map((f) => f.name);
  if (out.length > 0 && out.length === schema.fields.length) {
    throw new DeltaError(
      'INVALID_SCHEMA',
      'every column is a partition column; a Delta table needs at least one data column',
    );
  }
  return out;
}

function checkNames(schema: StructType): void {
  const seen = new Set<string>();
  for (const f of schema.fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) {
      throw new DeltaError(
        'INVALID_SCHEMA',
        `column '${f.name}' appears more than once (names are case-insensitive)`,
        {
          column: f.name,
        },
      );
    }
    seen.add(key);
  }
  // No columns is legal (Delta's CREATE TABLE t USING DELTA): columns come later by ALTER or mergeSchema.
}

/**
 * Metadata and protocol for a new table (or a replacement of `existing`): fresh column mapping
 * ids and physical names when mapping is on, `maxColumnId` in the configuration.
 */
export function newTableActions(
  h: TableHandle,
  spec: NewTableSpec,
  existing?: Snapshot,
): { metadata: Metadata; protocol: Protocol } {
  checkNames(spec.schema);
  checkIdentityColumns(spec.schema);
  const partitionColumns = resolvePartitionColumns(spec.schema, spec.partitionColumns);
  const configuration: Record<string, string> = { ...spec.properties };
  let schema = spec.schema;
  if (columnMappingMode(configuration) !== 'none') {
    const mapped = assignColumnMapping(schema, 0, randomUUID);
    schema = mapped.schema;
    configuration[COLUMN_MAPPING_MAX_ID_KEY] = String(mapped.maxColumnId);
  }
  const required = protocolFor(configuration, schema);
  const protocol =
    existing === undefined
      ? required
      : mergeProtocols(existing.protocol, required, requiredFeatures(configuration, schema));
  const metadata: Metadata = {
    kind: 'metaData',
    id: existing?.metadata.id ?? randomUUID(),
    ...(spec.name != null ? { name: spec.name } : {}),
    ...(spec.description != null ? { description: spec.description } : {}),
    format: { provider: 'parquet', options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns,
    configuration,
    createdTime: h.now(),
  };
  return { metadata, protocol };
}

export function tableExistsError(h: TableHandle, version: number): DeltaError {
  return new DeltaError(
    'TABLE_ALREADY_EXISTS',
    `a Delta table already exists at ${h.location} (version ${version}); use IF NOT EXISTS, OR REPLACE, or write with mode 'append'/'overwrite'`,
    { location: h.location, version },
  );
}

export async function createTable(h: TableHandle, options: CreateTableOptions): Promise<{ version: number }> {
  const existing = await h.latest();
  if (existing !== undefined) {
    if (options.ifNotExists && !options.orReplace) return { version: existing.version };
    if (!options.orReplace) throw tableExistsError(h, existing.version);
  }
  const { metadata, protocol: unclustered } = newTableActions(
    h,
    {
      schema: options.schema,
      partitionColumns: options.partitionColumns ?? [],
      properties: options.properties ?? {},
      name: options.name ?? null,
      description: options.description ?? null,
    },
    existing,
  );
  await checkGenerationExpressions(h.engine, options.schema, toDuckType);
  const { protocol, domain } = clusteringForNewTable(metadata, unclustered, options.clusterBy, existing);
  const now = h.now();
  const actions: Action[] = [protocol, metadata];
  if (domain !== undefined) actions.push(domain);
  if (existing !== undefined) for (const f of existing.files) actions.push(removeFor(f, now));
  const result = await commit(h, {
    operation: options.orReplace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE',
    operationParameters: {
      isManaged: 'false',
      description: options.description ?? null,
      partitionBy: JSON.stringify(metadata.partitionColumns),
      ...(options.clusterBy !== undefined && options.clusterBy.length > 0
        ? { clusterBy: JSON.stringify(options.clusterBy) }
        : {}),
      properties: JSON.stringify(options.properties ?? {}),
    },
    operationMetrics: {},
    actions,
    readSnapshot: existing,
    isBlindAppend: existing === undefined,
  });
  return { version: result.version };
}
