// Log cleanup behind checkpoints (fixed clock + fs.utimes) and log compaction files (written on
// the interval, read back to the same snapshot with fewer reads).
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import {
  type Action,
  compactActions,
  loadSnapshot,
  type ObjectMeta,
  type ObjectStore,
  planLogCleanup,
} from '@loch/delta';
import { openStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import { writeLogCompaction } from './log-compaction.js';
import { TableHandle } from './table-handle.js';
import { expectDeltaError, plain, tableAt, useTableFixture } from './test-helpers.test-util.js';
import type { TableContext } from './types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 31);
const pad = (v: number): string => String(v).padStart(20, '0');

const fx = useTableFixture({ now: () => clock });

// The table is written "60 days ago" (its createdTime too, which cleanup uses to skip young
// tables); the files are then aged by hand and the clock set back to NOW for the cleanup.
let clock = NOW;
async function appends(n: number, properties: Record<string, string>): Promise<void> {
  clock = NOW - 60 * DAY;
  try {
    for (let i = 0; i < n; i++) {
      await fx.table.write(`SELECT ${i} AS id`, { mode: 'append', properties });
    }
  } finally {
    clock = NOW;
  }
}

const logNames = async (): Promise<string[]> =>
  (await fs.readdir(nodePath.join(fx.dir, '_delta_log'))).sort();

/** Dates every log file of versions <= upTo `daysAgo` days before NOW. */
async function age(upTo: number, daysAgo: number): Promise<void> {
  const when = new Date(NOW - daysAgo * DAY);
  for (const name of await logNames()) {
    const v = Number(name.slice(0, 20));
    if (/^\d{20}\./u.test(name) && v <= upTo)
      await fs.utimes(nodePath.join(fx.dir, '_delta_log', name), when, when);
  }
}

const meta = (path: string, lastModified: number): ObjectMeta => ({
  path: `_delta_log/${path}`,
  size: 1,
  lastModified,
});

describe('planLogCleanup', () => {
  it('deletes below the newest expired complete checkpoint only', () => {
    const listing = [
      meta(`${pad(0)}.json`, 10),
      meta(`${pad(1)}.json`, 20),
      meta(`${pad(2)}.checkpoint.parquet`, 30),
      meta(`${pad(2)}.json`, 30),
      meta(`${pad(0)}.${pad(1)}.compacted.json`, 30),
      meta(`${pad(3)}.json`, 40),
      meta(`${pad(4)}.checkpoint.0000000001.0000000002.parquet`, 50),
      meta(`${pad(4)}.json`, 50),
      meta(`${pad(5)}.json`, 60),
      meta('_last_checkpoint', 50),
    ];
    // Cutoff 45: checkpoint 2 is expired; 4 is incomplete (1 of 2 parts) and not expired anyway.
    expect(planLogCleanup(listing, 45)).toEqual({
      keepFrom: 2,
      delete: [
        `_delta_log/${pad(0)}.json`,
        `_delta_log/${pad(1)}.json`,
        `_delta_log/${pad(0)}.${pad(1)}.compacted.json`,
      ].sort(),
    });
    expect(planLogCleanup(listing, 25)).toEqual({ keepFrom: undefined, delete: [] });
    // An incomplete multipart checkpoint never anchors the cleanup.
    expect(planLogCleanup(listing, 1000).keepFrom).toBe(2);
  });

  it('makes commit times monotonic, so a commit copied later does not anchor too early', () => {
    const listing = [
      meta(`${pad(0)}.json`, 100),
      meta(`${pad(1)}.checkpoint.parquet`, 5),
      meta(`${pad(1)}.json`, 5),
      meta(`${pad(2)}.json`, 200),
    ];
    // Commit 1's own time is 5, but it cannot be older than commit 0 (100): not expired at 50.
    expect(planLogCleanup(listing, 50).delete).toEqual([]);
    expect(planLogCleanup(listing, 101).delete).toEqual([`_delta_log/${pad(0)}.json`]);
  });
});

describe('expired log cleanup after a checkpoint', () => {
  it('deletes expired commits behind an expired checkpoint; versions from it on stay readable', async () => {
    await appends(7, { 'delta.checkpointInterval': '3' });
    expect(await logNames()).toContain(`${pad(3)}.checkpoint.parquet`);
    await age(4, 40);
    await fx.table.checkpoint();
    const names = await logNames();
    for (const v of [0, 1, 2]) expect(names).not.toContain(`${pad(v)}.json`);
    for (const v of [3, 4, 5, 6]) expect(names).toContain(`${pad(v)}.json`);
    expect(names).toContain(`${pad(3)}.checkpoint.parquet`);
    for (const v of [3, 4, 6]) {
      const rows = plain(await fx.table.toArray({ at: { version: v }, orderBy: ['id'] }));
      expect(rows).toHaveLength(v + 1);
    }
    const e = await expectDeltaError(fx.table.snapshot({ version: 2 }), 'VERSION_NOT_FOUND');
    expect(e.message).toContain('version 2');
    expect(e.message).toContain('delta.logRetentionDuration');
  });

  it('keeps everything when the retention has not passed or cleanup is off', async () => {
    await appends(7, { 'delta.checkpointInterval': '3', 'delta.logRetentionDuration': 'interval 60 days' });
    await age(4, 40);
    await fx.table.checkpoint();
    expect(await logNames()).toContain(`${pad(0)}.json`);
    await fx.table.alter({
      kind: 'setProperties',
      properties: {
        'delta.logRetentionDuration': 'interval 1 days',
        'delta.enableExpiredLogCleanup': 'false',
      },
    });
    await fx.table.checkpoint();
    expect(await logNames()).toContain(`${pad(0)}.json`);
  });
});

/** A store that counts `get`s of log JSON files. */
function counting(store: ObjectStore): { store: ObjectStore; gets: () => number } {
  let n = 0;
  const wrapped: ObjectStore = Object.create(store) as ObjectStore;
  Object.defineProperty(wrapped, 'get', {
    value: (path: string, range?: { offset: number; length: number }) => {
      if (path.endsWith('.json')) n++;
      return store.get(path, range);
    },
  });
  return { store: wrapped, gets: () => n };
}

describe('log compaction files', () => {
  it('reconciles: newest action per file wins, removes stay, commitInfo goes', () => {
    const add = (path: string): Action => ({
      kind: 'add',
      path,
      partitionValues: {},
      size: 1,
      modificationTime: 1,
      dataChange: true,
    });
    const rm = (path: string): Action => ({ kind: 'remove', path, dataChange: true, deletionTimestamp: 2 });
    const info: Action = { kind: 'commitInfo', value: { operation: 'WRITE' } };
    const out = compactActions([
      [info, add('a'), add('b')],
      [info, rm('a'), add('c')],
    ]);
    expect(out.map((a) => `${a.kind}:${'path' in a ? a.path : ''}`)).toEqual(['add:b', 'remove:a', 'add:c']);
  });

  it('are written every loch.logCompactionInterval commits and load to the same snapshot with fewer reads', async () => {
    await appends(9, { 'delta.checkpointInterval': '100', 'loch.logCompactionInterval': '4' });
    await fx.table.write('SELECT 100 AS id', { mode: 'overwrite' });
    const names = await logNames();
    expect(names).toContain(`${pad(0)}.${pad(3)}.compacted.json`);
    expect(names).toContain(`${pad(4)}.${pad(7)}.compacted.json`);
    const store = await openStore(fx.dir);
    const h = new TableHandle(fx.ctx, store);
    const withCompaction = counting(store);
    const a = await loadSnapshot(withCompaction.store, h.reader);
    // The same table with the compaction files removed.
    for (const n of names)
      if (n.endsWith('.compacted.json')) await fs.rm(nodePath.join(fx.dir, '_delta_log', n));
    const without = counting(store);
    const b = await loadSnapshot(without.store, h.reader);
    const strip = (s: typeof a) => ({
      version: s.version,
      files: s.files.map((f) => f.path).sort(),
      tombstones: s.tombstones.map((f) => f.path).sort(),
      metadata: s.metadata,
      protocol: s.protocol,
    });
    expect(strip(a)).toEqual(strip(b));
    expect(a.files).toHaveLength(1);
    console.log(`log compaction: ${without.gets()} JSON reads without, ${withCompaction.gets()} with`);
    expect(withCompaction.gets()).toBeLessThan(without.gets());
    // Explicitly, too, and time travel into a compacted range still reads the single commits.
    await writeLogCompaction(h, 2, 9);
    expect(plain(await fx.table.toArray({ at: { version: 5 } }))).toHaveLength(6);
    expect((await loadSnapshot(store, h.reader)).files).toHaveLength(1);
  });
});

describe('checkpoint cost', () => {
  it('is the live state, not the history: no log file is read to write one', async () => {
    const reads: string[] = [];
    const stores: TableContext['stores'] = async (url) => {
      const inner = await openStore(url);
      const counted = Object.create(inner) as ObjectStore;
      Object.assign(counted, {
        get: (path: string, ...rest: unknown[]) => {
          reads.push(path);
          return (inner.get as (...a: unknown[]) => unknown).call(inner, path, ...rest);
        },
      });
      return counted;
    };
    const writer = tableAt({ ...fx.ctx, stores }, fx.dir);
    for (let i = 0; i < 30; i++) {
      await writer.write(`SELECT ${i} AS id`, {
        mode: 'append',
        ...(i === 0 ? { properties: { 'delta.checkpointInterval': '5' } } : {}),
      });
      // Creating the table loads its first snapshot once; from then on the handle only refreshes.
      if (i === 1) reads.length = 0;
    }
    const names = await logNames();
    for (const v of [5, 10, 15, 20, 25]) expect(names).toContain(`${pad(v)}.checkpoint.parquet`);
    // Each checkpoint is the handle's snapshot (the previous state plus the new commits, kept in
    // memory), so its cost never includes re-reading older commits or checkpoints.
    expect(reads.filter((p) => p.startsWith('_delta_log/'))).toEqual([]);
    // A fresh reader starts from the newest checkpoint and reads only the commits after it.
    reads.length = 0;
    const fresh = tableAt({ ...fx.ctx, stores }, fx.dir);
    expect((await fresh.snapshot()).files).toHaveLength(30);
    expect(reads.filter((p) => p.endsWith('.json') && p.startsWith('_delta_log/0')).sort()).toEqual(
      [26, 27, 28, 29].map((v) => `_delta_log/${pad(v)}.json`),
    );
  });
});
