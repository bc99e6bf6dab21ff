// The conflict matrix: (our operation x winning operation x table isolation level) -> outcome, on
// a table partitioned by `date` with two days, plus messages and multi-winner folding.
import { describe, expect, it } from 'vitest';
import type { Action, AddFile, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js';
import { checkConflict, checkConflicts, isAlreadyCommitted } from './conflict-checker.js';
import { commitIsolationLevel } from './conflict-summary.js';
import type {
  ConflictOutcome,
  ConflictReason,
  IsolationLevel,
  PendingTransaction,
  ReadSet,
  WinningCommit,
} from './conflict-types.js';

const P1 = { date: '2024-01-01' } as const;
const P2 = { date: '2024-01-02' } as const;
const READ_VERSION = 10;

const add = (
  path: string,
  partitionValues: Record<string, string | null>,
  extra: Partial<AddFile> = {},
): AddFile => ({
  kind: 'add',
  path,
  partitionValues,
  size: 100,
  modificationTime: 1,
  dataChange: true,
  stats: '{"numRecords":10}',
  ...extra,
});

const remove = (file: AddFile, dataChange = true): RemoveFile => ({
  kind: 'remove',
  path: file.path,
  deletionTimestamp: 5,
  dataChange,
  extendedFileMetadata: true,
  partitionValues: file.partitionValues,
  size: file.size,
});

const metadata: Metadata = {
  kind: 'metaData',
  id: 't',
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{}}]}',
  partitionColumns: ['date'],
  configuration: {},
};

const protocol: Protocol = {
  kind: 'protocol',
  minReaderVersion: 3,
  minWriterVersion: 7,
  readerFeatures: ['deletionVectors'],
  writerFeatures: ['deletionVectors'],
};

/** Live files at the read version. */
const f1 = add('date=2024-01-01/part-0001.parquet', P1);
const f1b = add('date=2024-01-01/part-0002.parquet', P1);
const f2 = add('date=2024-01-02/part-0003.parquet', P2);

const inPartition = (p: Record<string, string>) => (pv: Readonly<Record<string, string | null>>) =>
  Object.entries(p).every(([k, v]) => pv[k] === v);

const READ_NOTHING: ReadSet = { wholeTable: false, files: [] };

interface OurOp {
  readonly read: ReadSet;
  readonly actions: readonly Action[];
  readonly isBlindAppend: boolean;
  /** Delta's `op.changesData`: false only for OPTIMIZE-like operations. */
  readonly changesData: boolean;
}

const streamTxn = (version: number): Txn => ({ kind: 'txn', appId: 'stream-1', version });

/** Operations our (losing) transaction performs. */
const OURS = {
  append: {
    read: READ_NOTHING,
    actions: [add('date=2024-01-01/ours-a.parquet', P1)],
    isBlindAppend: true,
    changesData: true,
  },
  deleteP1: {
    read: { wholeTable: false, files: [f1], partitionPredicate: inPartition(P1) },
    actions: [remove(f1), add('date=2024-01-01/ours-rewrite.parquet', P1)],
    isBlindAppend: false,
    changesData: true,
  },
  deleteP2: {
    read: { wholeTable: false, files: [f2], partitionPredicate: inPartition(P2) },
    actions: [remove(f2)],
    isBlindAppend: false,
    changesData: true,
  },
  // An UPDATE whose filter is on a data column: it scans every partition.
  updateAll: {
    read: { wholeTable: false, files: [f1, f2], partitionPredicate: () => true },
    actions: [remove(f1), add('date=2024-01-01/ours-upd.parquet', P1)],
    isBlindAppend: false,
    changesData: true,
  },
  optimizeP1: {
    read: { wholeTable: false, files: [f1, f1b], partitionPredicate: inPartition(P1) },
    actions: [
      remove(f1, false),
      remove(f1b, false),
      add('date=2024-01-01/ours-compact.parquet', P1, { dataChange: false }),
    ],
    isBlindAppend: false,
    changesData: false,
  },
  // Removes a file by name without scanning (e.g. FSCK / a replaceWhere that names files).
  removeF1: { read: READ_NOTHING, actions: [remove(f1)], isBlindAppend: false, changesData: true },
  alterTable: {
    read: READ_NOTHING,
    actions: [{ ...metadata, configuration: { 'delta.appendOnly': 'false' } }],
    isBlindAppend: true,
    changesData: false,
  },
  streamingAppend: {
    read: READ_NOTHING,
    actions: [add('date=2024-01-01/ours-stream.parquet', P1), streamTxn(6)],
    isBlindAppend: true,
    changesData: true,
  },
} satisfies Record<string, OurOp>;

