import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isStorageError } from './errors.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import { openStore, schemeOf } from './open-store.js';

describe('openStore', () => {
  it('chooses the store by scheme', async () => {
    expect(await openStore('memory://open-test')).toBeInstanceOf(MemoryStore);
    expect(await openStore(`file://${tmpdir()}`)).toBeInstanceOf(FileStore);
    expect(await openStore(tmpdir())).toBeInstanceOf(FileStore);
    expect(await openStore('relative/dir')).toBeInstanceOf(FileStore);
  });

  it('memory handles opened by URL share objects', async () => {
    const a = await openStore('memory://shared-by-name');
    const b = await openStore('memory://shared-by-name/');
    await a.put('k', new Uint8Array([1]));
    expect(await b.get('k')).toEqual(new Uint8Array([1]));
    MemoryStore.drop('memory://shared-by-name');
    expect(await b.list('')).toEqual([]);
  });

  it('fails on an unknown scheme with an error that names it', async () => {
    const err = await openStore('s3://bucket/table').catch((e: unknown) => e);
    expect(isStorageError(err, 'UNSUPPORTED_SCHEME')).toBe(true);
    expect((err as Error).message).toContain("'s3:'");
    expect((err as Error).message).toContain('s3://bucket/table');
  });

  it('reads a Windows drive letter as a path, not a scheme', () => {
    expect(schemeOf('C:\\data')).toBeUndefined();
    expect(schemeOf('S3://x')).toBe('s3:');
  });

  it('a memory URL needs a name', async () => {
    await expect(openStore('memory://')).rejects.toMatchObject({ code: 'INVALID_PATH' });
  });
});
