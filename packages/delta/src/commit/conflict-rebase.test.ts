import { describe, expect, it } from 'vitest';
import type { Action, AddFile, CommitInfo, Metadata } from '../actions/types.js';
import { checkConflict, checkConflicts } from './conflict-checker.js';
import { rowIdHighWaterMark, rowTrackingDomain } from './conflict-rebase.js';
import { commitIsolationLevel, tableIsolationLevel } from './conflict-summary.js';
import type { PendingTransaction, WinningCommit } from './conflict-types.js';

const add = (path: string, numRecords: number, extra: Partial<AddFile> = {}): AddFile => ({
  kind: 'add',
  path,
  partitionValues: {},
  size: 1,
  modificationTime: 1,
  dataChange: true,
  stats: JSON.stringify({ numRecords }),
  ...extra,
});

const append = (actions: readonly Action[], extra: Partial<PendingTransaction> = {}): PendingTransaction => ({
  readVersion: 10,
  isolationLevel: 'WriteSerializable',
  isBlindAppend: true,
  read: { wholeTable: false, files: [] },
  actions,
  ...extra,
});

const blindAppend = (
  version: number,
  actions: readonly Action[],
  commitInfo: Record<string, unknown> = {},
): WinningCommit => ({
  version,
  actions: [
    { kind: 'commitInfo', value: { operation: 'WRITE', isBlindAppend: true, ...commitInfo } },
    ...actions,
  ],
});

const okOf = (o: ReturnType<typeof checkConflict>) => {
  if (o.kind !== 'ok') throw new Error(`expected ok, got ${o.reason}: ${o.message}`);
  return o;
};

describe('row tracking rebase', () => {
  const ours = append(
    [
      add('fresh-a', 10, { baseRowId: 100, defaultRowCommitVersion: 11 }),
      add('fresh-b', 5),
      // Copied from an older file by an UPDATE: its ids were assigned long ago and must stay.
      add('copied', 7, { baseRowId: 50, defaultRowCommitVersion: 3 }),
      rowTrackingDomain(114),
    ],
    { readRowIdHighWaterMark: 99 },
  );

  it('moves our fresh row ids past the winner high-water mark and never conflicts on the domain', () => {
    const o = okOf(
      checkConflict(ours, blindAppend(11, [add('w', 50, { baseRowId: 100 }), rowTrackingDomain(149)])),
    );
    const adds = o.transaction.actions.filter((a): a is AddFile => a.kind === 'add');
    expect(adds.map((a) => [a.path, a.baseRowId])).toEqual([
      ['fresh-a', 150],
      ['fresh-b', 160],
      ['copied', 50],
    ]);
    const first = o.transaction.actions[0];
    expect(first?.kind === 'domainMetadata' && rowIdHighWaterMark(first)).toBe(164);
    expect(o.transaction.actions.filter((a) => a.kind === 'domainMetadata')).toHaveLength(1);
    expect(o.transaction.readRowIdHighWaterMark).toBe(149);
    expect(o.notes).toContainEqual({ kind: 'rowIdsReassigned', highWaterMark: 164, files: 2 });
  });

  it('moves default row commit versions stamped with the lost version', () => {
    const o = okOf(checkConflict(ours, blindAppend(11, [add('w', 1)])));
    const adds = o.transaction.actions.filter((a): a is AddFile => a.kind === 'add');
    expect(adds.map((a) => a.defaultRowCommitVersion)).toEqual([12, undefined, 3]);
    expect(o.notes).toContainEqual({ kind: 'rowCommitVersionsMoved', to: 12, files: 1 });
  });

  it('leaves row ids alone when the winner assigned none', () => {
    const o = okOf(checkConflict(ours, blindAppend(11, [])));
    expect(o.transaction.actions.filter((a) => a.kind !== 'add' || a.path !== 'fresh-a')).toEqual(
      ours.actions.filter((a) => a.kind !== 'add' || a.path !== 'fresh-a'),
    );
    expect(o.notes.some((n) => n.kind === 'rowIdsReassigned')).toBe(false);
  });

  it('keeps reassigning across several winners', () => {
    const o = okOf(
      checkConflicts(ours, [
        blindAppend(11, [rowTrackingDomain(149)]),
        blindAppend(12, [rowTrackingDomain(200)]),
      ]),
    );
    const a = o.transaction.actions.find((x): x is AddFile => x.kind === 'add' && x.path === 'fresh-a');
    expect(a?.baseRowId).toBe(201);
    expect(a?.defaultRowCommitVersion).toBe(13);
    expect(o.transaction.readRowIdHighWaterMark).toBe(200);
    expect(o.commitVersion).toBe(13);
  });

  it('refuses to assign row ids to a file without numRecords', () => {
    const bad = append([{ ...add('nostats', 1), stats: null }], { readRowIdHighWaterMark: 0 });
    expect(() => checkConflict(bad, blindAppend(11, [rowTrackingDomain(5)]))).toThrow(/nostats.*numRecords/);
  });
});

