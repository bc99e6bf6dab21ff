// An ObjectStore wrapper that records every call, so tests can assert how much IO an operation
// did (e.g. a snapshot load after a checkpoint reads the checkpoint plus later commits, no more).
import type { ObjectMeta, ObjectStore, PutOutcome } from '@loch/delta';

export type StoreMethod = 'list' | 'listFrom' | 'head' | 'get' | 'put' | 'putIfAbsent' | 'delete';

export interface StoreCall {
  readonly method: StoreMethod;
  readonly path: string;
}

export interface CountingStore extends ObjectStore {
  /** Every call in order; `list`/`listFrom` record their prefix. */
  readonly calls: readonly StoreCall[];
  /** Paths passed to `get`, in order (repeats kept). */
  gets(): string[];
  reset(): void;
}

export function countingStore(inner: ObjectStore): CountingStore {
  const calls: StoreCall[] = [];
  const note = (method: StoreMethod, path: string): void => {
    calls.push({ method, path });
  };
  const store: CountingStore = {
    url: inner.url,
    calls,
    gets: () => calls.filter((c) => c.method === 'get').map((c) => c.path),
    reset: () => {
      calls.length = 0;
    },
    list: (prefix: string): Promise<ObjectMeta[]> => {
      note('list', prefix);
      return inner.list(prefix);
    },
    head: (path: string): Promise<ObjectMeta | undefined> => {
      note('head', path);
      return inner.head(path);
    },
    get: (path: string, range?: { offset: number; length: number }): Promise<Uint8Array> => {
      note('get', path);
      return inner.get(path, range);
    },
    put: (path: string, data: Uint8Array): Promise<void> => {
      note('put', path);
      return inner.put(path, data);
    },
    putIfAbsent: (path: string, data: Uint8Array): Promise<PutOutcome> => {
      note('putIfAbsent', path);
      return inner.putIfAbsent(path, data);
    },
    delete: (path: string): Promise<void> => {
      note('delete', path);
      return inner.delete(path);
    },
    resolve: (path: string): string => inner.resolve(path),
  };
  // Optional in the contract: offer it only when the wrapped store does, so callers that feature-
  // test for it behave as they would on the real store.
  const listFrom = inner.listFrom?.bind(inner);
  if (listFrom !== undefined) {
    (store as { listFrom?: ObjectStore['listFrom'] }).listFrom = (prefix: string, startAfter: string) => {
      note('listFrom', prefix);
      return listFrom(prefix, startAfter);
    };
  }
  return store;
}

/** Versions of the JSON commit files among `paths` (`_delta_log/00000000000000000012.json` -> 12). */
export function commitVersions(paths: readonly string[]): number[] {
  const out: number[] = [];
  for (const p of paths) {
    const m = /(?:^|\/)_delta_log\/(\d{20})\.json$/.exec(p);
    if (m) out.push(Number(m[1]));
  }
  return out;
}
