import { describe, expect, it } from 'vitest';
import type { AddFile } from '../actions/types.js';
import { DataType } from '../schema/types.js';
import { canSkipFile, pruneFiles } from './skipping.js';
import { Expr } from './types.js';

const schema = DataType.struct([
  DataType.field('id', DataType.primitive('long')),
  DataType.field('s', DataType.primitive('string')),
  DataType.field('p', DataType.primitive('integer')),
]);
const snapshotOf = (files: AddFile[]) => ({
  files,
  schema,
  partitionColumns: ['p'],
  columnMappingMode: 'none' as const,
});

/** An add whose `stats` reads are counted. */
function countedFile(i: number, stats: string | undefined, counter: { reads: number }): AddFile {
  const add = {
    kind: 'add' as const,
    path: `f${i}.parquet`,
    partitionValues: { p: String(i % 3) },
    size: 10 + i,
    modificationTime: 0,
    dataChange: true,
  };
  Object.defineProperty(add, 'stats', {
    enumerable: true,
    get: () => {
      counter.reads++;
      return stats;
    },
  });
  return add as AddFile;
}

const statsFor = (i: number): string | undefined => {
  const lo = i * 10;
  switch (i % 5) {
    case 0: // the usual layout: the fast path
      return `{"numRecords":10,"minValues":{"id":${lo},"s":"a${i}"},"maxValues":{"id":${lo + 9},"s":"b${i}"},"nullCount":{"id":0,"s":0}}`;
    case 1: // an escaped string: the full parse
      return `{"numRecords":10,"minValues":{"id":${lo},"s":"a\\"${i}"},"maxValues":{"id":${lo + 9},"s":"b"},"nullCount":{"id":0,"s":0}}`;
    case 2: // no rows
      return '{"numRecords":0}';
    case 3: // whitespace: the full parse
      return `{ "numRecords": 10, "minValues": {"id": ${lo}}, "maxValues": {"id": ${lo + 9}} }`;
    default:
      return undefined;
  }
};

describe('pruneFiles stats index', () => {
  it('reads each stats string once per snapshot and agrees with per-file skipping', () => {
    const counter = { reads: 0 };
    const files = Array.from({ length: 50 }, (_, i) => countedFile(i, statsFor(i), counter));
    const snapshot = snapshotOf(files);
    const preds = [
      Expr.eq(Expr.col('id'), Expr.lit(103)),
      Expr.and(Expr.ge(Expr.col('id'), Expr.lit(100)), Expr.eq(Expr.col('p'), Expr.lit(1))),
      Expr.or(Expr.lt(Expr.col('id'), Expr.lit(15)), Expr.isNull(Expr.col('id'))),
    ];
    const first = preds.map((p) => pruneFiles(snapshot, p).files.map((f) => f.path));
    const afterFirst = counter.reads;
    expect(afterFirst).toBeGreaterThan(0);
    const again = preds.map((p) => pruneFiles(snapshot, p).files.map((f) => f.path));
    expect(again).toEqual(first);
    expect(counter.reads).toBe(afterFirst);
    preds.forEach((p, k) => {
      const oneByOne = files.filter((f) => !canSkipFile(p, f, snapshot)).map((f) => f.path);
      expect(first[k]).toEqual(oneByOne);
    });
    // The point query keeps only the file holding id 103 (file 10, usual layout) and the files
    // without stats.
    expect(first[0]).toEqual(files.filter((_, i) => i === 10 || i % 5 === 4).map((f) => f.path));
  });

  it('a new file list (a new snapshot) gets its own index', () => {
    const counter = { reads: 0 };
    const files = Array.from({ length: 10 }, (_, i) => countedFile(i, statsFor(i * 5), counter));
    pruneFiles(snapshotOf(files), Expr.eq(Expr.col('id'), Expr.lit(1)));
    const n = counter.reads;
    pruneFiles(snapshotOf(files.slice()), Expr.eq(Expr.col('id'), Expr.lit(1)));
    expect(counter.reads).toBe(2 * n);
  });
});
