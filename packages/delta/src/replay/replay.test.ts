import { describe, expect, it } from 'vitest';
import type {
  Action,
  AddFile,
  DeletionVectorDescriptor,
  Metadata,
  Protocol,
  RemoveFile,
} from '../actions/types.js';
import { type DeltaErrorCode, isDeltaError } from '../errors.js';
import type { LogSegment } from '../snapshot/types.js';
import { canonicalizePath, dataFilePath, fileActionKey, isAbsolutePath } from './file-key.js';
import { applyCommits, replayLog } from './replay.js';
import { parseIntervalMs } from './retention.js';

const DAY = 86_400_000;
const protocol: Protocol = { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 2 };
const metadata = (configuration: Record<string, string> = {}): Metadata => ({
  kind: 'metaData',
  id: 't',
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
  partitionColumns: [],
  configuration,
});
const add = (path: string, deletionVector?: DeletionVectorDescriptor): AddFile => ({
  kind: 'add',
  path,
  partitionValues: {},
  size: 1,
  modificationTime: 0,
  dataChange: true,
  ...(deletionVector ? { deletionVector } : {}),
});
const remove = (
  path: string,
  deletionTimestamp: number,
  deletionVector?: DeletionVectorDescriptor,
): RemoveFile => ({
  kind: 'remove',
  path,
  deletionTimestamp,
  dataChange: true,
  ...(deletionVector ? { deletionVector } : {}),
});
const dv = (id: string): DeletionVectorDescriptor => ({
  storageType: 'u',
  pathOrInlineDv: id,
  offset: 1,
  sizeInBytes: 10,
  cardinality: 1,
});
const segment = (version: number): LogSegment => ({ version, commits: [], compactions: [] });

/** Replays commits given oldest first, as they are written. */
const replay = (commits: Action[][], fileTimestamp = 10 * DAY) =>
  replayLog({ logSegment: segment(commits.length - 1), batches: [...commits].reverse(), fileTimestamp });

const codeOf = (fn: () => unknown): DeltaErrorCode | undefined => {
  try {
    fn();
  } catch (e) {
    if (isDeltaError(e)) return e.code;
    throw e;
  }
  return undefined;
};

describe('file action keys', () => {
  it('treats file:/x, file:///x, /x and percent-escapes as one path', () => {
    expect(canonicalizePath('file:/a/b%20c')).toBe('/a/b c');
    expect(canonicalizePath('file:///a/b c')).toBe('/a/b c');
    expect(canonicalizePath('/a/b%20c')).toBe('/a/b c');
    expect(canonicalizePath('part=1/x.parquet')).toBe('part=1/x.parquet');
    expect(canonicalizePath('bad%zzescape')).toBe('bad%zzescape');
  });
  it('maps log paths to on-disk names with one decode', () => {
    expect(dataFilePath('_2=bar+%252521/part-0.parquet')).toBe('_2=bar+%2521/part-0.parquet');
    expect(dataFilePath('special%20p@%23h')).toBe('special p@#h');
    expect(isAbsolutePath(dataFilePath('file:/tmp/x.parquet'))).toBe(true);
    expect(isAbsolutePath('s3://b/k.parquet')).toBe(true);
    expect(isAbsolutePath('part=1/x.parquet')).toBe(false);
  });

  it('includes the deletion vector id', () => {
    expect(fileActionKey(add('a'))).not.toBe(fileActionKey(add('a', dv('x'))));
    expect(fileActionKey(add('a', dv('x')))).toBe(fileActionKey(remove('a', 0, dv('x'))));
  });
});

