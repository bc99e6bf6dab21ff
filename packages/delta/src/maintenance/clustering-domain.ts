// Liquid clustering's record in the log (PROTOCOL.md "Clustered Table"): the `delta.clustering`
// domain holds `{"clusteringColumns": [["a"], ["b", "c"]]}`, each column a path of physical names,
// and files written by clustering carry `clusteringProvider`.
import type { AddFile, DomainMetadata } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { physicalName } from '../schema/column-mapping.js';
import { resolveLayoutColumns } from '../schema/layout-columns.js';
import type { StructField, StructType } from '../schema/types.js';
import type { ColumnMappingMode, Snapshot } from '../snapshot/types.js';

export const CLUSTERING_DOMAIN = 'delta.clustering';
export const LIQUID_CLUSTERING_PROVIDER = 'liquid';

export function clusteringDomain(physicalPaths: readonly (readonly string[])[]): DomainMetadata {
  return {
    kind: 'domainMetadata',
    domain: CLUSTERING_DOMAIN,
    configuration: JSON.stringify({ clusteringColumns: physicalPaths }),
    removed: false,
  };
}

/** The physical column paths the snapshot clusters by; undefined when it is not clustered. */
export function clusteringPhysicalPaths(snapshot: Snapshot): string[][] | undefined {
  const d = snapshot.domainMetadata.get(CLUSTERING_DOMAIN);
  if (d === undefined || d.removed) return undefined;
  try {
    const parsed = JSON.parse(d.configuration) as { clusteringColumns?: unknown };
    if (!Array.isArray(parsed.clusteringColumns)) return undefined;
    return parsed.clusteringColumns.map((c) => (Array.isArray(c) ? c.map(String) : [String(c)]));
  } catch {
    return undefined;
  }
}

/** The logical top-level names of the clustering columns, in clustering order ([] when none). */
export function clusteringColumnNames(snapshot: Snapshot): string[] {
  const paths = clusteringPhysicalPaths(snapshot) ?? [];
  const out: string[] = [];
  for (const path of paths) {
    let type: StructType | undefined = snapshot.schema;
    const names: string[] = [];
    for (const part of path) {
      const field: StructField | undefined = type?.fields.find(
        (f) => physicalName(f, snapshot.columnMappingMode) === part,
      );
      if (field === undefined) break;
      names.push(field.name);
      type = field.type.kind === 'struct' ? field.type : undefined;
    }
    out.push(names.length === path.length ? names.join('.') : path.join('.'));
  }
  return out;
}

/**
 * Resolves clustering column names against a schema to physical paths. Clustering columns must be
 * top-level primitive columns, listed once, and not partition columns (a clustered table has none).
 */
export function resolveClusteringColumns(
  schema: StructType,
  mode: ColumnMappingMode,
  columns: readonly string[],
  partitionColumns: readonly string[] = [],
): { names: string[]; physical: string[][] } {
  if (partitionColumns.length > 0 && columns.length > 0) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `a table cannot be both partitioned (by ${partitionColumns.join(', ')}) and clustered; drop PARTITIONED BY or CLUSTER BY`,
      { partitionColumns: [...partitionColumns] },
    );
  }
  const fields = resolveLayoutColumns(schema, columns, 'clustering');
  const names = fields.map((f) => f.name);
  const physical = fields.map((f) => [physicalName(f, mode)]);
  return { names, physical };
}

/** Whether an add was written by liquid clustering (OPTIMIZE leaves such files alone). */
export const isClustered = (add: AddFile): boolean => add.clusteringProvider === LIQUID_CLUSTERING_PROVIDER;
