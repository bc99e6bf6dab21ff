// Identity of a file action during reconciliation (PROTOCOL.md "Action Reconciliation"): the
// canonical path plus the deletion vector's unique id. Paths in the log are URIs, so the same
// file can be spelled `file:/x`, `file:///x`, `/x` or with percent-escapes.
import type { DeletionVectorDescriptor } from '../actions/types.js';

/** Canonical form of a log path: percent-decoded, with local-file scheme prefixes folded. */
export function canonicalizePath(path: string): string {
  // Fast path: most paths are plain relative names and this runs once per action.
  if (path.indexOf('%') < 0 && path.indexOf(':') < 0) return path;
  let p = path;
  if (p.indexOf('%') >= 0) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // A stray '%' that is not an escape: keep the raw spelling, it is still a stable key.
    }
  }
  if (p.startsWith('file:')) {
    let rest = p.slice(5);
    if (rest.startsWith('///')) rest = rest.slice(2);
    else if (rest.startsWith('//localhost/')) rest = rest.slice(11);
    p = rest;
  }
  return p;
}

/** The deletion vector's unique id: storage type + path/inline data (+ offset). */
export function dvUniqueId(dv: DeletionVectorDescriptor): string {
  return dv.offset === undefined || dv.offset === null
    ? `${dv.storageType}${dv.pathOrInlineDv}`
    : `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset}`;
}

/** Reconciliation key of an add or remove. */
export function fileActionKey(action: {
  readonly path: string;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}): string {
  const p = canonicalizePath(action.path);
  const dv = action.deletionVector;
  return dv === undefined || dv === null ? p : `${p}\u0000${dvUniqueId(dv)}`;
}

/**
 * Where a data / DV / sidecar file lives, from its log path: log paths are URI-encoded, so one
 * decode gives the on-disk name (`a%2521` -> file `a%21`). Relative results are relative to the
 * table root; absolute ones are local paths (`file:` folded) or other URIs left as they are.
 */
export function dataFilePath(logPath: string): string {
  return canonicalizePath(logPath);
}

/** True when a (decoded) log path is not relative to the table root. */
export const isAbsolutePath = (path: string): boolean =>
  path.startsWith('/') || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path);
