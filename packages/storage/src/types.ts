// Structural copies of the store contract in @loch/delta's contracts.ts. Storage must not import
// the protocol package (dependency rule: storage -> nothing), so the shapes are redeclared here;
// TypeScript's structural typing makes a FileStore assignable to delta's ObjectStore.

export interface ObjectMeta {
  /** Path relative to the store root, '/'-separated, no leading slash. */
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly lastModified: number;
}

export type PutOutcome = { readonly kind: 'written' } | { readonly kind: 'exists' };

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export interface ObjectStore {
  readonly url: string;
  list(prefix: string): Promise<ObjectMeta[]>;
  listFrom?(prefix: string, startAfter: string): Promise<ObjectMeta[]>;
  head(path: string): Promise<ObjectMeta | undefined>;
  get(path: string, range?: ByteRange): Promise<Uint8Array>;
  put(path: string, data: Uint8Array): Promise<void>;
  putIfAbsent(path: string, data: Uint8Array): Promise<PutOutcome>;
  delete(path: string): Promise<void>;
  resolve(path: string): string;
}