type OurKind = keyof typeof OURS;

function ours(kind: OurKind, tableLevel: IsolationLevel): PendingTransaction {
  const op: OurOp = OURS[kind];
  return {
    readVersion: READ_VERSION,
    isolationLevel: commitIsolationLevel(tableLevel, op.actions, op.changesData),
    isBlindAppend: op.isBlindAppend,
    read: op.read,
    actions: op.actions,
  };
}

const info = (operation: string, isBlindAppend: boolean, extra: Record<string, unknown> = {}): Action => ({
  kind: 'commitInfo',
  value: { timestamp: 1000, operation, isBlindAppend, ...extra },
});

/** Commits a concurrent writer got in first. */
const WINNERS = {
  appendP1: [info('WRITE', true), add('date=2024-01-01/w-a.parquet', P1)],
  appendP2: [info('WRITE', true), add('date=2024-01-02/w-b.parquet', P2)],
  deleteP1: [info('DELETE', false), remove(f1), add('date=2024-01-01/w-rw.parquet', P1)],
  deleteP2: [info('DELETE', false), remove(f2)],
  // A DELETE that dropped a whole file (every row matched): nothing is rewritten.
  dropF1: [info('DELETE', false), remove(f1)],
  optimizeP1: [
    info('OPTIMIZE', false),
    remove(f1, false),
    remove(f1b, false),
    add('date=2024-01-01/w-compact.parquet', P1, { dataChange: false }),
  ],
  // A MERGE that only inserted: it read the partition, so it is not a blind append.
  mergeInsertP1: [info('MERGE', false), add('date=2024-01-01/w-m.parquet', P1)],
  alterTable: [info('SET TBLPROPERTIES', true), { ...metadata, configuration: { a: 'b' } }],
  protocolUpgrade: [
    info('UPGRADE PROTOCOL', true),
    { ...protocol, writerFeatures: ['deletionVectors', 'rowTracking'] },
  ],
  streamingAppend: [info('STREAMING UPDATE', true), add('date=2024-01-01/w-s.parquet', P1), streamTxn(6)],
} satisfies Record<string, readonly Action[]>;

type WinnerKind = keyof typeof WINNERS;

const winner = (kind: WinnerKind, version = READ_VERSION + 1): WinningCommit => ({
  version,
  actions: WINNERS[kind],
});

type Expected = 'ok' | ConflictReason;

const outcome = (o: ConflictOutcome): string => (o.kind === 'ok' ? 'ok' : o.reason);

/**
 * [ours, winner, at Serializable, at WriteSerializable]. OPTIMIZE is checked at
 * SnapshotIsolation whatever the table says (it changes no data).
 */
