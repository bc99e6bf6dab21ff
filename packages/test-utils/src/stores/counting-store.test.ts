import { MemoryStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import { commitVersions, countingStore } from './counting-store.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('countingStore', () => {
  it('records every call in order and passes results through', async () => {
    const name = `counting-${Math.random().toString(36).slice(2)}`;
    const store = countingStore(new MemoryStore(name));
    try {
      expect(store.url).toBe(`memory://${name}`);
      expect(await store.putIfAbsent('_delta_log/00000000000000000000.json', bytes('{}'))).toEqual({
        kind: 'written',
      });
      expect(await store.putIfAbsent('_delta_log/00000000000000000000.json', bytes('{}'))).toEqual({
        kind: 'exists',
      });
      await store.put('a.txt', bytes('x'));
      expect(new TextDecoder().decode(await store.get('a.txt'))).toBe('x');
      expect((await store.list('_delta_log/')).map((m) => m.path)).toEqual([
        '_delta_log/00000000000000000000.json',
      ]);
      expect(await store.head('missing')).toBeUndefined();
      await store.delete('a.txt');
      expect(store.calls).toEqual([
        { method: 'putIfAbsent', path: '_delta_log/00000000000000000000.json' },
        { method: 'putIfAbsent', path: '_delta_log/00000000000000000000.json' },
        { method: 'put', path: 'a.txt' },
        { method: 'get', path: 'a.txt' },
        { method: 'list', path: '_delta_log/' },
        { method: 'head', path: 'missing' },
        { method: 'delete', path: 'a.txt' },
      ]);
      expect(store.gets()).toEqual(['a.txt']);
      store.reset();
      expect(store.calls).toEqual([]);
    } finally {
      MemoryStore.drop(name);
    }
  });

  it('offers listFrom only when the wrapped store has it', () => {
    const plain = new MemoryStore('counting-listfrom');
    const wrapped = countingStore(plain);
    expect(wrapped.listFrom === undefined).toBe(plain.listFrom === undefined);
    MemoryStore.drop('counting-listfrom');
  });
});

describe('commitVersions', () => {
  it('picks JSON commit files only', () => {
    expect(
      commitVersions([
        '_delta_log/00000000000000000012.json',
        '_delta_log/00000000000000000010.checkpoint.parquet',
        '_delta_log/_last_checkpoint',
        '_delta_log/00000000000000000003.00000000000000000005.compacted.json',
        'x/_delta_log/00000000000000000001.json',
      ]),
    ).toEqual([12, 1]);
  });
});
