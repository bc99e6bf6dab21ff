// The thin async driver: reads a DV through the table's ObjectStore and hands the bytes to the
// pure decoder. Absolute ('p') DVs are read through the same store when they lie under its root.

import type { DeletionVectorDescriptor } from '../actions/types.js';
import type { ObjectStore } from '../contracts.js';
import { DeltaError } from '../errors.js';
import {
  decodeDeletionVectorFrame,
  decodeInlineDeletionVector,
  deletionVectorByteRange,
  deletionVectorLocation,
  uniqueId,
} from './deletion-vector.js';

export interface LoadDeletionVectorOptions {
  /** Reads a DV file outside the table root (storageType 'p'); without it such DVs fail. */
  readonly readAbsolute?: (url: string, range: { offset: number; length: number }) => Promise<Uint8Array>;
}

/** The deleted row indexes of one file, sorted ascending. `store` is rooted at the table root. */
export async function loadDeletionVector(
  store: ObjectStore,
  descriptor: DeletionVectorDescriptor,
  options: LoadDeletionVectorOptions = {},
): Promise<number[]> {
  const location = deletionVectorLocation(descriptor);
  if (location.kind === 'inline') return decodeInlineDeletionVector(descriptor);
  const range = deletionVectorByteRange(descriptor);
  if (location.kind === 'relative') {
    const frame = await readOrExplain(descriptor, location.path, () => store.get(location.path, range));
    return decodeDeletionVectorFrame(descriptor, frame, location.path);
  }
  const relative = underRoot(store.url, location.url);
  if (relative !== undefined) {
    const frame = await readOrExplain(descriptor, location.url, () => store.get(relative, range));
    return decodeDeletionVectorFrame(descriptor, frame, location.url);
  }
  if (options.readAbsolute === undefined) {
    throw new DeltaError(
      'INVALID_DELETION_VECTOR',
      `deletion vector ${uniqueId(descriptor)} is stored at '${location.url}', outside the table root ${store.url}; pass readAbsolute to read it`,
      { descriptor },
    );
  }
  const read = options.readAbsolute;
  const frame = await readOrExplain(descriptor, location.url, () => read(location.url, range));
  return decodeDeletionVectorFrame(descriptor, frame, location.url);
}

async function readOrExplain(
  d: DeletionVectorDescriptor,
  path: string,
  read: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return await read();
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'code' in e && e.code === 'NOT_FOUND') {
      throw new DeltaError(
        'FILE_NOT_FOUND',
        `deletion vector file '${path}' of ${uniqueId(d)} is missing (vacuumed or never written)`,
        { path, descriptor: d },
      );
    }
    throw e;
  }
}

/** The decoded store-relative path of an absolute DV URI under `rootUrl`, if it is under it. */
function underRoot(rootUrl: string, url: string): string | undefined {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  // `file:/x`, `file:///x` and `/x` all name the same local file.
  const canonical = (s: string) => decode(s.replace(/^file:(\/\/)?(?=\/)/, ''));
  const root = canonical(rootUrl).replace(/\/+$/, '');
  const target = canonical(url);
  return target.startsWith(`${root}/`) ? target.slice(root.length + 1) : undefined;
}
