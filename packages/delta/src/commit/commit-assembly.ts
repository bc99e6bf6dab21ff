// Pure helpers for what a commit or checkpoint writes: bytes of a commit file, the rows of a
// classic checkpoint and the `_last_checkpoint` JSON. The table layer does the IO.
import { serializeActions } from '../actions/codec.js';
import type { Action, AddFile, RemoveFile } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import type { Snapshot } from '../snapshot/types.js';
import { encodeUtf8 } from '../text.js';

/**
 * The NDJSON text of a commit. commitInfo goes first (readers that only want provenance read
 * one line); at most one commitInfo is allowed per commit.
 */
export function commitText(actions: readonly Action[]): string {
  const infos: Action[] = actions.filter((a) => a.kind === 'commitInfo');
  if (infos.length > 1) {
    throw new DeltaError('INVALID_ARGUMENT', `a commit may hold one commitInfo action, got ${infos.length}`, {
      count: infos.length,
    });
  }
  return serializeActions(infos.concat(actions.filter((a) => a.kind !== 'commitInfo')));
}

/** The bytes of a commit file. */
export function commitBytes(actions: readonly Action[]): Uint8Array {
  return encodeUtf8(commitText(actions));
}

/**
 * The actions a classic checkpoint of `snapshot` holds (PROTOCOL.md "Checkpoints"): protocol,
 * metaData, txns, live domain metadata, live adds and unexpired removes, with dataChange false.
 */
export function checkpointRows(snapshot: Snapshot): Action[] {
  const rows: Action[] = [snapshot.protocol, snapshot.metadata];
  for (const t of snapshot.txns.values()) rows.push(t);
  for (const d of snapshot.domainMetadata.values()) rows.push(d);
  for (const f of snapshot.files)
    rows.push(f.dataChange ? ({ ...f, dataChange: false } satisfies AddFile) : f);
  for (const r of snapshot.tombstones)
    rows.push(r.dataChange ? ({ ...r, dataChange: false } satisfies RemoveFile) : r);
  return rows;
}

export interface LastCheckpointInfo {
  readonly version: number;
  /** Number of actions in the checkpoint. */
  readonly size: number;
  /** Number of parts of a multi-part checkpoint. */
  readonly parts?: number;
  readonly sizeInBytes?: number;
  readonly numOfAddFiles?: number;
}

/** The `_last_checkpoint` file's JSON text (PROTOCOL.md "Last Checkpoint File Schema"). */
export function lastCheckpointJson(info: LastCheckpointInfo): string {
  const out: Record<string, number> = { version: info.version, size: info.size };
  if (info.parts !== undefined) out.parts = info.parts;
  if (info.sizeInBytes !== undefined) out.sizeInBytes = info.sizeInBytes;
  if (info.numOfAddFiles !== undefined) out.numOfAddFiles = info.numOfAddFiles;
  return JSON.stringify(out);
}
