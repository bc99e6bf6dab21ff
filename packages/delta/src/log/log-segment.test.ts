import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../contracts.js';
import { type DeltaErrorCode, isDeltaError } from '../errors.js';
import {
  checkpointPath,
  commitPath,
  compactionPath,
  multipartCheckpointPath,
  parseLogFileName,
  parseLogPath,
  sidecarPath,
  v2CheckpointPath,
} from './file-names.js';
import { indexLogListing, resolveLogSegment } from './log-segment.js';

const meta = (path: string, lastModified = 0): ObjectMeta => ({ path, size: 1, lastModified });
const listing = (...paths: string[]): ObjectMeta[] => paths.sort().map((p) => meta(p));
const commits = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => commitPath(from + i));

const errorCode = (fn: () => unknown): DeltaErrorCode | undefined => {
  try {
    fn();
  } catch (e) {
    if (isDeltaError(e)) return e.code;
    throw e;
  }
  return undefined;
};

describe('log file names', () => {
  it('formats and parses every kind', () => {
    expect(commitPath(1)).toBe('_delta_log/00000000000000000001.json');
    expect(checkpointPath(10)).toBe('_delta_log/00000000000000000010.checkpoint.parquet');
    expect(multipartCheckpointPath(1, 2, 3)).toBe(
      '_delta_log/00000000000000000001.checkpoint.0000000002.0000000003.parquet',
    );
    expect(compactionPath(0, 5)).toBe('_delta_log/00000000000000000000.00000000000000000005.compacted.json');
    const uuid = 'ecdb7d35-9d52-4e80-ab08-b339ff8e9a82';
    expect(parseLogPath(v2CheckpointPath(3, uuid, 'json'))).toEqual({
      kind: 'v2-checkpoint',
      version: 3,
      uuid,
      format: 'json',
    });
    expect(parseLogPath(multipartCheckpointPath(1, 2, 3))).toEqual({
      kind: 'multipart-checkpoint',
      version: 1,
      part: 2,
      parts: 3,
    });
    expect(parseLogPath(compactionPath(6, 10))).toEqual({ kind: 'compaction', start: 6, end: 10 });
    expect(parseLogFileName('00000000000000000004.crc')).toEqual({ kind: 'crc', version: 4 });
    expect(parseLogFileName('_last_checkpoint')).toEqual({ kind: 'last-checkpoint' });
  });

  it('resolves sidecar paths', () => {
    expect(sidecarPath('a.parquet')).toBe('_delta_log/_sidecars/a.parquet');
    expect(sidecarPath('file:///data/t/_delta_log/_sidecars/a.parquet', 'file:///data/t')).toBe(
      '_delta_log/_sidecars/a.parquet',
    );
    expect(sidecarPath('s3://other/x.parquet', 'file:///data/t')).toBe('s3://other/x.parquet');
  });

  it('ignores side files, staged commits and unknown names', () => {
    for (const name of [
      '.00000000000000000000.json.crc',
      '_commits/00000000000000000001.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json',
      '00000000000000000001.json.tmp',
      '1.json',
      'README',
    ]) {
      expect(parseLogFileName(name)).toBeUndefined();
    }
  });
});

