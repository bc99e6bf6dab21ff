import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  CHECKPOINT_SCHEMA,
  checkpointRows,
  type DataType,
  type DeltaErrorCode,
  fileActionKey,
  isDeltaError,
  loadSnapshot,
  type ObjectMeta,
  type ObjectStore,
  type Snapshot,
  serializeActions,
  updateSnapshot,
} from '@loch/delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbParquetActionReader } from './parquet-action-reader.js';

const FIXTURES = '/work/shared/delta-fixtures';

/** Read-only ObjectStore over a local directory; counts reads so tests can assert IO. */
class FsStore implements ObjectStore {
  readonly url: string;
  gets = 0;
  constructor(readonly root: string) {
    this.url = `file://${root}`;
  }
  async list(prefix: string): Promise<ObjectMeta[]> {
    const out: ObjectMeta[] = [];
    const walk = (dir: string, rel: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) walk(path.join(dir, e.name), r);
        else if (r.startsWith(prefix)) {
          const st = fs.statSync(path.join(dir, e.name));
          out.push({ path: r, size: st.size, lastModified: st.mtimeMs });
        }
      }
    };
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    walk(path.join(this.root, dir), dir);
    return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  }
  async listFrom(prefix: string, startAfter: string): Promise<ObjectMeta[]> {
    return (await this.list(prefix)).filter(
      (m) => Buffer.compare(Buffer.from(m.path), Buffer.from(startAfter)) > 0,
    );
  }
  async head(p: string): Promise<ObjectMeta | undefined> {
    try {
      const st = fs.statSync(path.join(this.root, p));
      return { path: p, size: st.size, lastModified: st.mtimeMs };
    } catch {
      return undefined;
    }
  }
  async get(p: string): Promise<Uint8Array> {
    this.gets++;
    try {
      return fs.readFileSync(path.join(this.root, p));
    } catch (e) {
      throw Object.assign(new Error(`not found: ${p}`), { code: 'NOT_FOUND', cause: e });
    }
  }
  async put(): Promise<void> {
    throw new Error('read-only');
  }
  async putIfAbsent(): Promise<never> {
    throw new Error('read-only');
  }
  async delete(): Promise<void> {
    throw new Error('read-only');
  }
  resolve(p: string): string {
    return path.join(this.root, p);
  }
}

