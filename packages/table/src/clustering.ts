// Liquid clustering's table side: CREATE TABLE ... CLUSTER BY records the columns in the
// `delta.clustering` domain and turns on the `clustering` + `domainMetadata` writer features;
// ALTER TABLE ... CLUSTER BY (cols) | NONE rewrites (or clears) the domain without touching data.
// OPTIMIZE then clusters the files not clustered yet (optimize.ts).
import {
  type Action,
  CLUSTERING_DOMAIN,
  checkWriteSupport,
  clusteringColumnNames,
  clusteringDomain,
  columnMappingMode,
  DeltaError,
  type DomainMetadata,
  type Metadata,
  type Protocol,
  parseSchema,
  protocolFor,
  requiredFeatures,
  resolveClusteringColumns,
  type Snapshot,
  type StructType,
} from '@loch/delta';
import { commit } from './commit.js';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';

const CLUSTERING_FEATURE = { 'delta.feature.clustering': 'supported' } as const;

/** The protocol `protocol` upgraded to allow clustering (writer version 7, clustering + domainMetadata). */
export function withClustering(protocol: Protocol, metadata: Metadata, schema: StructType): Protocol {
  const configuration = { ...metadata.configuration, ...CLUSTERING_FEATURE };
  return mergeProtocols(
    protocol,
    protocolFor(configuration, schema),
    requiredFeatures(configuration, schema),
  );
}

/**
 * The domain action and protocol a new (or replaced) table with `columns` as clustering columns
 * needs; for no columns, a tombstone when the replaced table was clustered.
 */
export function clusteringForNewTable(
  metadata: Metadata,
  protocol: Protocol,
  columns: readonly string[] | undefined,
  existing: Snapshot | undefined,
): { protocol: Protocol; domain?: DomainMetadata } {
  const schema = parseSchema(metadata.schemaString);
  const mode = columnMappingMode(metadata.configuration);
  if (columns === undefined || columns.length === 0) {
    const old = existing?.domainMetadata.get(CLUSTERING_DOMAIN);
    return old === undefined || old.removed ? { protocol } : { protocol, domain: { ...old, removed: true } };
  }
  const { physical } = resolveClusteringColumns(schema, mode, columns, metadata.partitionColumns);
  return { protocol: withClustering(protocol, metadata, schema), domain: clusteringDomain(physical) };
}

/** ALTER TABLE ... CLUSTER BY (columns), or CLUSTER BY NONE for an empty list. */
export async function alterClustering(
  h: TableHandle,
  columns: readonly string[],
): Promise<{ version: number }> {
  const s = await h.require();
  checkWriteSupport(s.protocol);
  const actions: Action[] = [];
  let domain: DomainMetadata;
  if (columns.length === 0) {
    const old = s.domainMetadata.get(CLUSTERING_DOMAIN);
    // Delta keeps the domain with an empty list, so the table stays "clustered by nothing".
    if (old === undefined || old.removed) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `the table at ${h.location} is not clustered; CLUSTER BY NONE has nothing to clear`,
        {
          location: h.location,
        },
      );
    }
    domain = clusteringDomain([]);
  } else {
    const { physical } = resolveClusteringColumns(s.schema, s.columnMappingMode, columns, s.partitionColumns);
    domain = clusteringDomain(physical);
    const protocol = withClustering(s.protocol, s.metadata, s.schema);
    if (!sameProtocol(protocol, s.protocol)) actions.push(protocol);
  }
  actions.push(domain);
  const result = await commit(h, {
    operation: 'CLUSTER BY',
    operationParameters: {
      oldClusteringColumns: clusteringColumnNames(s).join(','),
      newClusteringColumns: columns.join(','),
    },
    operationMetrics: {},
    actions,
    readSnapshot: s,
    isBlindAppend: true,
    // Reads no data: rebased over concurrent data changes (a protocol upgrade included); a
    // concurrent change of the clustering domain, metadata or protocol still conflicts.
    readSet: { wholeTable: false, files: [] },
  });
  return { version: result.version };
}

/**
 * Refuses dropping a clustering column, and renaming one without column mapping (the domain
 * names columns physically: under column mapping a rename leaves the physical name alone).
 */
export function checkClusteringColumnChange(
  s: Snapshot,
  columns: readonly string[],
  change: 'rename' | 'drop',
): void {
  const clustered = clusteringColumnNames(s).map((c) => c.toLowerCase());
  for (const c of columns) {
    if (!clustered.includes(c.toLowerCase())) continue;
    if (change === 'rename' && s.columnMappingMode !== 'none') continue;
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `cannot ${change} column '${c}': it is a clustering column; run ALTER TABLE ... CLUSTER BY without it (or CLUSTER BY NONE) first`,
      { column: c },
    );
  }
}
