// Classic single-file checkpoints, written through the engine: the snapshot's checkpoint rows go
// to a temp NDJSON file, DuckDB reads them with the exact column types Spark's checkpoints use and
// writes parquet to a temp file, and the bytes are published with one atomic `put`. Cost is the
// live state of the snapshot (files, tombstones, txns), never the length of the history.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import {
  actionToJson,
  checkpointPath,
  checkpointRows,
  checkWriteSupport,
  LAST_CHECKPOINT_PATH,
  lastCheckpointJson,
  type Snapshot,
} from '@loch/delta';
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

/**
 * Writes a checkpoint when `version` is due (and is the snapshot's version). Returns the error
 * instead of throwing: a checkpoint failure must never fail the commit that triggered it.
 */
export async function maybeCheckpoint(h: TableHandle, snapshot: Snapshot, version: number): Promise<unknown> {
  if (snapshot.version !== version || version === 0 || version % checkpointInterval(snapshot) !== 0)
    return undefined;
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

/** Writes `NNN.checkpoint.parquet` for the snapshot's version, then `_last_checkpoint`. */
export async function writeCheckpoint(h: TableHandle, snapshot: Snapshot): Promise<CheckpointResult> {
  // A checkpoint is a write: e.g. v2Checkpoint tables need checkpoint kinds we do not write.
  checkWriteSupport(snapshot.protocol);
  const rows = checkpointRows(snapshot);
  const dir = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'loch-checkpoint-'));
  const ndjson = nodePath.join(dir, `${randomUUID()}.json`);
  const parquet = nodePath.join(dir, `${randomUUID()}.parquet`);
  try {
    let text = '';
    for (const row of rows) text += `${JSON.stringify(actionToJson(row))}\n`;
    await fs.writeFile(ndjson, text);
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
    return result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