interface ManifestTable {
  name: string;
  table_path: string;
  latest_version: number | null;
  expected: { kind: string; version?: number | string }[];
  per_version_state?: Record<string, { live_files: number }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'MANIFEST.json'), 'utf8')) as {
  tables: ManifestTable[];
};
const tableStore = (name: string): FsStore => {
  const t = manifest.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no fixture ${name}`);
  return new FsStore(path.join(FIXTURES, t.table_path));
};

/** Facts from the sources that override the manifest's naive per-version count. */
const LIVE_FILES_OVERRIDES: Record<string, Record<number, number>> = {
  'canonicalized-paths-normal-a': { 1: 0 },
  'canonicalized-paths-special-a': { 1: 0 },
};

const EXPECTED_ERRORS: Record<string, DeltaErrorCode> = {
  'deltalog-invalid-protocol-version': 'UNSUPPORTED_PROTOCOL_VERSION',
  'deltalog-state-reconstruction-without-metadata': 'MISSING_METADATA',
  'deltalog-state-reconstruction-without-protocol': 'MISSING_PROTOCOL',
  'deltalog-state-reconstruction-from-checkpoint-missing-metadata': 'MISSING_METADATA',
  'deltalog-state-reconstruction-from-checkpoint-missing-protocol': 'MISSING_PROTOCOL',
  'versions-not-contiguous': 'VERSIONS_NOT_CONTIGUOUS',
  'no-delta-log-folder': 'TABLE_NOT_FOUND',
};

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let reader: DuckDbParquetActionReader;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  conn = await instance.connect();
  reader = new DuckDbParquetActionReader(conn);
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

async function loadError(store: ObjectStore, version?: number): Promise<unknown> {
  try {
    await loadSnapshot(store, reader, version === undefined ? {} : { version });
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('DuckDbParquetActionReader', () => {
  it('reads checkpoint rows in the log-line shape with maps as objects and null columns dropped', async () => {
    const store = tableStore('dv-partitioned-with-checkpoint');
    const cp = (await store.list('_delta_log/')).find((m) => m.path.endsWith('.checkpoint.parquet'));
    if (cp === undefined) throw new Error('fixture has no checkpoint');
    const rows = await reader.readActions(store.resolve(cp.path));
    const protocol = rows.find((r) => 'protocol' in r);
    expect(protocol).toEqual({
      protocol: {
        minReaderVersion: 3,
        minWriterVersion: 7,
        readerFeatures: ['deletionVectors'],
        writerFeatures: ['deletionVectors'],
      },
    });
    const add = rows.find((r) => 'add' in r)?.add as Record<string, unknown>;
    expect(typeof add.path).toBe('string');
    expect(add.partitionValues).toEqual({ part: expect.any(String) });
    expect(Object.keys(rows.find((r) => 'add' in r) ?? {})).toEqual(['add']);
  });

  it('reads only the requested columns', async () => {
    const store = tableStore('dv-partitioned-with-checkpoint');
    const cp = (await store.list('_delta_log/')).find((m) => m.path.endsWith('.checkpoint.parquet'));
    const rows = await reader.readActions(store.resolve(cp?.path ?? ''), ['protocol', 'notAColumn']);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {})).toEqual(['protocol']);
  });
});

describe('loadSnapshot over every fixture table and version', () => {
  let versionsChecked = 0;
  afterAll(() => {
    // Guards against a manifest change silently turning this suite into a no-op.
    expect(manifest.tables).toHaveLength(108);
    expect(versionsChecked).toBeGreaterThan(350);
  });
  for (const table of manifest.tables) {
    it(table.name, async () => {
      const store = new FsStore(path.join(FIXTURES, table.table_path));
      const expectedError = EXPECTED_ERRORS[table.name];
      if (expectedError !== undefined) {
        const e = await loadError(store);
        expect(isDeltaError(e, expectedError), `${table.name}: ${String(e)}`).toBe(true);
      }
      for (const [v, state] of Object.entries(table.per_version_state ?? {})) {
        const version = Number(v);
        const expected = LIVE_FILES_OVERRIDES[table.name]?.[version] ?? state.live_files;
        if (expectedError !== undefined) {
          // Earlier versions of a negative table may be readable; when they are, they must be right.
          const e = await loadError(store, version);
          if (e !== undefined) {
            expect(isDeltaError(e), String(e)).toBe(true);
            continue;
          }
        }
        const snapshot = await loadSnapshot(store, reader, { version });
        expect(snapshot.version).toBe(version);
        expect(snapshot.files.length, `${table.name} v${version}`).toBe(expected);
        versionsChecked++;
      }
      if (expectedError === undefined && table.latest_version !== null) {
        const latest = await loadSnapshot(store, reader);
        expect(latest.version).toBe(table.latest_version);
      }
    });
  }
});

describe('snapshot loads through the checkpoint', () => {
  it('reads _last_checkpoint, one checkpoint and the newer commits only', async () => {
    const store = tableStore('checkpoint');
    const reads: string[] = [];
    const counting = {
      readActions: (p: string, c?: readonly string[]) => {
        reads.push(p);
        return reader.readActions(p, c);
      },
    };
    const s = await loadSnapshot(store, counting);
    expect(s.version).toBe(14);
    expect(s.files.map((f) => f.path)).toEqual(['15']);
    expect(reads.map((p) => path.basename(p))).toEqual(['00000000000000000010.checkpoint.parquet']);
    expect(store.gets).toBe(1 + 4);
  });

  it('serves concurrent reads on one connection correctly', async () => {
    const store = tableStore('v2-checkpoints-parquet-with-sidecars');
    const sidecars = (await store.list('_delta_log/_sidecars/')).filter((m) => m.path.endsWith('.parquet'));
    const sequential: number[] = [];
    for (const m of sidecars) sequential.push((await reader.readActions(store.resolve(m.path))).length);
    const concurrent = await Promise.all(
      sidecars.map(async (m) => (await reader.readActions(store.resolve(m.path))).length),
    );
    expect(sidecars.length).toBeGreaterThan(2);
    expect(concurrent).toEqual(sequential);
  });
});

/** DuckDB type text of a Delta type, enough for the checkpoint schema. */
function duckType(t: DataType): string {
  switch (t.kind) {
    case 'primitive':
      return (
        { string: 'VARCHAR', long: 'BIGINT', integer: 'INTEGER', boolean: 'BOOLEAN' }[t.name as string] ??
        'VARCHAR'
      );
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckType(t.elementType)}[]`;
    case 'map':
      return `MAP(${duckType(t.keyType)}, ${duckType(t.valueType)})`;
    default:
      throw new Error(`no duck type for ${t.kind}`);
  }
}

