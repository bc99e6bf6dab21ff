// Reading log files through the IO contracts: commits, compactions, checkpoints and sidecars.
// Every function here is a thin async step around the pure codec; no state is kept.
import { actionFromCheckpointRow, parseCommitText } from '../actions/codec.js';
import type { Action, Sidecar } from '../actions/types.js';
import type { ObjectMeta, ObjectStore, ParquetActionReader } from '../contracts.js';
import { LAST_CHECKPOINT_PATH, LOG_DIR, sidecarPath } from '../log/file-names.js';
import { decodeUtf8 } from '../text.js';
import type { LogSegment } from './types.js';

/** Top-level checkpoint columns a snapshot needs. */
export const CHECKPOINT_COLUMNS = [
  'protocol',
  'metaData',
  'txn',
  'domainMetadata',
  'add',
  'remove',
  'checkpointMetadata',
  'sidecar',
] as const;
const SIDECAR_COLUMNS = ['add', 'remove'] as const;

/** Parallel reads per load: enough to hide store latency, few enough to bound memory. */
const READ_CONCURRENCY = 32;

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function readJsonActions(store: ObjectStore, path: string): Promise<Action[]> {
  return parseCommitText(decodeUtf8(await store.get(path)), path);
}

async function readParquetActions(
  store: ObjectStore,
  reader: ParquetActionReader,
  path: string,
  columns: readonly string[],
): Promise<Action[]> {
  const rows = await reader.readActions(store.resolve(path), columns);
  const out: Action[] = [];
  for (const row of rows) {
    const a = actionFromCheckpointRow(row, path);
    if (a !== undefined) out.push(a);
  }
  return out;
}

/**
 * All actions of a checkpoint: its own files plus, for v2 checkpoints (also classic-named ones
 * that carry sidecar actions), the add/remove actions of every sidecar.
 */
export async function readCheckpointActions(
  store: ObjectStore,
  reader: ParquetActionReader,
  checkpoint: NonNullable<LogSegment['checkpoint']>,
): Promise<Action[]> {
  const parts = await mapLimit(checkpoint.paths, READ_CONCURRENCY, (p) =>
    checkpoint.kind === 'v2-json'
      ? readJsonActions(store, p)
      : readParquetActions(store, reader, p, CHECKPOINT_COLUMNS),
  );
  const actions = parts.length === 1 ? (parts[0] as Action[]) : parts.flat();
  const sidecars = actions.filter((a): a is Sidecar => a.kind === 'sidecar');
  if (sidecars.length === 0) return actions;
  const fromSidecars = await mapLimit(sidecars, READ_CONCURRENCY, (s) =>
    readParquetActions(store, reader, sidecarPath(s.path, store.url), SIDECAR_COLUMNS),
  );
  return actions.concat(...fromSidecars);
}

/** The `_last_checkpoint` hint, or undefined when it is missing, unreadable or corrupt. */
export async function readLastCheckpointHint(store: ObjectStore): Promise<{ version: number } | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(LAST_CHECKPOINT_PATH);
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(decodeUtf8(bytes));
    const v = (parsed as { version?: unknown } | null)?.version;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? { version: v } : undefined;
  } catch {
    return undefined;
  }
}

/** Lists `_delta_log/` entries sorting after `startAfter` (a full listing when the store cannot). */
export async function listLog(store: ObjectStore, startAfter?: string): Promise<ObjectMeta[]> {
  if (startAfter === undefined) return store.list(LOG_DIR);
  if (store.listFrom !== undefined) return store.listFrom(LOG_DIR, startAfter);
  const all = await store.list(LOG_DIR);
  return all.filter((m) => m.path > startAfter);
}

/** The first commitInfo of a commit's actions (Spark writes it first; others may not). */
export function findCommitInfo(actions: readonly Action[]): Readonly<Record<string, unknown>> | undefined {
  for (const a of actions) if (a.kind === 'commitInfo') return a.value;
  return undefined;
}
