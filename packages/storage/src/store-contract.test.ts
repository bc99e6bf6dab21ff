// One suite, run against every ObjectStore implementation: the Delta commit and listing rules
// must hold the same way on disk and in memory.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStorageError } from './errors.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import type { ObjectStore } from './types.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Harness {
  readonly name: string;
  open(): Promise<{ store: ObjectStore; reopen: () => ObjectStore; cleanup: () => Promise<void> }>;
}

let memoryCounter = 0;
const harnesses: Harness[] = [
  {
    name: 'FileStore',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'loch-store-'));
      return {
        store: new FileStore(dir),
        reopen: () => new FileStore(`file://${dir}`),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'MemoryStore',
    async open() {
      const url = `memory://contract-${process.pid}-${++memoryCounter}`;
      return {
        store: new MemoryStore(url),
        reopen: () => new MemoryStore(url),
        cleanup: async () => MemoryStore.drop(url),
      };
    },
  },
];

describe.each(harnesses)('ObjectStore contract: $name', (harness) => {
  let store: ObjectStore;
  let reopen: () => ObjectStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, reopen, cleanup } = await harness.open());
  });
  afterEach(async () => cleanup());

  it('puts, gets and heads an object', async () => {
    await store.put('a/b/c.json', bytes('hello'));
    expect(text(await store.get('a/b/c.json'))).toBe('hello');
    const meta = await store.head('a/b/c.json');
    expect(meta).toMatchObject({ path: 'a/b/c.json', size: 5 });
    expect(meta!.lastModified).toBeGreaterThan(0);
    expect(await store.head('a/b/missing.json')).toBeUndefined();
  });

  it('put replaces an existing object', async () => {
    await store.put('x.json', bytes('one'));
    await store.put('x.json', bytes('two!'));
    expect(text(await store.get('x.json'))).toBe('two!');
    expect((await store.list('')).map((m) => m.path)).toEqual(['x.json']);
  });

  it('does not keep a reference to the caller buffer', async () => {
    const data = bytes('abc');
    await store.put('k', data);
    data[0] = 0x7a;
    expect(text(await store.get('k'))).toBe('abc');
  });

  it('gets a byte range, and a short read past the end', async () => {
    await store.put('r.bin', bytes('0123456789'));
    expect(text(await store.get('r.bin', { offset: 2, length: 3 }))).toBe('234');
    expect(text(await store.get('r.bin', { offset: 8, length: 5 }))).toBe('89');
    expect((await store.get('r.bin', { offset: 0, length: 0 })).byteLength).toBe(0);
    await expect(store.get('r.bin', { offset: -1, length: 2 })).rejects.toMatchObject({
      code: 'INVALID_RANGE',
    });
  });

  it('get of a missing object fails with NOT_FOUND naming the path', async () => {
    const err = await store.get('nope/missing.json').catch((e: unknown) => e);
    expect(isStorageError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).toContain('nope/missing.json');
    await expect(store.get('nope/missing.json', { offset: 0, length: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lists recursively, by string prefix, sorted by UTF-8 bytes', async () => {
    // U+FF5E sorts before U+1F600 in UTF-8 but after it in UTF-16 code units.
    const paths = [
      '_delta_log/00000000000000000010.json',
      '_delta_log/00000000000000000002.json',
      '_delta_log/00000000000000000002.checkpoint.parquet',
      '_delta_log/_last_checkpoint',
      'p=1/part-0.parquet',
      'p=1/deep/er/x.parquet',
      'p=\u{1F600}/a.parquet',
      'p=\uFF5E/a.parquet',
      'p=Z/a.parquet',
      'top.parquet',
    ];
    for (const p of paths) await store.put(p, bytes(p));
    const all = (await store.list('')).map((m) => m.path);
    expect(all).toEqual([
      '_delta_log/00000000000000000002.checkpoint.parquet',
      '_delta_log/00000000000000000002.json',
      '_delta_log/00000000000000000010.json',
      '_delta_log/_last_checkpoint',
      'p=1/deep/er/x.parquet',
      'p=1/part-0.parquet',
      'p=Z/a.parquet',
      'p=\uFF5E/a.parquet',
      'p=\u{1F600}/a.parquet',
      'top.parquet',
    ]);
    expect((await store.list('_delta_log/0000000000000000000')).map((m) => m.path)).toEqual([
      '_delta_log/00000000000000000002.checkpoint.parquet',
      '_delta_log/00000000000000000002.json',
    ]);
    expect((await store.list('p=1/')).map((m) => m.path)).toEqual([
      'p=1/deep/er/x.parquet',
      'p=1/part-0.parquet',
    ]);
    expect((await store.list('p=')).length).toBe(5);
    expect(await store.list('nothing/here/')).toEqual([]);
    const sizes = await store.list('top');
    expect(sizes).toEqual([expect.objectContaining({ path: 'top.parquet', size: 'top.parquet'.length })]);
  });

  it('listFrom returns only paths after startAfter within the prefix', async () => {
    for (const v of [0, 1, 2, 3])
      await store.put(`_delta_log/${String(v).padStart(20, '0')}.json`, bytes('{}'));
    await store.put('other/x', bytes(''));
    const after = await store.listFrom!('_delta_log/', `_delta_log/${'1'.padStart(20, '0')}.json`);
    expect(after.map((m) => m.path)).toEqual([
      `_delta_log/${'2'.padStart(20, '0')}.json`,
      `_delta_log/${'3'.padStart(20, '0')}.json`,
    ]);
  });

  it('putIfAbsent writes once and then reports exists without overwriting', async () => {
    expect(await store.putIfAbsent('_delta_log/0.json', bytes('first'))).toEqual({ kind: 'written' });
    expect(await store.putIfAbsent('_delta_log/0.json', bytes('second'))).toEqual({ kind: 'exists' });
    expect(text(await store.get('_delta_log/0.json'))).toBe('first');
    expect((await store.list('')).map((m) => m.path)).toEqual(['_delta_log/0.json']);
  });

  it('20 concurrent putIfAbsent on one path: exactly one is written, and its bytes win', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.putIfAbsent('_delta_log/00000000000000000001.json', bytes(`w${i}`)),
      ),
    );
    const winners = outcomes.flatMap((o, i) => (o.kind === 'written' ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'exists')).toHaveLength(19);
    expect(text(await store.get('_delta_log/00000000000000000001.json'))).toBe(`w${winners[0]}`);
    // No temp files are left behind by the losers.
    expect((await store.list('')).map((m) => m.path)).toEqual(['_delta_log/00000000000000000001.json']);
  });

  it('concurrent putIfAbsent through two handles of the same store also has one winner', async () => {
    const other = reopen();
    expect(other.url).toBe(store.url);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).putIfAbsent('c.json', bytes(String(i)))),
    );
    expect(outcomes.filter((o) => o.kind === 'written')).toHaveLength(1);
    expect(text(await other.get('c.json'))).toBe(text(await store.get('c.json')));
  });

  it('delete removes an object and ignores a missing one', async () => {
    await store.put('d/x', bytes('1'));
    await store.delete('d/x');
    await store.delete('d/x');
    await store.delete('never/was');
    expect(await store.head('d/x')).toBeUndefined();
    expect(await store.list('d/')).toEqual([]);
  });

  it('keeps names with %, spaces, = and : exactly', async () => {
    const odd = ['_2=bar+%2522/part 0.parquet', 'ts=2021-01-01 00%3A00%3A00/a.parquet', 'x:y=1/b.parquet'];
    for (const p of odd) await store.put(p, bytes(p));
    expect((await store.list('')).map((m) => m.path)).toEqual([...odd].sort());
    for (const p of odd) expect(text(await store.get(p))).toBe(p);
  });

  it.each(['', '/abs', 'a//b', 'a/../b', './a', 'a/.'])('rejects the non-normalized path %j', async (bad) => {
    await expect(store.get(bad)).rejects.toMatchObject({ code: 'INVALID_PATH' });
    await expect(store.put(bad, bytes('x'))).rejects.toMatchObject({ code: 'INVALID_PATH' });
  });
});
