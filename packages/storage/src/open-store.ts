// Chooses an ObjectStore implementation by URL scheme. Heavy backends (s3:// later) are
// imported lazily inside their loader so a local-only program never loads an SDK.

import { StorageError } from './errors.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import type { ObjectStore } from './types.js';

type Loader = (url: string) => Promise<ObjectStore>;

const loaders: Readonly<Record<string, Loader>> = {
  'file:': async (url) => new FileStore(url),
  'memory:': async (url) => new MemoryStore(url),
  // 's3:': async (url) => (await import('./s3-store.js')).openS3Store(url),
};

// Two or more letters, so a Windows drive letter (C:\data) reads as a path, not a scheme.
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/** The scheme of a store URL including the colon (`'s3:'`), or undefined for a plain path. */
export function schemeOf(url: string): string | undefined {
  return SCHEME.exec(url)?.[1]?.toLowerCase().concat(':');
}

/**
 * Opens the store for `url`: `file:///abs`, `memory://name`, or a plain absolute or relative
 * local path (a local directory whose first segment contains ':' must be written `./a:b`).
 */
export async function openStore(url: string): Promise<ObjectStore> {
  const scheme = schemeOf(url);
  if (scheme === undefined) return new FileStore(url);
  const loader = loaders[scheme];
  if (loader === undefined) {
    throw new StorageError(
      'UNSUPPORTED_SCHEME',
      `no object store for scheme '${scheme}' in '${url}'; supported are file://, memory:// and local paths`,
      { path: url },
    );
  }
  return loader(url);
}
