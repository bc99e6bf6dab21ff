import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addPathToRelative,
  decodeAddPath,
  decodeUriPath,
  encodeRelativePath,
  isAbsoluteAddPath,
} from './add-paths.js';

const fixtures = '/work/shared/delta-fixtures/tables';

/** Every add/remove path in a fixture table's JSON log. */
function logPaths(table: string): string[] {
  const log = join(fixtures, table, 'delta', '_delta_log');
  const out: string[] = [];
  for (const f of readdirSync(log).filter((n) => n.endsWith('.json'))) {
    for (const line of readFileSync(join(log, f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const action = JSON.parse(line) as Record<string, { path?: string } | undefined>;
      const path = action['add']?.path ?? action['remove']?.path;
      if (path !== undefined) out.push(path);
    }
  }
  return out;
}

describe('encodeRelativePath / decodeUriPath', () => {
  it.each([
    ['a b/c.parquet', 'a%20b/c.parquet'],
    ['_2=bar+%2522/part-0.parquet', '_2=bar+%252522/part-0.parquet'],
    ['special p@#h', 'special%20p@%23h'],
    ['ts=2021-01-01 00%3A00%3A00/x', 'ts=2021-01-01%2000%253A00%253A00/x'],
    ['d=ü/x?', 'd=%C3%BC/x%3F'],
    ['a:b/c:d', 'a%3Ab/c:d'],
  ])('%j <-> %j', (raw, encoded) => {
    expect(encodeRelativePath(raw)).toBe(encoded);
    expect(decodeUriPath(encoded)).toBe(raw);
  });

  it('decodes Hadoop-style raw non-ASCII and keeps + literal', () => {
    expect(decodeUriPath('d=ü/a+b')).toBe('d=ü/a+b');
  });

  it('rejects a malformed escape naming the path', () => {
    expect(() => decodeUriPath('bad%zz')).toThrow(/'bad%zz'.*%25/);
  });
});

describe('decodeAddPath', () => {
  const root = 'file:///data/my%20table';

  it('joins relative paths to the table root, decoded', () => {
    expect(decodeAddPath(root, 'p=a%20b/x.parquet')).toBe('/data/my table/p=a b/x.parquet');
    expect(decodeAddPath('/data/t', 'x%25y.parquet')).toBe('/data/t/x%y.parquet');
    expect(decodeAddPath('memory://t', 'a%20b')).toBe('memory://t/a b');
  });

  it('keeps absolute URIs and paths where they point', () => {
    expect(decodeAddPath(root, 'file:/some/unqualified/with%20space/p@%23h')).toBe(
      '/some/unqualified/with space/p@#h',
    );
    expect(decodeAddPath(root, 'file:///x/y%20z')).toBe('/x/y z');
    expect(decodeAddPath(root, '/some/unqualified/absolute/path')).toBe('/some/unqualified/absolute/path');
    expect(decodeAddPath(root, 's3://bucket/k%20ey')).toBe('s3://bucket/k ey');
    expect(isAbsoluteAddPath('p=1:2/x')).toBe(false);
  });

  it('maps absolute paths under the root back to table-relative ones', () => {
    expect(addPathToRelative(root, 'file:///data/my%20table/p=1/x.parquet')).toBe('p=1/x.parquet');
    expect(addPathToRelative(root, '/data/my%20table/x.parquet')).toBe('x.parquet');
    expect(addPathToRelative(root, 'file:///elsewhere/x.parquet')).toBeUndefined();
    expect(addPathToRelative(root, '/data/my%20tablex/x.parquet')).toBeUndefined();
    expect(addPathToRelative(root, 'a%20b')).toBe('a b');
    expect(addPathToRelative('memory://t', 'memory://t/a%20b/c')).toBe('a b/c');
  });

  it.each([
    'data-reader-escaped-chars',
    'data-reader-partition-values',
  ])('every add.path in %s decodes to a file that exists and re-encodes identically', (table) => {
    const rootDir = join(fixtures, table, 'delta');
    const paths = logPaths(table);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      expect(existsSync(decodeAddPath(pathToFileURL(rootDir).href, p)), p).toBe(true);
      expect(encodeRelativePath(addPathToRelative(rootDir, p)!)).toBe(p);
    }
  });

  it('decodes the special-character log paths of the replay fixtures', () => {
    for (const table of ['log-replay-special-characters', 'log-replay-special-characters-a']) {
      for (const p of logPaths(table)) expect(decodeAddPath('/t', p)).toBe('/t/special p@#h');
    }
  });
});
