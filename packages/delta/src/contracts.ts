// The narrow IO contracts the pure protocol code is driven through. Implementations live in
// @loch/storage (object stores) and @loch/engine-duckdb (parquet); tests use real in-memory ones.

export interface ObjectMeta {
  /** Path relative to the store root, '/'-separated, no leading slash. */
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly lastModified: number;
}

export type PutOutcome = { readonly kind: 'written' } | { readonly kind: 'exists' };

/**
 * An object store rooted at one URL. Rules every implementation keeps:
 * - `list(prefix)` returns every object whose path starts with `prefix`, sorted by path in
 *   UTF-8 byte order (Delta log listing depends on it), recursively.
 * - `get` of a missing object throws an error whose `code` is 'NOT_FOUND'.
 * - `putIfAbsent` never overwrites: it returns {kind:'exists'} when the path is taken. It is the
 *   Delta commit protocol's mutual exclusion.
 * - `put` makes the whole object visible at once (write to a temp name, then rename).
 */
export interface ObjectStore {
  /** The root URL, e.g. file:///data/t or memory://x. */
  readonly url: string;
  list(prefix: string): Promise<ObjectMeta[]>;
  /** Lists objects whose path sorts after `startAfter`, within `prefix`. */
  listFrom?(prefix: string, startAfter: string): Promise<ObjectMeta[]>;
  head(path: string): Promise<ObjectMeta | undefined>;
  get(path: string, range?: { offset: number; length: number }): Promise<Uint8Array>;
  put(path: string, data: Uint8Array): Promise<void>;
  putIfAbsent(path: string, data: Uint8Array): Promise<PutOutcome>;
  delete(path: string): Promise<void>;
  /** A path the query engine can open directly (a local filesystem path or URL). */
  resolve(path: string): string;
}

/**
 * Reads action rows from a parquet checkpoint or sidecar. Each returned row is the JSON shape
 * of one log line, e.g. `{add: {...}}` or `{metaData: {...}}`, with null columns omitted, map
 * columns as plain objects and `stats_parsed`/`partitionValues_parsed` left as nested objects.
 */
export interface ParquetActionReader {
  readActions(path: string, columns?: readonly string[]): Promise<Record<string, unknown>[]>;
}