describe('resolveLogSegment', () => {
  it('replays commits from 0 when there is no checkpoint', () => {
    const { segment } = resolveLogSegment(listing(...commits(0, 3)));
    expect(segment.version).toBe(3);
    expect(segment.checkpoint).toBeUndefined();
    expect(segment.commits.map((c) => c.version)).toEqual([0, 1, 2, 3]);
  });

  it('starts at the newest complete checkpoint at or before the version', () => {
    const files = listing(
      ...commits(0, 25),
      checkpointPath(10),
      checkpointPath(20),
      '_delta_log/_last_checkpoint',
    );
    const latest = resolveLogSegment(files).segment;
    expect(latest.checkpoint).toEqual({ version: 20, kind: 'classic', paths: [checkpointPath(20)] });
    expect(latest.commits.map((c) => c.version)).toEqual([21, 22, 23, 24, 25]);
    const at15 = resolveLogSegment(files, 15).segment;
    expect(at15.checkpoint?.version).toBe(10);
    expect(at15.commits.map((c) => c.version)).toEqual([11, 12, 13, 14, 15]);
    expect(resolveLogSegment(files, 5).segment.checkpoint).toBeUndefined();
  });

  it('skips a multi-part checkpoint with a missing part', () => {
    const files = listing(...commits(0, 12), checkpointPath(5), multipartCheckpointPath(10, 1, 2));
    expect(resolveLogSegment(files).segment.checkpoint?.version).toBe(5);
    const complete = listing(
      ...commits(0, 12),
      multipartCheckpointPath(10, 1, 2),
      multipartCheckpointPath(10, 2, 2),
    );
    expect(resolveLogSegment(complete).segment.checkpoint).toEqual({
      version: 10,
      kind: 'multipart',
      paths: [multipartCheckpointPath(10, 1, 2), multipartCheckpointPath(10, 2, 2)],
    });
  });

  it('uses a v2 checkpoint and works with only checkpoints left for old versions', () => {
    const uuid = '02c565c5-11ae-42f3-b92d-52d5dd3a709a';
    const files = listing(v2CheckpointPath(4, uuid, 'parquet'), ...commits(4, 6));
    const s = resolveLogSegment(files).segment;
    expect(s.checkpoint?.kind).toBe('v2-parquet');
    expect(s.commits.map((c) => c.version)).toEqual([5, 6]);
    expect(resolveLogSegment(files, 4).segment.commits).toEqual([]);
    expect(errorCode(() => resolveLogSegment(files, 3))).toBe('VERSION_NOT_FOUND');
  });

  it('uses compaction files that exactly cover needed commits', () => {
    const files = listing(
      ...commits(0, 20),
      compactionPath(0, 5),
      compactionPath(6, 10),
      compactionPath(6, 15),
      compactionPath(3, 30),
    );
    const s = resolveLogSegment(files, 17).segment;
    expect(s.compactions.map((c) => [c.start, c.end])).toEqual([
      [0, 5],
      [6, 15],
    ]);
    expect(s.commits.map((c) => c.version)).toEqual([16, 17]);
    const s12 = resolveLogSegment(files, 12).segment;
    expect(s12.compactions.map((c) => [c.start, c.end])).toEqual([
      [0, 5],
      [6, 10],
    ]);
    // After a checkpoint, compactions that start before it are useless.
    expect(
      resolveLogSegment(listing(...commits(0, 20), checkpointPath(2), compactionPath(0, 5)), 20).segment
        .compactions,
    ).toEqual([]);
  });

  it('reports missing tables, versions and gaps with stable codes', () => {
    expect(errorCode(() => resolveLogSegment([]))).toBe('TABLE_NOT_FOUND');
    expect(
      errorCode(() =>
        resolveLogSegment(listing('_delta_log/_last_checkpoint', '_delta_log/00000000000000000000.crc')),
      ),
    ).toBe('TABLE_NOT_FOUND');
    expect(errorCode(() => resolveLogSegment(listing(commitPath(0), commitPath(2))))).toBe(
      'VERSIONS_NOT_CONTIGUOUS',
    );
    let message = '';
    try {
      resolveLogSegment(listing(...commits(0, 3)), 9);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/version 9 does not exist; available versions are 0 to 3/);
    // Truncated log: commits 0..4 cleaned up, checkpoint at 5.
    expect(errorCode(() => resolveLogSegment(listing(...commits(3, 8), checkpointPath(5)), 4))).toBe(
      'VERSION_NOT_FOUND',
    );
    expect(indexLogListing(listing(...commits(3, 8), checkpointPath(5))).earliestVersion).toBe(5);
  });

  it('returns the file whose mtime is the version time', () => {
    const files = [meta(commitPath(0), 100), meta(checkpointPath(1), 150), meta(commitPath(1), 200)];
    expect(resolveLogSegment(files).versionFile.lastModified).toBe(200);
  });
});
