// DESCRIBE HISTORY and DESCRIBE DETAIL, from the log and the latest snapshot.
import {
  clusteringColumnNames,
  type Protocol,
  protocolFeatures,
  readCommitInfos,
  type Snapshot,
} from '@loch/delta';
import { totalSize } from './file-actions.js';
import type { TableHandle } from './table-handle.js';
import type { HistoryEntry, TableDetail } from './types.js';

const stringValues = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Commits newest first, at most `limit` of them. */
export async function tableHistory(h: TableHandle, limit?: number): Promise<HistoryEntry[]> {
  const latest = await h.require();
  const from = limit === undefined ? 0 : Math.max(0, latest.version - limit + 1);
  const records = await readCommitInfos(h.store, from, latest.version);
  return records.map((r) => {
    const ci = r.commitInfo ?? {};
    const readVersion = ci.readVersion;
    const blind = ci.isBlindAppend;
    return {
      version: r.version,
      timestamp: r.timestamp,
      userId: str(ci.userId),
      userName: str(ci.userName),
      operation: str(ci.operation) ?? 'UNKNOWN',
      operationParameters: stringValues(ci.operationParameters),
      readVersion: typeof readVersion === 'number' ? readVersion : null,
      isolationLevel: str(ci.isolationLevel),
      isBlindAppend: typeof blind === 'boolean' ? blind : null,
      operationMetrics: stringValues(ci.operationMetrics),
      userMetadata: str(ci.userMetadata),
      engineInfo: str(ci.engineInfo),
    };
  });
}

/** Feature names a protocol enables, legacy ones included (as Databricks lists them). */
export function tableFeatureNames(protocol: Protocol): string[] {
  const { reader, writer } = protocolFeatures(protocol);
  return [...new Set([...reader, ...writer])].sort();
}

export function tableDetail(h: TableHandle, snapshot: Snapshot): TableDetail {
  const m = snapshot.metadata;
  return {
    format: 'delta',
    id: m.id,
    name: m.name ?? null,
    description: m.description ?? null,
    location: h.location,
    createdAt: m.createdTime ?? null,
    lastModified: snapshot.timestamp,
    partitionColumns: snapshot.partitionColumns,
    clusteringColumns: clusteringColumns(snapshot),
    numFiles: snapshot.files.length,
    sizeInBytes: totalSize(snapshot.files),
    properties: m.configuration,
    minReaderVersion: snapshot.protocol.minReaderVersion,
    minWriterVersion: snapshot.protocol.minWriterVersion,
    tableFeatures: tableFeatureNames(snapshot.protocol),
  };
}

// Liquid clustering keeps its columns in the `delta.clustering` domain as physical column paths;
// DESCRIBE DETAIL shows their logical names.
const clusteringColumns = (snapshot: Snapshot): string[] => clusteringColumnNames(snapshot);
