// Change data feed reader: a version range -> one SQL relation with the table's columns plus
// `_change_type`, `_commit_version` and `_commit_timestamp`. The log decides which files hold the
// changes (change-feed-plan.ts); the engine's scanSql reads them (partition values, column mapping,
// deletion vectors), and each read is tagged with its commit's constants.
import {
  type DeletionVectorDescriptor,
  dvUniqueId,
  indexLogListing,
  listLog,
  loadDeletionVector,
  monotonicFileTimestamps,
  type Snapshot,
  type StructType,
} from '@loch/delta';
import type { ScanFile, ScanSpec } from '@loch/engine-duckdb';
import { decodeAddPath } from '@loch/storage';
import { type ChangeFile, type ChangeSource, planCommitChanges, rowsMinus } from './change-feed-plan.js';
import { type CommitData, checkEnabled, readCommits, resolveRange } from './change-feed-range.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { ChangeFeedRange } from './types.js';

export const CHANGE_TYPE_COLUMN = '_change_type';
export const COMMIT_VERSION_COLUMN = '_commit_version';
export const COMMIT_TIMESTAMP_COLUMN = '_commit_timestamp';
const ROW_COLUMN = '__loch_cdf_row';

/** SQL relation text (use as `FROM (<sql>)`) of the table's changes in a version / timestamp range. */
export async function changeFeedSql(h: TableHandle, range: ChangeFeedRange): Promise<string> {
  const latest = await h.require();
  const listing = indexLogListing(await listLog(h.store));
  const fileTimes = new Map(monotonicFileTimestamps(listing).map((t) => [t.version, t.timestamp]));
  const { start, end } = await resolveRange(h, latest, listing, fileTimes, range);
  const commits = await readCommits(h, listing, fileTimes, start, end);
  const endSnapshot = end === latest.version ? latest : await h.at({ version: end });
  // The properties in effect at `start`: a snapshot load is needed only when the start commit does
  // not set them itself (reading from version 0, or from an ALTER, needs none).
  const startSetsMetadata = commits[0]!.actions.some((a) => a.kind === 'metaData');
  const atStart = startSetsMetadata
    ? undefined
    : (start === end ? endSnapshot : await h.at({ version: start })).metadata.configuration;
  checkEnabled(h, atStart, commits);

  const branches: string[] = [];
  for (const commit of commits) {
    for (const source of planCommitChanges(commit.version, commit.actions).sources) {
      branches.push(...(await sourceSql(h, endSnapshot, commit, source)));
    }
  }
  if (branches.length === 0) {
    const empty = await h.engine.scanSql(baseSpec(endSnapshot, []));
    return `${tag(endSnapshot.schema, quoteLiteral('insert'), 0, 0, empty)} WHERE false`;
  }
  return branches.join(' UNION ALL ');
}

function baseSpec(snapshot: Snapshot, files: readonly ScanFile[], schema?: StructType): ScanSpec {
  return {
    files,
    schema: schema ?? snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
  };
}

/** The table columns of `sql` followed by the change columns. */
function tag(
  schema: StructType,
  changeType: string,
  version: number,
  timestamp: number,
  sql: string,
): string {
  const cols = schema.fields.map((f) => quoteIdent(f.name));
  cols.push(
    `${changeType} AS ${quoteIdent(CHANGE_TYPE_COLUMN)}`,
    `CAST(${version} AS BIGINT) AS ${quoteIdent(COMMIT_VERSION_COLUMN)}`,
    `TIMESTAMPTZ ${quoteLiteral(new Date(timestamp).toISOString())} AS ${quoteIdent(COMMIT_TIMESTAMP_COLUMN)}`,
  );
  return `SELECT ${cols.join(', ')} FROM (${sql}) AS __loch_cdf`;
}

async function sourceSql(
  h: TableHandle,
  snapshot: Snapshot,
  commit: CommitData,
  source: ChangeSource,
): Promise<string[]> {
  const { version, timestamp } = commit;
  switch (source.kind) {
    case 'files': {
      const files = await Promise.all(source.files.map((f) => scanFile(h, f, true)));
      const sql = await h.engine.scanSql(baseSpec(snapshot, files));
      return [tag(snapshot.schema, quoteLiteral(source.changeType), version, timestamp, sql)];
    }
    case 'cdc': {
      // `_change_type` is a column of the cdc files themselves (never mapped to a physical name).
      const schema: StructType = {
        kind: 'struct',
        fields: [
          ...snapshot.schema.fields,
          {
            name: CHANGE_TYPE_COLUMN,
            type: { kind: 'primitive', name: 'string' },
            nullable: true,
            metadata: {},
          },
        ],
      };
      const files = await Promise.all(
        source.files.map((f) =>
          scanFile(h, { path: f.path, partitionValues: f.partitionValues, size: f.size }, false),
        ),
      );
      const sql = await h.engine.scanSql(baseSpec(snapshot, files, schema));
      return [tag(snapshot.schema, quoteIdent(CHANGE_TYPE_COLUMN), version, timestamp, sql)];
    }
    case 'dv-diff': {
      const before = source.before === null ? [] : await deletedRows(h, source.before);
      const after = source.after === null ? [] : await deletedRows(h, source.after);
      const out: string[] = [];
      const file = await scanFile(h, source.file, false);
      for (const [changeType, rows] of [
        ['delete', rowsMinus(after, before)],
        ['insert', rowsMinus(before, after)],
      ] as const) {
        if (rows.length === 0) continue;
        const spec: ScanSpec = { ...baseSpec(snapshot, [file]), rowIndexColumn: ROW_COLUMN };
        const sql = `SELECT * FROM (${await h.engine.scanSql(spec)}) AS __loch_rows WHERE ${quoteIdent(ROW_COLUMN)} IN (${rows.join(', ')})`;
        out.push(tag(snapshot.schema, quoteLiteral(changeType), version, timestamp, sql));
      }
      return out;
    }
  }
}

async function scanFile(h: TableHandle, f: ChangeFile, applyDv: boolean): Promise<ScanFile> {
  const file: ScanFile = {
    location: decodeAddPath(h.location, f.path),
    partitionValues: f.partitionValues,
    ...(f.size !== undefined ? { size: f.size } : {}),
    // The log's row count becomes DuckDB's cardinality hint, as in scan.ts (cdc files have none).
    ...(f.numRecords !== undefined ? { numRecords: f.numRecords } : {}),
  };
  if (!applyDv || f.deletionVector == null) return file;
  return { ...file, deletedRows: await deletedRows(h, f.deletionVector) };
}

// Shares the handle's cache with scans: a DV read for the current snapshot is not read again.
function deletedRows(h: TableHandle, dv: DeletionVectorDescriptor): Promise<readonly number[]> {
  const key = dvUniqueId(dv);
  let pending = h.dvCache.get(key);
  if (pending === undefined) {
    pending = loadDeletionVector(h.store, dv).then((rows) => Array.from(rows, Number));
    pending.catch(() => h.dvCache.delete(key));
    h.dvCache.set(key, pending);
  }
  return pending;
}
