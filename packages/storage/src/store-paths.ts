// Validation and ordering rules shared by every store, so FileStore and MemoryStore agree on
// which keys exist and in which order they list.

import { StorageError } from './errors.js';

/**
 * Checks an object path: relative, '/'-separated, no empty, '.' or '..' segments. Rejecting
 * these keeps a key from escaping the store root and keeps one object from having two names.
 */
export function checkObjectPath(path: string): string {
  if (path.length === 0) throw new StorageError('INVALID_PATH', 'object path is empty', { path });
  if (path.startsWith('/')) {
    throw new StorageError('INVALID_PATH', `object path '${path}' must be relative to the store root`, {
      path,
    });
  }
  if (path.includes('\0')) {
    throw new StorageError('INVALID_PATH', `object path '${path}' contains a NUL character`, { path });
  }
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new StorageError(
        'INVALID_PATH',
        `object path '${path}' has an empty, '.' or '..' segment; use a normalized relative path`,
        { path },
      );
    }
  }
  return path;
}

/** A list prefix is a plain string prefix: '' (everything), 'dir/' or 'dir/name-start'. */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  checkObjectPath(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}

export function checkRange(path: string, range: { offset: number; length: number }): void {
  const { offset, length } = range;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new StorageError(
      'INVALID_RANGE',
      `byte range {offset: ${offset}, length: ${length}} for '${path}' must be non-negative integers`,
      { path },
    );
  }
}

const encoder = new TextEncoder();

/**
 * Compares two strings by their UTF-8 bytes. JS `<` compares UTF-16 code units, which disagrees
 * with byte order for characters above U+FFFF against U+E000..U+FFFF; Delta listing needs bytes.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  // Only surrogates break code-unit order; everything else can be decided right here.
  const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
  if (!surrogate(ca) && !surrogate(cb)) return ca - cb;
  // Back up to the start of a pair whose low halves differ, then compare whole code points.
  const low = (c: number) => c >= 0xdc00 && c <= 0xdfff;
  const start = i > 0 && (low(ca) || low(cb)) && surrogate(a.charCodeAt(i - 1)) ? i - 1 : i;
  const ba = encoder.encode(String.fromCodePoint(a.codePointAt(start)!));
  const bb = encoder.encode(String.fromCodePoint(b.codePointAt(start)!));
  const m = Math.min(ba.length, bb.length);
  for (let j = 0; j < m; j++) if (ba[j] !== bb[j]) return ba[j]! - bb[j]!;
  // Lone surrogates all encode to U+FFFD; fall back to code units so the order stays total.
  return ba.length - bb.length || ca - cb;
}

export const byPath = (a: { path: string }, b: { path: string }): number => compareUtf8(a.path, b.path);