const MATRIX: readonly [OurKind, WinnerKind, Expected, Expected][] = [
  // Blind appends read nothing: only table-level changes stop them.
  ['append', 'appendP1', 'ok', 'ok'],
  ['append', 'appendP2', 'ok', 'ok'],
  ['append', 'deleteP1', 'ok', 'ok'],
  ['append', 'optimizeP1', 'ok', 'ok'],
  ['append', 'mergeInsertP1', 'ok', 'ok'],
  ['append', 'streamingAppend', 'ok', 'ok'],
  ['append', 'alterTable', 'MetadataChanged', 'MetadataChanged'],
  ['append', 'protocolUpgrade', 'ProtocolChanged', 'ProtocolChanged'],
  // A delete in one partition: appends there matter (blind ones only when Serializable).
  ['deleteP1', 'appendP1', 'ConcurrentAppend', 'ok'],
  ['deleteP1', 'streamingAppend', 'ConcurrentAppend', 'ok'],
  ['deleteP1', 'mergeInsertP1', 'ConcurrentAppend', 'ConcurrentAppend'],
  ['deleteP1', 'appendP2', 'ok', 'ok'],
  ['deleteP1', 'deleteP2', 'ok', 'ok'],
  // Delta checks appends first: the winner's rewritten file lands in the partition we read.
  ['deleteP1', 'deleteP1', 'ConcurrentAppend', 'ConcurrentAppend'],
  ['deleteP1', 'dropF1', 'ConcurrentDeleteRead', 'ConcurrentDeleteRead'],
  ['deleteP1', 'optimizeP1', 'ConcurrentDeleteRead', 'ConcurrentDeleteRead'],
  ['deleteP1', 'alterTable', 'MetadataChanged', 'MetadataChanged'],
  ['deleteP1', 'protocolUpgrade', 'ProtocolChanged', 'ProtocolChanged'],
  ['deleteP2', 'appendP1', 'ok', 'ok'],
  ['deleteP2', 'mergeInsertP1', 'ok', 'ok'],
  ['deleteP2', 'deleteP1', 'ok', 'ok'],
  ['deleteP2', 'optimizeP1', 'ok', 'ok'],
  // Scanning every partition: any non-blind append conflicts, and so does any delete of a read file.
  ['updateAll', 'appendP1', 'ConcurrentAppend', 'ok'],
  ['updateAll', 'appendP2', 'ConcurrentAppend', 'ok'],
  ['updateAll', 'mergeInsertP1', 'ConcurrentAppend', 'ConcurrentAppend'],
  ['updateAll', 'deleteP2', 'ConcurrentDeleteRead', 'ConcurrentDeleteRead'],
  // OPTIMIZE never conflicts with appends, but does with deletes of the files it compacts.
  ['optimizeP1', 'appendP1', 'ok', 'ok'],
  ['optimizeP1', 'mergeInsertP1', 'ok', 'ok'],
  ['optimizeP1', 'deleteP2', 'ok', 'ok'],
  ['optimizeP1', 'deleteP1', 'ConcurrentDeleteRead', 'ConcurrentDeleteRead'],
  ['optimizeP1', 'optimizeP1', 'ConcurrentDeleteRead', 'ConcurrentDeleteRead'],
  // Removing a file it did not read: only a second delete of that file conflicts.
  ['removeF1', 'deleteP1', 'ConcurrentDeleteDelete', 'ConcurrentDeleteDelete'],
  ['removeF1', 'dropF1', 'ConcurrentDeleteDelete', 'ConcurrentDeleteDelete'],
  ['removeF1', 'optimizeP1', 'ConcurrentDeleteDelete', 'ConcurrentDeleteDelete'],
  ['removeF1', 'deleteP2', 'ok', 'ok'],
  ['removeF1', 'appendP1', 'ok', 'ok'],
  // Metadata changes conflict with metadata changes; our own metadata change alone does not.
  ['alterTable', 'alterTable', 'MetadataChanged', 'MetadataChanged'],
  ['alterTable', 'appendP1', 'ok', 'ok'],
  ['alterTable', 'deleteP1', 'ok', 'ok'],
  // Two writers with the same application id.
  ['streamingAppend', 'streamingAppend', 'ConcurrentTransaction', 'ConcurrentTransaction'],
  ['streamingAppend', 'appendP1', 'ok', 'ok'],
  ['streamingAppend', 'deleteP1', 'ok', 'ok'],
];

