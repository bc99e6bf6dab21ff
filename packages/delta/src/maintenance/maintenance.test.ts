// The pure OPTIMIZE and VACUUM rules.
import { describe, expect, it } from 'vitest';
import type { AddFile, RemoveFile } from '../actions/types.js';
import { inlineDeletionVectorDescriptor, newDeletionVectorDescriptor } from '../dv/deletion-vector.js';
import { parseByteSize, planBinPacking, sizePercentile, targetFileSizeOf } from './bin-packing.js';
import { checkVacuumRetention, isHiddenForVacuum, retainedPaths, vacuumCandidates } from './vacuum-rules.js';

const add = (path: string, size: number, p?: string, extra: Partial<AddFile> = {}): AddFile => ({
  kind: 'add',
  path,
  partitionValues: p === undefined ? {} : { p },
  size,
  modificationTime: 0,
  dataChange: true,
  ...extra,
});

describe('planBinPacking', () => {
  it('packs small files per partition, greedily by size', () => {
    const files = [
      add('a', 40, '1'),
      add('b', 30, '1'),
      add('c', 50, '1'),
      add('d', 10, '2'),
      add('e', 500, '1'),
    ];
    const plan = planBinPacking(files, 100);
    expect(plan.bins.map((b) => b.files.map((f) => f.path))).toEqual([['b', 'a']]);
    expect(plan).toMatchObject({ consideredFiles: 5, skippedFiles: 3, partitionsOptimized: 1 });
  });

  it('rewrites a lone file only for its deletion vector', () => {
    const dv = inlineDeletionVectorDescriptor([1]);
    const plan = planBinPacking([add('big', 500, undefined, { deletionVector: dv }), add('x', 10)], 100);
    // 'x' ends up alone in its bin: rewriting it alone would gain nothing.
    expect(plan.bins.map((b) => b.files.map((f) => f.path))).toEqual([['big']]);
    expect(plan.skippedFiles).toBe(1);
  });

  it('reads delta.targetFileSize with units', () => {
    expect(targetFileSizeOf({})).toBe(134217728);
    expect(targetFileSizeOf({ 'delta.targetFileSize': '64mb' })).toBe(64 * 1024 * 1024);
    expect(parseByteSize('1g')).toBe(1024 ** 3);
    expect(() => parseByteSize('lots')).toThrow(/invalid file size 'lots'/);
    expect(sizePercentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe('vacuum rules', () => {
  it('hides the log and _/. names except partition directories', () => {
    expect(isHiddenForVacuum('_delta_log/00.json', [])).toBe(true);
    expect(isHiddenForVacuum('.a.parquet.crc', [])).toBe(true);
    expect(isHiddenForVacuum('_tmp/x.parquet', [])).toBe(true);
    expect(isHiddenForVacuum('_p=1/x.parquet', ['_p'])).toBe(false);
    expect(isHiddenForVacuum('_change_data/x.parquet', [])).toBe(false);
    expect(isHiddenForVacuum('p=1/_x.parquet', ['p'])).toBe(true);
    expect(isHiddenForVacuum('p=1/x.parquet', ['p'])).toBe(false);
  });

  it("sees inside Loch's own staging directories, hidden names included", () => {
    expect(isHiddenForVacuum('_loch_staging_1f/part-0.parquet', [])).toBe(false);
    expect(isHiddenForVacuum('_loch_staging_1f/__loch_p0=1/.part-0.parquet.crc', [])).toBe(false);
    expect(isHiddenForVacuum('_loch_staging_1f', [])).toBe(true);
    expect(isHiddenForVacuum('p=1/_loch_staging_1f/part-0.parquet', ['p'])).toBe(true);
  });

  it('keeps live files, young tombstones and their deletion vectors; deletes old unreferenced files', () => {
    const dv = newDeletionVectorDescriptor({
      uuid: '00000000-0000-0000-0000-000000000001',
      offset: 1,
      sizeInBytes: 10,
      cardinality: 1,
    });
    const old: RemoveFile = { kind: 'remove', path: 'old.parquet', deletionTimestamp: 50, dataChange: true };
    const young: RemoveFile = {
      kind: 'remove',
      path: 'young%20x.parquet',
      deletionTimestamp: 150,
      dataChange: true,
    };
    const keep = retainedPaths(
      [add('live.parquet', 1, undefined, { deletionVector: dv })],
      [old, young],
      100,
      (p) => decodeURIComponent(p),
    );
    expect([...keep].sort()).toEqual([
      'deletion_vector_00000000-0000-0000-0000-000000000001.bin',
      'live.parquet',
      'young x.parquet',
    ]);
    const listing = [
      'live.parquet',
      'old.parquet',
      'young x.parquet',
      'fresh.parquet',
      '_delta_log/0.json',
    ].map((path) => ({ path, size: 1, lastModified: path === 'fresh.parquet' ? 120 : 10 }));
    expect(vacuumCandidates(listing, keep, 100, []).map((o) => o.path)).toEqual(['old.parquet']);
  });

  it('checks the retention like Databricks', () => {
    const week = 7 * 24 * 3_600_000;
    expect(() =>
      checkVacuumRetention({ retentionMs: 0, tableRetentionMs: week, checkEnabled: true }),
    ).toThrow(/retentionDurationCheck.enabled = false[\s\S]*"168 hours"/);
    expect(() =>
      checkVacuumRetention({ retentionMs: 0, tableRetentionMs: week, checkEnabled: false }),
    ).not.toThrow();
    expect(() =>
      checkVacuumRetention({ retentionMs: -1, tableRetentionMs: 0, checkEnabled: false }),
    ).toThrow();
  });
});
