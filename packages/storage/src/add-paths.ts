// Delta's `add.path` (and remove/cdc paths) is a URI: a relative reference percent-encoded the
// way Hadoop's Path.toUri does it (RFC 2396), or an absolute URI such as file:///data/t/x.parquet.
// Everything the store API takes is a *decoded* table-relative path; these helpers convert.

import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageError } from './errors.js';

// RFC 2396 path characters that stay literal: unreserved (alphanum and -_.!~*'()), the
// path-segment extras ;:@&=+$, and the '/' separator. Hadoop writes exactly these unescaped.
const LITERAL = /[A-Za-z0-9\-_.!~*'();:@&=+$,/]/;

const encoder = new TextEncoder();

/**
 * Encodes a table-relative path for `add.path`: `a b/%.parquet` -> `a%20b/%25.parquet`.
 * Non-ASCII characters become UTF-8 %XX (Hadoop leaves them raw; both decode the same). A ':'
 * in the first segment is escaped too, so the reference can never parse as `scheme:`.
 */
export function encodeRelativePath(relativePath: string): string {
  let out = '';
  let firstSegment = true;
  for (const ch of relativePath) {
    if (ch === '/') firstSegment = false;
    if (LITERAL.test(ch) && !(firstSegment && ch === ':')) {
      out += ch;
      continue;
    }
    for (const byte of encoder.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes %XX escapes (as UTF-8); '+' stays '+', as in any URI path. */
export function decodeUriPath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch (e) {
    throw new StorageError(
      'INVALID_PATH',
      `path '${encoded}' has a malformed percent escape; a literal '%' must be written as %25`,
      { path: encoded, cause: e },
    );
  }
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\//;

/** True when an `add.path` is an absolute URI (`file:/x`, `s3://b/k`) or an absolute path (`/x`). */
export const isAbsoluteAddPath = (addPath: string): boolean =>
  addPath.startsWith('/') || SCHEME.test(addPath);

const isFileUrl = (url: string): boolean => url.startsWith('file:');

const trimSlash = (s: string): string => (s.endsWith('/') ? s.slice(0, -1) : s);

/**
 * Where an `add.path` points, as something the query engine can open: an absolute local path
 * for local tables and `file:` URIs, otherwise `<url>/<decoded key>` (memory://, s3://).
 */
export function decodeAddPath(tableRootUrl: string, addPath: string): string {
  if (addPath === '') throw new StorageError('INVALID_PATH', 'add.path is empty', { path: addPath });
  if (addPath.startsWith('/')) return decodeUriPath(addPath);
  if (SCHEME.test(addPath)) {
    if (!isFileUrl(addPath)) return decodeUriPath(addPath);
    try {
      return fileURLToPath(new URL(addPath));
    } catch (e) {
      throw new StorageError('INVALID_PATH', `add.path '${addPath}' is not a valid file URI`, {
        path: addPath,
        cause: e,
      });
    }
  }
  const relative = decodeUriPath(addPath);
  if (isFileUrl(tableRootUrl))
    return nodePath.join(fileURLToPath(new URL(tableRootUrl)), ...relative.split('/'));
  if (!SCHEME.test(tableRootUrl))
    return nodePath.join(nodePath.resolve(tableRootUrl), ...relative.split('/'));
  return `${trimSlash(tableRootUrl)}/${relative}`;
}

/**
 * The decoded table-relative path of an `add.path`, for store calls: relative paths always,
 * absolute ones when they lie under the table root; `undefined` for files elsewhere.
 */
export function addPathToRelative(tableRootUrl: string, addPath: string): string | undefined {
  if (!isAbsoluteAddPath(addPath)) return decodeUriPath(addPath);
  const target = decodeAddPath(tableRootUrl, addPath);
  const root = rootLocation(tableRootUrl);
  const sep = root.includes('://') && !isFileUrl(tableRootUrl) ? '/' : nodePath.sep;
  if (!target.startsWith(root + sep)) return undefined;
  const rest = target.slice(root.length + sep.length);
  return sep === '/' ? rest : rest.split(sep).join('/');
}

/** The table root in the same form `decodeAddPath` returns locations in. */
export function rootLocation(tableRootUrl: string): string {
  if (isFileUrl(tableRootUrl)) return trimSep(fileURLToPath(new URL(tableRootUrl)));
  if (!SCHEME.test(tableRootUrl)) return trimSep(nodePath.resolve(tableRootUrl));
  return trimSlash(decodeUriPath(tableRootUrl));
}

const trimSep = (p: string): string => (p.length > 1 && p.endsWith(nodePath.sep) ? p.slice(0, -1) : p);