describe('conflict matrix', () => {
  it.each(
    MATRIX,
  )('%s losing to %s: Serializable %s, WriteSerializable %s', (o, w, serializable, writeSerializable) => {
    expect(outcome(checkConflict(ours(o, 'Serializable'), winner(w)))).toBe(serializable);
    expect(outcome(checkConflict(ours(o, 'WriteSerializable'), winner(w)))).toBe(writeSerializable);
  });

  it('covers every pair of kinds it names at least once', () => {
    const ourKinds = new Set(MATRIX.map((r) => r[0]));
    const winnerKinds = new Set(MATRIX.map((r) => r[1]));
    expect([...ourKinds].sort()).toEqual(Object.keys(OURS).sort());
    expect([...winnerKinds].sort()).toEqual(Object.keys(WINNERS).sort());
  });

  it('checks OPTIMIZE at snapshot isolation and writes at the table level', () => {
    expect(ours('optimizeP1', 'WriteSerializable').isolationLevel).toBe('SnapshotIsolation');
    expect(ours('optimizeP1', 'Serializable').isolationLevel).toBe('SnapshotIsolation');
    expect(ours('deleteP1', 'Serializable').isolationLevel).toBe('Serializable');
    expect(ours('alterTable', 'Serializable').isolationLevel).toBe('Serializable');
  });

  it('at SnapshotIsolation only deletes conflict', () => {
    const txn: PendingTransaction = {
      ...ours('deleteP1', 'Serializable'),
      isolationLevel: 'SnapshotIsolation',
    };
    expect(outcome(checkConflict(txn, winner('mergeInsertP1')))).toBe('ok');
    expect(outcome(checkConflict(txn, winner('deleteP1')))).toBe('ConcurrentDeleteRead');
  });

  it('under WriteSerializable a metadata change makes blind appends count again', () => {
    const txn: PendingTransaction = {
      ...ours('deleteP1', 'WriteSerializable'),
      actions: [...OURS.deleteP1.actions, { ...metadata, configuration: { c: 'd' } }],
    };
    expect(outcome(checkConflict(txn, winner('appendP1')))).toBe('ConcurrentAppend');
    expect(outcome(checkConflict(txn, winner('appendP2')))).toBe('ok');
  });

  it('a whole-table read conflicts with any delete and any counted append', () => {
    const txn: PendingTransaction = {
      ...ours('deleteP2', 'WriteSerializable'),
      read: { wholeTable: true, files: [] },
    };
    const del = checkConflict(txn, winner('dropF1'));
    expect(outcome(del)).toBe('ConcurrentDeleteRead');
    expect(del.kind === 'conflict' && del.message).toMatch(/read the whole table.*version 11, DELETE/);
    expect(outcome(checkConflict(txn, winner('mergeInsertP1')))).toBe('ConcurrentAppend');
    expect(outcome(checkConflict(txn, winner('appendP1')))).toBe('ok');
  });

  it('ignores dataChange=false adds when looking for appends', () => {
    const compactOnly: WinningCommit = {
      version: 11,
      actions: [
        { kind: 'commitInfo', value: { operation: 'OPTIMIZE', isBlindAppend: false } },
        add('date=2024-01-01/c.parquet', P1, { dataChange: false }),
      ],
    };
    expect(outcome(checkConflict(ours('deleteP1', 'Serializable'), compactOnly))).toBe('ok');
  });

  it('treats a winner without commitInfo as not a blind append', () => {
    const bare: WinningCommit = { version: 11, actions: [add('date=2024-01-01/x.parquet', P1)] };
    const o = checkConflict(ours('deleteP1', 'WriteSerializable'), bare);
    expect(outcome(o)).toBe('ConcurrentAppend');
    expect(o.kind === 'conflict' && o.message).toBe(
      'Files were added to partition [date=2024-01-01] by a concurrent update (version 11). Please try the operation again.',
    );
  });

  it('matches removes to reads by canonical path', () => {
    const spelled: WinningCommit = {
      version: 11,
      actions: [
        { kind: 'commitInfo', value: { operation: 'DELETE' } },
        { ...remove(f1), path: 'date%3D2024-01-01/part-0001.parquet' },
      ],
    };
    expect(outcome(checkConflict(ours('deleteP1', 'WriteSerializable'), spelled))).toBe(
      'ConcurrentDeleteRead',
    );
  });
});

