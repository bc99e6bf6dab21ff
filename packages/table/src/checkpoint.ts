// Classic single-file checkpoints, written through the engine: the snapshot's checkpoint rows go
// to a temp NDJSON file, DuckDB reads them with the exact column types Spark's checkpoints use and
// writes parquet to a temp file, and the bytes are published with one atomic `put`. Cost is the
// live state of the snapshot (files, tombstones, txns), never the length of the history.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import {
  type Action,
  type AddFile,
  actionToJson,
  checkpointPath,
  checkpointRows,
  checkWriteSupport,
  LAST_CHECKPOINT_PATH,
  lastCheckpointJson,
  type Snapshot,
} from '@loch/delta';
import { cleanupExpiredLogs } from './log-cleanup.js';
import { maybeCompactLog } from './log-compaction.js';
import { quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export const CHECKPOINT_INTERVAL_KEY = 'delta.checkpointInterval';
export const DEFAULT_CHECKPOINT_INTERVAL = 10;

const STRING_MAP = 'MAP(VARCHAR, VARCHAR)';
const DV =
  'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT)';

/** Column types of a Spark classic checkpoint (without the optional *_parsed columns). */
export const CHECKPOINT_COLUMN_TYPES: Readonly<Record<string, string>> = {
  txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
  add:
    `STRUCT(path VARCHAR, partitionValues ${STRING_MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, ` +
    `stats VARCHAR, tags ${STRING_MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, ` +
    'clusteringProvider VARCHAR)',
  remove:
    'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, ' +
    `partitionValues ${STRING_MAP}, size BIGINT, stats VARCHAR, tags ${STRING_MAP}, deletionVector ${DV}, baseRowId BIGINT, ` +
    'defaultRowCommitVersion BIGINT)',
  metaData:
    `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${STRING_MAP}), ` +
    `schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${STRING_MAP}, createdTime BIGINT)`,
  protocol:
    'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])',
  domainMetadata: 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)',
};

export function checkpointInterval(snapshot: Snapshot): number {
  const raw = snapshot.metadata.configuration[CHECKPOINT_INTERVAL_KEY];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CHECKPOINT_INTERVAL;
}

/** Whether the commit of `version` is due a checkpoint under the snapshot's interval. */
export const checkpointDue = (snapshot: Snapshot, version: number): boolean =>
  snapshot.version === version && version > 0 && version % checkpointInterval(snapshot) === 0;

/**
 * Writes a checkpoint of the snapshot when its version is due, inline or queued on the handle.
 * Returns the error instead of throwing: a checkpoint failure must never fail the commit that
 * triggered it.
 */
export async function maybeCheckpoint(h: TableHandle, snapshot: Snapshot, version: number): Promise<unknown> {
  h.noteCommit();
  if (!checkpointDue(snapshot, version)) return maybeCompactLog(h, snapshot, version);
  if (h.ctx.checkpointMode === 'background') {
    h.enqueueCheckpoint(snapshot, (s) => checkpointQuietly(h, s));
    return undefined;
  }
  return checkpointQuietly(h, snapshot);
}

async function checkpointQuietly(h: TableHandle, snapshot: Snapshot): Promise<unknown> {
  try {
    await writeCheckpoint(h, snapshot);
    return undefined;
  } catch (e) {
    return e;
  }
}

export interface CheckpointResult {
  readonly version: number;
  readonly size: number;
  readonly sizeInBytes: number;
  readonly numOfAddFiles: number;
}

/** Rows per write: bounds memory, and each write yields so commits can interleave with a big checkpoint. */
const NDJSON_CHUNK_ROWS = 4096;

// A live file is serialized once for all the checkpoints it appears in: snapshots share their
// AddFile objects, so a busy table's repeated checkpoints cost a string join, not a re-encode.
const addLines = new WeakMap<AddFile, string>();

function addLine(add: AddFile): string {
  let line = addLines.get(add);
  if (line === undefined) {
    line = JSON.stringify(actionToJson(add.dataChange ? { ...add, dataChange: false } : add));
    addLines.set(add, line);
  }
  return line;
}

/** The checkpoint as NDJSON: `checkpointRows` order, with the live files' lines from the cache. */
async function writeNdjson(path: string, snapshot: Snapshot, rows: readonly Action[]): Promise<void> {
  const others = rows.filter((r) => r.kind !== 'add');
  const fh = await fs.open(path, 'w');
  try {
    let text = '';
    for (const r of others) if (r.kind !== 'remove') text += `${JSON.stringify(actionToJson(r))}\n`;
    const files = snapshot.files;
    for (let start = 0; start < files.length; start += NDJSON_CHUNK_ROWS) {
      const end = Math.min(files.length, start + NDJSON_CHUNK_ROWS);
      for (let i = start; i < end; i++) text += `${addLine(files[i]!)}\n`;
      await fh.write(text);
      text = '';
    }
    for (const r of others) if (r.kind === 'remove') text += `${JSON.stringify(actionToJson(r))}\n`;
    await fh.write(text);
  } finally {
    await fh.close();
  }
}

/** Writes `NNN.checkpoint.parquet` for the snapshot's version, then `_last_checkpoint`. */
export async function writeCheckpoint(h: TableHandle, snapshot: Snapshot): Promise<CheckpointResult> {
  // A checkpoint is a write: e.g. v2Checkpoint tables need checkpoint kinds we do not write.
  checkWriteSupport(snapshot.protocol);
  const rows = checkpointRows(snapshot);
  const dir = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'loch-checkpoint-'));
  const ndjson = nodePath.join(dir, `${randomUUID()}.json`);
  const parquet = nodePath.join(dir, `${randomUUID()}.parquet`);
  try {
    await writeNdjson(ndjson, snapshot, rows);
    const columns = Object.entries(CHECKPOINT_COLUMN_TYPES)
      .map(([name, type]) => `${name}: ${quoteLiteral(type)}`)
      .join(', ');
    const select = Object.keys(CHECKPOINT_COLUMN_TYPES).join(', ');
    await h.engine.run(
      `COPY (SELECT ${select} FROM read_json(${quoteLiteral(ndjson)}, format = 'newline_delimited', ` +
        `columns = {${columns}})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`,
    );
    const bytes = await fs.readFile(parquet);
    await h.store.put(checkpointPath(snapshot.version), bytes);
    const numOfAddFiles = snapshot.files.length;
    const result: CheckpointResult = {
      version: snapshot.version,
      size: rows.length,
      sizeInBytes: bytes.byteLength,
      numOfAddFiles,
    };
    await h.store.put(LAST_CHECKPOINT_PATH, new TextEncoder().encode(lastCheckpointJson(result)));
    // Cleanup is best effort: the checkpoint stands, and the next one retries what is left.
    await cleanupExpiredLogs(h, snapshot).catch(() => undefined);
    return result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