describe('checkpoint round trip', () => {
  it('a checkpoint written from checkpointRows in CHECKPOINT_SCHEMA loads to the same snapshot', async () => {
    const source = tableStore('dv-partitioned-with-checkpoint');
    const snapshot = await loadSnapshot(source, reader);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loch-cp-'));
    try {
      fs.cpSync(path.join(source.root, '_delta_log'), path.join(dir, '_delta_log'), { recursive: true });
      const v = snapshot.version;
      // Hide the original checkpoint and commits: the new checkpoint alone must carry the state.
      for (const f of fs.readdirSync(path.join(dir, '_delta_log')))
        fs.rmSync(path.join(dir, '_delta_log', f), { recursive: true });
      const rowsFile = path.join(dir, 'rows.json');
      fs.writeFileSync(rowsFile, serializeActions(checkpointRows(snapshot)));
      const columns = CHECKPOINT_SCHEMA.fields.map((f) => `"${f.name}": '${duckType(f.type)}'`).join(', ');
      const cp = path.join(dir, '_delta_log', `${String(v).padStart(20, '0')}.checkpoint.parquet`);
      await conn.run(
        `COPY (SELECT * FROM read_json('${rowsFile}', format='newline_delimited', columns={${columns}})) TO '${cp}' (FORMAT parquet)`,
      );
      const reloaded = await loadSnapshot(new FsStore(dir), reader);
      expect(reloaded.version).toBe(v);
      expect(reloaded.protocol).toEqual(snapshot.protocol);
      expect(reloaded.metadata.configuration).toEqual(snapshot.metadata.configuration);
      expect(reloaded.files.map(fileActionKey).sort()).toEqual(snapshot.files.map(fileActionKey).sort());
      expect(reloaded.files.filter((f) => f.deletionVector).length).toBeGreaterThan(0);
      expect(reloaded.files.map((f) => f.stats).sort()).toEqual(snapshot.files.map((f) => f.stats).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('updateSnapshot', () => {
  it('matches a full load at every version of a table with checkpoints and removes', async () => {
    for (const name of [
      'basic-with-inserts-deletes-checkpoint',
      'delete-re-add-same-file-different-transactions',
      'snapshot-repartitioned',
    ]) {
      const store = tableStore(name);
      let snap: Snapshot = await loadSnapshot(store, reader, { version: 0 });
      const latest = (await loadSnapshot(store, reader)).version;
      // Walk forward one version at a time through a store that only shows commits up to v.
      for (let v = 1; v <= latest; v++) {
        const view = new VersionLimitedStore(store, v);
        snap = await updateSnapshot(snap, view, reader);
        const full = await loadSnapshot(store, reader, { version: v });
        expect(snap.version).toBe(v);
        expect(snap.files.map((f) => f.path).sort()).toEqual(full.files.map((f) => f.path).sort());
        expect(snap.tombstones.map((f) => f.path).sort()).toEqual(full.tombstones.map((f) => f.path).sort());
      }
    }
  });
});

/** Hides log files newer than `max`, to replay history forward. */
class VersionLimitedStore extends FsStore {
  constructor(
    base: FsStore,
    readonly max: number,
  ) {
    super(base.root);
  }
  private visible(path: string): boolean {
    const match = /^_delta_log\/(\d{20})\./.exec(path);
    return match === null || Number(match[1]) <= this.max;
  }
  override async list(prefix: string): Promise<ObjectMeta[]> {
    return (await super.list(prefix)).filter((m) => this.visible(m.path));
  }
  override async head(path: string): Promise<ObjectMeta | undefined> {
    return this.visible(path) ? super.head(path) : undefined;
  }
}