describe('in-commit timestamp rebase', () => {
  const info = (ict: number): CommitInfo => ({
    kind: 'commitInfo',
    value: { operation: 'WRITE', inCommitTimestamp: ict },
  });

  it('raises our in-commit timestamp past the winner', () => {
    const o = okOf(
      checkConflict(append([info(500), add('a', 1)]), blindAppend(11, [], { inCommitTimestamp: 900 })),
    );
    expect((o.transaction.actions[0] as CommitInfo).value.inCommitTimestamp).toBe(901);
    expect(o.notes).toContainEqual({ kind: 'inCommitTimestampRaised', from: 500, to: 901 });
    expect(o.minInCommitTimestamp).toBe(901);
  });

  it('keeps a timestamp that is already later', () => {
    const o = okOf(checkConflict(append([info(5000)]), blindAppend(11, [], { inCommitTimestamp: 900 })));
    expect((o.transaction.actions[0] as CommitInfo).value.inCommitTimestamp).toBe(5000);
    expect(o.notes).toEqual([]);
  });

  it('uses the file time of a winner without one, and moves an enablement we stamped', () => {
    const meta: Metadata = {
      kind: 'metaData',
      id: 't',
      format: { provider: 'parquet', options: {} },
      schemaString: '{"type":"struct","fields":[]}',
      partitionColumns: [],
      configuration: {
        'delta.enableInCommitTimestamps': 'true',
        'delta.inCommitTimestampEnablementVersion': '11',
        'delta.inCommitTimestampEnablementTimestamp': '500',
      },
    };
    const winner: WinningCommit = {
      version: 11,
      actions: [{ kind: 'commitInfo', value: { operation: 'WRITE' } }],
      fileTimestamp: 700,
    };
    const o = okOf(checkConflict(append([info(500), meta], { isBlindAppend: false }), winner));
    const m = o.transaction.actions.find((a): a is Metadata => a.kind === 'metaData');
    expect(m?.configuration['delta.inCommitTimestampEnablementVersion']).toBe('12');
    expect(m?.configuration['delta.inCommitTimestampEnablementTimestamp']).toBe('701');
    expect((o.transaction.actions[0] as CommitInfo).value.inCommitTimestamp).toBe(701);
  });

  it('leaves commitInfo alone when ICT is off', () => {
    const plain: CommitInfo = { kind: 'commitInfo', value: { operation: 'WRITE', timestamp: 3 } };
    const o = okOf(checkConflict(append([plain]), blindAppend(11, [], { inCommitTimestamp: 900 })));
    expect(o.transaction.actions[0]).toBe(plain);
  });
});

describe('isolation levels', () => {
  it('reads delta.isolationLevel, WriteSerializable by default', () => {
    expect(tableIsolationLevel({})).toBe('WriteSerializable');
    expect(tableIsolationLevel({ 'delta.isolationLevel': 'Serializable' })).toBe('Serializable');
    expect(tableIsolationLevel({ 'delta.isolationLevel': 'writeserializable' })).toBe('WriteSerializable');
    expect(() => tableIsolationLevel({ 'delta.isolationLevel': 'SnapshotIsolation' })).toThrow(
      /'SnapshotIsolation'/,
    );
  });

  it('downgrades commits that change no data, as Delta does', () => {
    const compact: Action[] = [
      { kind: 'remove', path: 'a', dataChange: false },
      add('b', 1, { dataChange: false }),
      { kind: 'commitInfo', value: {} },
    ];
    expect(commitIsolationLevel('Serializable', compact, false)).toBe('SnapshotIsolation');
    expect(commitIsolationLevel('WriteSerializable', compact, false)).toBe('SnapshotIsolation');
    // An empty WRITE still changes data as an operation under WriteSerializable.
    expect(commitIsolationLevel('WriteSerializable', [], true)).toBe('WriteSerializable');
    expect(commitIsolationLevel('Serializable', [], true)).toBe('SnapshotIsolation');
    expect(commitIsolationLevel('WriteSerializable', [...compact, rowTrackingDomain(3)], false)).toBe(
      'SnapshotIsolation',
    );
    expect(commitIsolationLevel('WriteSerializable', [add('c', 1)], true)).toBe('WriteSerializable');
    expect(commitIsolationLevel('Serializable', [{ kind: 'txn', appId: 'x', version: 1 }], false)).toBe(
      'Serializable',
    );
  });
});