describe('replayLog', () => {
  it('keeps the newest action per file', () => {
    const s = replay([
      [protocol, metadata(), add('a'), add('b')],
      [remove('a', 9 * DAY), add('c')],
    ]);
    expect(s.version).toBe(1);
    expect(s.files.map((f) => f.path).sort()).toEqual(['b', 'c']);
    expect(s.tombstones.map((f) => f.path)).toEqual(['a']);
  });

  it('re-adding a removed file in a later commit makes it live again', () => {
    const s = replay([[protocol, metadata(), add('a')], [remove('a', 9 * DAY)], [add('a')]]);
    expect(s.files.map((f) => f.path)).toEqual(['a']);
    expect(s.tombstones).toEqual([]);
  });

  it('matches removes to adds across path spellings', () => {
    const s = replay([
      [protocol, metadata(), add('/x/with%20space/p@%23h')],
      [remove('file:/x/with%20space/p@%23h', 9 * DAY)],
    ]);
    expect(s.files).toEqual([]);
  });

  it('treats a new deletion vector as a new file and the old one as removed', () => {
    const s = replay([
      [protocol, metadata(), add('a')],
      [remove('a', 9 * DAY), add('a', dv('1'))],
      [remove('a', 9 * DAY, dv('1')), add('a', dv('2'))],
    ]);
    expect(s.files.map((f) => f.deletionVector?.pathOrInlineDv)).toEqual(['2']);
    expect(s.tombstones).toHaveLength(2);
  });

  it('drops tombstones older than the retention, relative to the snapshot time', () => {
    const commits: Action[][] = [
      [protocol, metadata(), add('a'), add('b')],
      [remove('a', 1 * DAY), remove('b', 5 * DAY)],
    ];
    expect(replay(commits, 10 * DAY).tombstones.map((t) => t.path)).toEqual(['b']);
    const longer: Action[][] = [
      [protocol, metadata({ 'delta.deletedFileRetentionDuration': 'interval 30 days' }), add('a'), add('b')],
      commits[1] as Action[],
    ];
    expect(replay(longer, 10 * DAY).tombstones).toHaveLength(2);
    expect(parseIntervalMs('interval 1 week')).toBe(7 * DAY);
    expect(parseIntervalMs('2 hours 30 minutes')).toBe(2.5 * 3_600_000);
    expect(() => parseIntervalMs('forever')).toThrow(/forever/);
  });

  it('takes the latest protocol, metadata, txn per app and live domain metadata', () => {
    const s = replay([
      [
        protocol,
        metadata({ v: '1' }),
        { kind: 'txn', appId: 'a', version: 1 },
        { kind: 'domainMetadata', domain: 'd1', configuration: '1', removed: false },
      ],
      [
        { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 4 },
        metadata({ v: '2' }),
        { kind: 'txn', appId: 'a', version: 2 },
        { kind: 'txn', appId: 'b', version: 7 },
        { kind: 'domainMetadata', domain: 'd1', configuration: '1', removed: true },
        { kind: 'domainMetadata', domain: 'd2', configuration: '2', removed: false },
      ],
    ]);
    expect(s.protocol.minWriterVersion).toBe(4);
    expect(s.metadata.configuration).toEqual({ v: '2' });
    expect([...s.txns.values()].map((t) => [t.appId, t.version])).toEqual([
      ['a', 2],
      ['b', 7],
    ]);
    expect([...s.domainMetadata.keys()]).toEqual(['d2']);
    expect(s.schema.fields[0]?.name).toBe('id');
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('uses the in-commit timestamp when the table enables it', () => {
    const commits = [[protocol, metadata({ 'delta.enableInCommitTimestamps': 'true' }), add('a')]];
    const s = replayLog({
      logSegment: segment(0),
      batches: commits,
      fileTimestamp: 5,
      commitInfo: { inCommitTimestamp: 42 },
    });
    expect(s.timestamp).toBe(42);
    const off = replayLog({
      logSegment: segment(0),
      batches: [[protocol, metadata(), add('a')]],
      fileTimestamp: 5,
      commitInfo: { inCommitTimestamp: 42 },
    });
    expect(off.timestamp).toBe(5);
  });

  it('fails without protocol or metadata, and on an unsupported protocol before anything else', () => {
    expect(codeOf(() => replay([[metadata(), add('a')]]))).toBe('MISSING_PROTOCOL');
    expect(codeOf(() => replay([[protocol, add('a')]]))).toBe('MISSING_METADATA');
    expect(
      codeOf(() =>
        replay([[{ kind: 'protocol', minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['nope'] }]]),
      ),
    ).toBe('UNSUPPORTED_READER_FEATURE');
  });

  it('replays 100k checkpoint adds plus 100k one-file commits', () => {
    const checkpoint: Action[] = [protocol, metadata()];
    for (let i = 0; i < 100_000; i++) checkpoint.push(add(`cp-${i}.parquet`));
    const commits: Action[][] = [];
    for (let i = 0; i < 100_000; i++) {
      commits.push(i % 2 === 0 ? [add(`new-${i}.parquet`)] : [remove(`cp-${i}.parquet`, 10 * DAY)]);
    }
    const s = replayLog({
      logSegment: segment(100_000),
      batches: [...commits.reverse(), checkpoint],
      fileTimestamp: 10 * DAY,
    });
    expect(s.files).toHaveLength(100_000);
    expect(s.tombstones).toHaveLength(50_000);
  });
});

describe('applyCommits', () => {
  it('equals a full replay, including re-adds and removes of older files', () => {
    const commits: Action[][] = [
      [protocol, metadata(), add('a'), add('b')],
      [remove('a', 9 * DAY), add('c')],
      [add('a'), remove('b', 9 * DAY), { kind: 'txn', appId: 'x', version: 3 }],
      [remove('c', 9 * DAY), { kind: 'domainMetadata', domain: 'd', configuration: '', removed: false }],
    ];
    let s = replay(commits.slice(0, 1));
    for (let v = 1; v < commits.length; v++) {
      s = applyCommits(s, {
        logSegment: segment(v),
        batches: [commits[v] as Action[]],
        fileTimestamp: 10 * DAY,
      });
      const full = replay(commits.slice(0, v + 1));
      expect(s.files.map((f) => f.path).sort()).toEqual(full.files.map((f) => f.path).sort());
      expect(s.tombstones.map((f) => f.path).sort()).toEqual(full.tombstones.map((f) => f.path).sort());
      expect([...s.txns.keys()]).toEqual([...full.txns.keys()]);
      expect([...s.domainMetadata.keys()]).toEqual([...full.domainMetadata.keys()]);
    }
    expect(s.version).toBe(3);
  });

  it('rejects an update that makes the protocol unreadable', () => {
    const s = replay([[protocol, metadata(), add('a')]]);
    const bad: Protocol = { kind: 'protocol', minReaderVersion: 4, minWriterVersion: 7 };
    expect(
      codeOf(() => applyCommits(s, { logSegment: segment(1), batches: [[bad]], fileTimestamp: 0 })),
    ).toBe('UNSUPPORTED_PROTOCOL_VERSION');
  });
});