describe('conflict messages and details', () => {
  it('names the partition, version and operation of a concurrent append', () => {
    const o = checkConflict(ours('deleteP1', 'Serializable'), winner('appendP1', 12 - 1));
    expect(o).toMatchObject({
      kind: 'conflict',
      reason: 'ConcurrentAppend',
      winningVersion: 11,
      winningOperation: 'WRITE',
      file: 'date=2024-01-01/w-a.parquet',
      partition: P1,
    });
    expect(o.kind === 'conflict' && o.message).toBe(
      'Files were added to partition [date=2024-01-01] by a concurrent update (version 11, WRITE). Please try the operation again.',
    );
  });

  it('says "the root of the table" for an unpartitioned table', () => {
    const txn: PendingTransaction = {
      readVersion: 4,
      isolationLevel: 'Serializable',
      isBlindAppend: false,
      read: { wholeTable: false, files: [], partitionPredicate: () => true },
      actions: [],
    };
    const o = checkConflict(txn, {
      version: 5,
      actions: [
        { kind: 'commitInfo', value: { operation: 'WRITE', isBlindAppend: true } },
        add('x.parquet', {}),
      ],
    });
    expect(o.kind === 'conflict' && o.message).toBe(
      'Files were added to the root of the table by a concurrent update (version 5, WRITE). Please try the operation again.',
    );
  });

  it('names the deleted file for delete conflicts', () => {
    const read = checkConflict(ours('deleteP1', 'WriteSerializable'), winner('dropF1'));
    expect(read.kind === 'conflict' && read.message).toBe(
      'This transaction attempted to read one or more files that were deleted (for example ' +
        'date=2024-01-01/part-0001.parquet in partition [date=2024-01-01]) by a concurrent update (version 11, DELETE). ' +
        'Please try the operation again.',
    );
    const twice = checkConflict(ours('removeF1', 'WriteSerializable'), winner('optimizeP1'));
    expect(twice).toMatchObject({
      reason: 'ConcurrentDeleteDelete',
      file: f1.path,
      partition: P1,
      winningOperation: 'OPTIMIZE',
    });
    expect(twice.kind === 'conflict' && twice.message).toMatch(
      /^This transaction attempted to delete one or more files/,
    );
  });

  it('names metadata and protocol changes', () => {
    const m = checkConflict(ours('append', 'WriteSerializable'), winner('alterTable'));
    expect(m.kind === 'conflict' && m.message).toBe(
      'The metadata of the Delta table has been changed by a concurrent update (version 11, SET TBLPROPERTIES). Please try the operation again.',
    );
    const p = checkConflict(ours('append', 'WriteSerializable'), winner('protocolUpgrade'));
    expect(p.kind === 'conflict' && p.message).toContain(
      'to reader 3 / writer 7 [deletionVectors, rowTracking]',
    );
  });

  it('reports the application id and both txn versions, and whether our batch already landed', () => {
    const o = checkConflict(ours('streamingAppend', 'WriteSerializable'), winner('streamingAppend'));
    expect(o).toMatchObject({
      reason: 'ConcurrentTransaction',
      appId: 'stream-1',
      winningTxnVersion: 6,
      ourTxnVersion: 6,
    });
    expect(o.kind === 'conflict' && o.message).toContain("'stream-1'");
    expect(o.kind === 'conflict' && isAlreadyCommitted(o)).toBe(true);
    const older: WinningCommit = {
      version: 11,
      actions: [
        { kind: 'commitInfo', value: { operation: 'WRITE' } },
        { kind: 'txn', appId: 'stream-1', version: 5 },
      ],
    };
    const o2 = checkConflict(ours('streamingAppend', 'WriteSerializable'), older);
    expect(o2.kind === 'conflict' && isAlreadyCommitted(o2)).toBe(false);
  });

  it('does not conflict on a different application id', () => {
    const other: WinningCommit = {
      version: 11,
      actions: [
        { kind: 'commitInfo', value: { operation: 'WRITE', isBlindAppend: true } },
        { kind: 'txn', appId: 'stream-2', version: 6 },
      ],
    };
    expect(outcome(checkConflict(ours('streamingAppend', 'Serializable'), other))).toBe('ok');
  });

  it('conflicts on an app id we only looked up', () => {
    const txn: PendingTransaction = { ...ours('append', 'WriteSerializable'), readAppIds: ['stream-1'] };
    const o = checkConflict(txn, winner('streamingAppend'));
    expect(o).toMatchObject({ reason: 'ConcurrentTransaction', appId: 'stream-1' });
    expect(o.kind === 'conflict' && o.ourTxnVersion).toBeUndefined();
  });
});

