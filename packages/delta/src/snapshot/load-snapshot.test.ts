import { describe, expect, it } from 'vitest';
import { serializeActions } from '../actions/codec.js';
import type { Action, AddFile, Metadata, Protocol } from '../actions/types.js';
import type { ObjectMeta, ObjectStore, ParquetActionReader, PutOutcome } from '../contracts.js';
import { type DeltaErrorCode, isDeltaError } from '../errors.js';
import { commitPath, LAST_CHECKPOINT_PATH, v2CheckpointPath } from '../log/file-names.js';
import { latestVersion, loadSnapshot, updateSnapshot } from './load-snapshot.js';
import { readCommitInfos, versionAtTimestamp } from './timestamps.js';

/** In-memory ObjectStore that counts reads and listings. */
class MemoryStore implements ObjectStore {
  readonly url = 'memory://t';
  readonly files = new Map<string, { data: Uint8Array; lastModified: number }>();
  gets: string[] = [];
  lists = 0;
  async list(prefix: string): Promise<ObjectMeta[]> {
    this.lists++;
    return [...this.files.entries()]
      .filter(([p]) => p.startsWith(prefix))
      .map(([path, f]) => ({ path, size: f.data.length, lastModified: f.lastModified }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  async listFrom(prefix: string, startAfter: string): Promise<ObjectMeta[]> {
    return (await this.list(prefix)).filter((m) => m.path > startAfter);
  }
  async head(path: string): Promise<ObjectMeta | undefined> {
    const f = this.files.get(path);
    return f && { path, size: f.data.length, lastModified: f.lastModified };
  }
  async get(path: string): Promise<Uint8Array> {
    this.gets.push(path);
    const f = this.files.get(path);
    if (f === undefined) throw Object.assign(new Error(`not found: ${path}`), { code: 'NOT_FOUND' });
    return f.data;
  }
  async put(path: string, data: Uint8Array, lastModified = 0): Promise<void> {
    this.files.set(path, { data, lastModified });
  }
  async putIfAbsent(path: string, data: Uint8Array): Promise<PutOutcome> {
    if (this.files.has(path)) return { kind: 'exists' };
    await this.put(path, data);
    return { kind: 'written' };
  }
  async delete(path: string): Promise<void> {
    this.files.delete(path);
  }
  resolve(path: string): string {
    return `memory://t/${path}`;
  }
  putText(path: string, text: string, lastModified: number): void {
    this.files.set(path, { data: new TextEncoder().encode(text), lastModified });
  }
}

/** Parquet reader over rows kept in memory: enough to drive sidecar reads. */
class RowsReader implements ParquetActionReader {
  readonly rows = new Map<string, Record<string, unknown>[]>();
  reads: string[] = [];
  async readActions(path: string): Promise<Record<string, unknown>[]> {
    this.reads.push(path);
    const r = this.rows.get(path);
    if (r === undefined) throw new Error(`no parquet at ${path}`);
    return structuredClone(r);
  }
}

const protocol: Protocol = { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 2 };
const metadata = (configuration: Record<string, string> = {}): Metadata => ({
  kind: 'metaData',
  id: 't',
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
  partitionColumns: [],
  configuration,
});
const add = (path: string): AddFile => ({
  kind: 'add',
  path,
  partitionValues: {},
  size: 1,
  modificationTime: 0,
  dataChange: true,
});
const info = (extra: Record<string, unknown> = {}): Action => ({
  kind: 'commitInfo',
  value: { operation: 'WRITE', ...extra },
});

/** A table whose commit v adds file `f<v>` at time 1000*(v+1). */
function table(commits: number, configuration: Record<string, string> = {}): MemoryStore {
  const store = new MemoryStore();
  for (let v = 0; v < commits; v++) {
    const actions: Action[] =
      v === 0 ? [info(), protocol, metadata(configuration), add('f0')] : [info(), add(`f${v}`)];
    store.putText(commitPath(v), serializeActions(actions), 1000 * (v + 1));
  }
  return store;
}

/** Writes a v2 JSON checkpoint at `version` for a `table()` store. */
function v2Checkpoint(
  store: MemoryStore,
  version: number,
  configuration: Record<string, string> = {},
): string {
  const actions: Action[] = [{ kind: 'checkpointMetadata', version }, protocol, metadata(configuration)];
  for (let v = 0; v <= version; v++) actions.push(add(`f${v}`));
  const path = v2CheckpointPath(version, '3a0d65cd-4056-49b8-937b-95f9e3ee90e5', 'json');
  store.putText(path, serializeActions(actions), 1000 * (version + 1) + 1);
  return path;
}

const codeOf = async (p: Promise<unknown>): Promise<DeltaErrorCode | undefined> => {
  try {
    await p;
  } catch (e) {
    if (isDeltaError(e)) return e.code;
    throw e;
  }
  return undefined;
};

const reader = new RowsReader();

describe('loadSnapshot', () => {
  it('loads the latest version and any earlier one', async () => {
    const store = table(5);
    const s = await loadSnapshot(store, reader);
    expect(s.version).toBe(4);
    expect(s.files.map((f) => f.path)).toEqual(['f4', 'f3', 'f2', 'f1', 'f0']);
    expect(s.timestamp).toBe(5000);
    expect((await loadSnapshot(store, reader, { version: 2 })).files).toHaveLength(3);
    expect(await latestVersion(store)).toBe(4);
  });

  it('after a checkpoint reads the hint, one checkpoint and the newer commits only', async () => {
    const store = table(12);
    const cp = v2Checkpoint(store, 9);
    store.putText(LAST_CHECKPOINT_PATH, '{"version":9,"size":12}', 0);
    store.gets = [];
    const s = await loadSnapshot(store, reader);
    expect(s.files).toHaveLength(12);
    expect(s.logSegment.checkpoint?.paths).toEqual([cp]);
    expect(store.gets.sort()).toEqual([LAST_CHECKPOINT_PATH, cp, commitPath(10), commitPath(11)].sort());
  });

  it('ignores a stale, corrupt or missing _last_checkpoint', async () => {
    for (const hint of ['{"version":3,"size":1}', '', '{"version":', '{"version":99,"size":1}', undefined]) {
      const store = table(12);
      const cp = v2Checkpoint(store, 9);
      if (hint !== undefined) store.putText(LAST_CHECKPOINT_PATH, hint, 0);
      const s = await loadSnapshot(store, reader);
      expect(s.version).toBe(11);
      expect(s.files).toHaveLength(12);
      expect(s.logSegment.checkpoint?.paths).toEqual([cp]);
    }
  });

  it('reads sidecars named by a v2 checkpoint', async () => {
    const store = table(3);
    const sidecar =
      '00000000000000000002.checkpoint.0000000001.0000000001.9d6b2e3f-5a1c-4c1e-9f0e-1f2a3b4c5d6e.parquet';
    const path = v2CheckpointPath(2, '3a0d65cd-4056-49b8-937b-95f9e3ee90e5', 'json');
    store.putText(
      path,
      serializeActions([
        { kind: 'checkpointMetadata', version: 2 },
        { kind: 'sidecar', path: sidecar, sizeInBytes: 1, modificationTime: 1 },
        protocol,
        metadata(),
      ]),
      3001,
    );
    const sidecarReader = new RowsReader();
    sidecarReader.rows.set(`memory://t/_delta_log/_sidecars/${sidecar}`, [
      { add: { path: 'f0', partitionValues: {}, size: 1, modificationTime: 0, dataChange: false } },
      {
        add: {
          path: 'f1',
          partitionValues: {},
          size: 1,
          modificationTime: 0,
          dataChange: false,
          stats_parsed: { numRecords: 2 },
        },
      },
    ]);
    const s = await loadSnapshot(store, sidecarReader);
    expect(s.files.map((f) => f.path).sort()).toEqual(['f0', 'f1']);
    expect(s.files.find((f) => f.path === 'f1')?.statsParsed).toEqual({ numRecords: 2 });
  });

  it('fails with stable codes for a missing table, version or commit', async () => {
    expect(await codeOf(loadSnapshot(new MemoryStore(), reader))).toBe('TABLE_NOT_FOUND');
    expect(await codeOf(loadSnapshot(table(2), reader, { version: 5 }))).toBe('VERSION_NOT_FOUND');
    const gap = table(4);
    gap.files.delete(commitPath(2));
    expect(await codeOf(loadSnapshot(gap, reader))).toBe('VERSIONS_NOT_CONTIGUOUS');
    expect(await codeOf(loadSnapshot(table(2), reader, { version: 1, timestamp: 1 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('refuses an unsupported protocol without reading data', async () => {
    const store = new MemoryStore();
    store.putText(
      commitPath(0),
      serializeActions([
        { kind: 'protocol', minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['futureFeature'] },
        metadata(),
      ]),
      1,
    );
    expect(await codeOf(loadSnapshot(store, reader))).toBe('UNSUPPORTED_READER_FEATURE');
  });
});

describe('updateSnapshot', () => {
  it('reads only the new commits and returns the same snapshot when nothing changed', async () => {
    const store = table(3);
    const s2 = await loadSnapshot(store, reader);
    expect(await updateSnapshot(s2, store, reader)).toBe(s2);
    store.putText(
      commitPath(3),
      serializeActions([
        info(),
        { kind: 'remove', path: 'f0', deletionTimestamp: 4000, dataChange: true },
        add('f3'),
      ]),
      4000,
    );
    store.gets = [];
    const s3 = await updateSnapshot(s2, store, reader);
    expect(store.gets).toEqual([commitPath(3)]);
    expect(s3.version).toBe(3);
    expect(s3.files.map((f) => f.path).sort()).toEqual(['f1', 'f2', 'f3']);
    expect(s3.tombstones.map((f) => f.path)).toEqual(['f0']);
    expect(s3.timestamp).toBe(4000);
    expect(s2.files).toHaveLength(3);
  });
});

describe('timestamps', () => {
  it('finds the latest version committed at or before a time', async () => {
    const store = table(4); // commits at 1000, 2000, 3000, 4000
    expect(await versionAtTimestamp(store, reader, 1000)).toBe(0);
    expect(await versionAtTimestamp(store, reader, 2500)).toBe(1);
    expect(await versionAtTimestamp(store, reader, 4000)).toBe(3);
    const s = await loadSnapshot(store, reader, { timestamp: 3999 });
    expect(s.version).toBe(2);
  });

  it('names the available range when out of range', async () => {
    const store = table(2);
    let e: unknown;
    try {
      await versionAtTimestamp(store, reader, 10);
    } catch (err) {
      e = err;
    }
    expect(isDeltaError(e, 'TIMESTAMP_OUT_OF_RANGE')).toBe(true);
    expect((e as Error).message).toContain('1970-01-01T00:00:01.000Z');
    expect((e as Error).message).toContain('1970-01-01T00:00:02.000Z');
    expect(await codeOf(versionAtTimestamp(store, reader, 5000))).toBe('TIMESTAMP_OUT_OF_RANGE');
  });

  it('makes file times monotonic like Spark', async () => {
    const store = table(3);
    // Commit 1's file time went backwards (clock skew): it counts as 1000 + 1.
    const c1 = store.files.get(commitPath(1));
    if (c1) c1.lastModified = 500;
    expect(await versionAtTimestamp(store, reader, 1000)).toBe(0);
    expect(await versionAtTimestamp(store, reader, 1001)).toBe(1);
  });

  it('uses in-commit timestamps when the table enables them', async () => {
    const store = new MemoryStore();
    const conf = {
      'delta.enableInCommitTimestamps': 'true',
      'delta.inCommitTimestampEnablementVersion': '0',
    };
    for (let v = 0; v < 3; v++) {
      const actions: Action[] = [
        info({ inCommitTimestamp: 100_000 + v * 10 }),
        ...(v === 0 ? [protocol, metadata(conf)] : []),
        add(`f${v}`),
      ];
      store.putText(commitPath(v), serializeActions(actions), 5); // file times say nothing useful
    }
    expect(await versionAtTimestamp(store, reader, 100_015)).toBe(1);
    expect((await loadSnapshot(store, reader)).timestamp).toBe(100_020);
    const history = await readCommitInfos(store, 0, 2);
    expect(history.map((h) => [h.version, h.timestamp])).toEqual([
      [2, 100_020],
      [1, 100_010],
      [0, 100_000],
    ]);
    expect(history[0]?.commitInfo?.operation).toBe('WRITE');
  });
});
