import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, isTempFileName, localRootOf } from './file-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loch fs %-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('FileStore roots', () => {
  it('normalizes plain, relative and file:// roots to one absolute root and URL', () => {
    const fromPath = new FileStore(dir);
    const fromUrl = new FileStore(pathToFileURL(dir).href);
    const fromRelative = new FileStore(relative(process.cwd(), dir));
    const withSlash = new FileStore(`${dir}/`);
    for (const s of [fromUrl, fromRelative, withSlash]) {
      expect(s.root).toBe(fromPath.root);
      expect(s.url).toBe(fromPath.url);
    }
    expect(fromPath.root).toBe(dir);
    // The URL is a real URL: the space and '%' in the directory name are escaped.
    expect(fromPath.url).toMatch(/^file:\/\/\/.*loch%20fs%20%25-/);
    expect(localRootOf('file:/tmp/x')).toBe('/tmp/x');
  });

  it('resolve gives the absolute local path of an object', () => {
    const store = new FileStore(dir);
    expect(store.resolve('a=1/part 0.parquet')).toBe(join(dir, 'a=1', 'part 0.parquet'));
    expect(() => store.resolve('../escape')).toThrow(/'\.\.'/);
  });

  it('rejects a malformed file URL with INVALID_PATH', () => {
    expect(() => new FileStore('file://remote-host/x')).toThrow(
      expect.objectContaining({ code: 'INVALID_PATH' }),
    );
  });
});

describe('FileStore on disk', () => {
  it('creates parent directories and leaves no temp files after put and putIfAbsent', async () => {
    const store = new FileStore(dir);
    await store.put('a/b/c.bin', new Uint8Array([1, 2, 3]));
    await store.putIfAbsent('a/b/d.bin', new Uint8Array([4]));
    await store.putIfAbsent('a/b/d.bin', new Uint8Array([5]));
    expect((await readdir(join(dir, 'a', 'b'))).sort()).toEqual(['c.bin', 'd.bin']);
  });

  it('writes objects whose names are near the filesystem limit', async () => {
    const store = new FileStore(dir);
    const long = `${'x'.repeat(250)}.json`;
    expect(await store.putIfAbsent(long, new Uint8Array([1]))).toEqual({ kind: 'written' });
    await store.put(long, new Uint8Array([2]));
    expect(await store.get(long)).toEqual(new Uint8Array([2]));
  });

  it('names temp files so they are hidden and never look like log entries', () => {
    expect(isTempFileName('.00000000000000000001.json.3f2a1b4c5d6e.tmp')).toBe(true);
    expect(isTempFileName('00000000000000000001.json')).toBe(false);
    expect(isTempFileName('.part-0.parquet.crc')).toBe(false);
  });

  it('lists files reached through a symlinked directory and skips empty directories', async () => {
    await mkdir(join(dir, 'real', 'empty'), { recursive: true });
    await writeFile(join(dir, 'real', 'f.txt'), 'x');
    await symlink(join(dir, 'real'), join(dir, 'link'));
    const store = new FileStore(dir);
    expect((await store.list('')).map((m) => m.path)).toEqual(['link/f.txt', 'real/f.txt']);
    expect((await store.list('link/')).map((m) => m.path)).toEqual(['link/f.txt']);
  });

  it('a directory is not an object: head is undefined and get is NOT_FOUND', async () => {
    await mkdir(join(dir, 'sub'));
    const store = new FileStore(dir);
    expect(await store.head('sub')).toBeUndefined();
    await expect(store.get('sub')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a root that does not exist lists nothing and is created by the first put', async () => {
    const store = new FileStore(join(dir, 'later', 'table'));
    expect(await store.list('')).toEqual([]);
    await store.put('_delta_log/00000000000000000000.json', new Uint8Array([123, 125]));
    expect((await store.list('_delta_log/')).map((m) => m.path)).toEqual([
      '_delta_log/00000000000000000000.json',
    ]);
  });

  it('reads the fixture table with escaped partition directories', async () => {
    const root = '/work/shared/delta-fixtures/tables/data-reader-escaped-chars/delta';
    const store = new FileStore(root);
    const paths = (await store.list('')).map((m) => m.path).filter((p) => p.endsWith('.parquet'));
    expect(paths).toContain(
      '_2=bar+%2522/part-00000-c1bfd944-5e0d-4133-af16-7851061e37aa.c000.snappy.parquet',
    );
  });
});