describe('domain metadata and identity', () => {
  const domain = (name: string, configuration = '{}'): Action => ({
    kind: 'domainMetadata',
    domain: name,
    configuration,
    removed: false,
  });

  it('conflicts when both sides change the same domain, not different ones', () => {
    const txn: PendingTransaction = {
      ...ours('append', 'WriteSerializable'),
      actions: [...OURS.append.actions, domain('delta.clustering')],
    };
    const same: WinningCommit = {
      version: 11,
      actions: [{ kind: 'commitInfo', value: { operation: 'CLUSTER BY' } }, domain('delta.clustering')],
    };
    const other: WinningCommit = {
      version: 11,
      actions: [{ kind: 'commitInfo', value: { operation: 'X' } }, domain('app.settings')],
    };
    const o = checkConflict(txn, same);
    expect(o).toMatchObject({
      reason: 'ConcurrentDomainMetadata',
      domain: 'delta.clustering',
      winningVersion: 11,
    });
    expect(o.kind === 'conflict' && o.message).toContain("'delta.clustering'");
    expect(outcome(checkConflict(txn, other))).toBe('ok');
  });

  it('tolerates an identity-only metadata update unless we change metadata too', () => {
    const identity: WinningCommit = {
      version: 11,
      actions: [
        {
          kind: 'commitInfo',
          value: { operation: 'WRITE', isBlindAppend: true, tags: { 'delta.identity.schemaUpdate': 'true' } },
        },
        { ...metadata, configuration: { hwm: '1' } },
      ],
    };
    const ok = checkConflict(ours('deleteP2', 'WriteSerializable'), identity);
    expect(ok.kind).toBe('ok');
    expect(ok.kind === 'ok' && ok.notes).toEqual([
      { kind: 'identityHighWaterMarkTolerated', winningVersion: 11 },
    ]);
    expect(outcome(checkConflict(ours('alterTable', 'WriteSerializable'), identity))).toBe('MetadataChanged');
  });
});

describe('checking several winners', () => {
  it('rebases through every winner and commits after the last', () => {
    const o = checkConflicts(ours('deleteP1', 'WriteSerializable'), [
      winner('appendP1', 11),
      winner('deleteP2', 12),
      winner('appendP2', 13),
    ]);
    expect(o).toMatchObject({ kind: 'ok', checkedVersion: 13, commitVersion: 14 });
    expect(o.kind === 'ok' && o.transaction.readVersion).toBe(13);
    expect(o.kind === 'ok' && o.transaction.actions).toEqual(OURS.deleteP1.actions);
  });

  it('stops at the first conflicting winner and names it', () => {
    const o = checkConflicts(ours('deleteP1', 'WriteSerializable'), [
      winner('appendP1', 11),
      winner('appendP2', 12),
      winner('dropF1', 13),
      winner('alterTable', 14),
    ]);
    expect(o).toMatchObject({ kind: 'conflict', reason: 'ConcurrentDeleteRead', winningVersion: 13 });
  });

  it('with no winners is ok at the next version', () => {
    expect(checkConflicts(ours('append', 'Serializable'), [])).toMatchObject({
      kind: 'ok',
      commitVersion: 11,
      notes: [],
    });
  });

  it('refuses a gap in the winning versions', () => {
    expect(() => checkConflicts(ours('append', 'Serializable'), [winner('appendP1', 12)])).toThrow(
      /expected the commit at version 11, got 12/,
    );
    expect(() =>
      checkConflicts(ours('append', 'Serializable'), [winner('appendP1', 11), winner('appendP2', 13)]),
    ).toThrow(/version 12, got 13/);
  });
});
