// VACUUM on local tables with a fixed clock and file times set by hand: the retention rules,
// the safety check, DRY RUN, deletion-vector files, hidden files and the START/END commits.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import {
  type AddFile,
  type CommitInfo,
  encodeDeletionVectorFile,
  newDeletionVectorDescriptor,
} from '@loch/delta';
import { openStore } from '@loch/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { commit } from './commit.js';
import { removeFor } from './file-actions.js';
import { TableHandle } from './table-handle.js';
import {
  commitActions,
  dataFilesIn,
  expectDeltaError,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const fx = useTableFixture({ now: () => clock });

let t0: number;
let clock: number;
beforeEach(() => {
  t0 = Date.now();
  clock = t0;
});

/** Sets the modification time of table-relative files. */
async function age(paths: readonly string[], mtime: number): Promise<void> {
  for (const p of paths) await fs.utimes(nodePath.join(fx.dir, p), mtime / 1000, mtime / 1000);
}

const writeFile = async (rel: string, mtime: number): Promise<void> => {
  await fs.mkdir(nodePath.dirname(nodePath.join(fx.dir, rel)), { recursive: true });
  await fs.writeFile(nodePath.join(fx.dir, rel), 'x');
  await age([rel], mtime);
};

const livePaths = async (): Promise<string[]> =>
  (await fx.table.snapshot()).files.map((f) => decodeURIComponent(f.path));

/** v0: 3 rows; v1 (one hour later): an overwrite that tombstones v0's files. */
async function tableWithTombstone(): Promise<{ old: string[]; live: string[] }> {
  await fx.table.write(`SELECT range AS id FROM range(3)`, { mode: 'append' });
  const old = await livePaths();
  clock = t0 + HOUR;
  await fx.table.write(`SELECT range AS id FROM range(5)`, { mode: 'overwrite' });
  const live = await livePaths();
  // Written long before: only the log (not the mtime guard) protects them.
  await age([...old, ...live], t0 - 30 * DAY);
  return { old, live };
}

const infoOf = async (version: number): Promise<Record<string, unknown>> =>
  (await commitActions(fx.dir, version)).find((a): a is CommitInfo => a.kind === 'commitInfo')!.value;

describe('VACUUM', () => {
  it('keeps files removed inside the retention, deletes them after it', async () => {
    const { old, live } = await tableWithTombstone();
    clock = t0 + 2 * DAY;
    const kept = await fx.table.vacuum();
    expect(kept).toMatchObject({ numDeletedFiles: 0, numFilesToDelete: 0 });
    expect(await dataFilesIn(fx.dir)).toEqual([...old, ...live].sort());
    expect(await fx.table.toArray({ at: { version: 0 } })).toHaveLength(3);

    clock = t0 + HOUR + 7 * DAY + 1;
    const r = await fx.table.vacuum();
    expect(r.numDeletedFiles).toBe(old.length);
    expect(r.files.map((f) => nodePath.relative(fx.dir, f)).sort()).toEqual([...old].sort());
    expect(await dataFilesIn(fx.dir)).toEqual([...live].sort());
    expect(await fx.table.toArray()).toHaveLength(5);
  });

  it('records VACUUM START and VACUUM END commits as Databricks does', async () => {
    const { old } = await tableWithTombstone();
    clock = t0 + 10 * DAY;
    const r = await fx.table.vacuum();
    expect(r).toMatchObject({ startVersion: 2, endVersion: 3 });
    const start = await infoOf(2);
    expect(start).toMatchObject({
      operation: 'VACUUM START',
      operationParameters: { retentionCheckEnabled: true, defaultRetentionMillis: 7 * DAY },
      operationMetrics: { numFilesToDelete: String(old.length) },
    });
    expect(start.operationParameters).not.toHaveProperty('specifiedRetentionMillis');
    expect(Number((start.operationMetrics as Record<string, string>).sizeOfDataToDelete)).toBeGreaterThan(0);
    const end = await infoOf(3);
    expect(end).toMatchObject({
      operation: 'VACUUM END',
      operationParameters: { status: 'COMPLETED' },
      operationMetrics: { numDeletedFiles: String(old.length) },
    });
    // Only commitInfo in each: the table's files are untouched by the log.
    expect(await commitActions(fx.dir, 2)).toHaveLength(1);
  });

  it('refuses a retention under the table setting unless the check is off', async () => {
    const { old, live } = await tableWithTombstone();
    clock = t0 + 2 * DAY;
    const e = await expectDeltaError(fx.table.vacuum({ retentionHours: 1 }), 'INVALID_ARGUMENT');
    expect(e.message).toContain('spark.databricks.delta.retentionDurationCheck.enabled = false');
    expect(e.message).toContain('"168 hours"');
    const r = await fx.table.vacuum({ retentionHours: 1, enforceRetention: false });
    expect(r.numDeletedFiles).toBe(old.length);
    expect(await dataFilesIn(fx.dir)).toEqual([...live].sort());
    expect((await infoOf(r.startVersion!)).operationParameters).toMatchObject({
      retentionCheckEnabled: false,
      specifiedRetentionMillis: HOUR,
    });
    // A table that asks for a short retention allows it without the override.
    await fx.table.alter({
      kind: 'setProperties',
      properties: { 'delta.deletedFileRetentionDuration': 'interval 1 hours' },
    });
    await expect(fx.table.vacuum({ retentionHours: 1 })).resolves.toMatchObject({ numDeletedFiles: 0 });
  });

  it('DRY RUN lists what would go and deletes nothing, commits nothing', async () => {
    const { old, live } = await tableWithTombstone();
    clock = t0 + 30 * DAY;
    const r = await fx.table.vacuum({ dryRun: true });
    expect(r).toMatchObject({ dryRun: true, numFilesToDelete: old.length, numDeletedFiles: 0 });
    expect(r.files.map((f) => nodePath.relative(fx.dir, f)).sort()).toEqual([...old].sort());
    expect(await dataFilesIn(fx.dir)).toEqual([...old, ...live].sort());
    expect((await fx.table.snapshot()).version).toBe(1);
  });

  it('never deletes fresh uncommitted files, hidden files or the log', async () => {
    const { live } = await tableWithTombstone();
    clock = t0 + 30 * DAY;
    // A concurrent writer's file, written an hour ago and not committed yet.
    await writeFile('part-00000-fresh.snappy.parquet', clock - HOUR);
    // Old orphans: one at the root, one in a partition-looking directory (which then goes too).
    await writeFile('part-00000-orphan.snappy.parquet', t0);
    await writeFile('q=1/part-00000-orphan.snappy.parquet', t0);
    // Hidden names Delta never lists.
    for (const hidden of ['_SUCCESS', '.part-1.parquet.crc', '_tmp/part-0.parquet', '.x.parquet.ab12.tmp']) {
      await writeFile(hidden, t0);
    }
    await age(['_delta_log/00000000000000000000.json'], t0);
    const r = await fx.table.vacuum();
    expect(r.files.map((f) => nodePath.relative(fx.dir, f)).sort()).toEqual(
      expect.arrayContaining([
        'part-00000-orphan.snappy.parquet',
        nodePath.join('q=1', 'part-00000-orphan.snappy.parquet'),
      ]),
    );
    const left = await dataFilesIn(fx.dir);
    expect(left).toEqual(
      expect.arrayContaining([
        'part-00000-fresh.snappy.parquet',
        '_SUCCESS',
        '.part-1.parquet.crc',
        '_tmp/part-0.parquet',
        '.x.parquet.ab12.tmp',
        ...live,
      ]),
    );
    expect(left).not.toContain('part-00000-orphan.snappy.parquet');
    expect(r.numVacuumedDirectories).toBe(1);
    await expect(fs.stat(nodePath.join(fx.dir, 'q=1'))).rejects.toThrow();
    await expect(
      fs.stat(nodePath.join(fx.dir, '_delta_log', '00000000000000000000.json')),
    ).resolves.toBeTruthy();
  });

  it("removes a crashed writer's _loch_staging_ directory once older than the retention", async () => {
    const { old: tombstoned, live } = await tableWithTombstone();
    clock = t0 + 30 * DAY;
    const crashed = `_loch_staging_${randomUUID()}`;
    const emptyCrashed = `_loch_staging_${randomUUID()}`;
    const writing = `_loch_staging_${randomUUID()}`;
    // A writer that died a month ago mid-write: files (hidden ones too) in partition directories.
    const old = [
      `${crashed}/part-0.zstd.parquet`,
      `${crashed}/__loch_p0=1/part-1.zstd.parquet`,
      `${crashed}/.part-1.zstd.parquet.crc`,
    ];
    for (const f of old) await writeFile(f, t0);
    // One that died before writing a file: only (nested) empty directories.
    await fs.mkdir(nodePath.join(fx.dir, emptyCrashed, '__loch_p0=2'), { recursive: true });
    await age([`${emptyCrashed}/__loch_p0=2`, emptyCrashed], t0);
    // A writer busy right now: its files are minutes old.
    await writeFile(`${writing}/part-0.zstd.parquet`, clock - 60_000);
    // Another engine's hidden staging directory is never touched, as in Spark.
    await writeFile('_temporary/0/part-0.parquet', t0);

    const dry = await fx.table.vacuum({ dryRun: true });
    expect(dry.files.map((f) => nodePath.relative(fx.dir, f)).sort()).toEqual(
      [...tombstoned, ...old].map((f) => nodePath.join(...f.split('/'))).sort(),
    );
    const r = await fx.table.vacuum();
    expect(r.numDeletedFiles).toBe(tombstoned.length + old.length);
    const entries = await fs.readdir(fx.dir);
    expect(entries).not.toContain(crashed);
    expect(entries).not.toContain(emptyCrashed);
    expect(await dataFilesIn(fx.dir)).toEqual(
      [`${writing}/part-0.zstd.parquet`, '_temporary/0/part-0.parquet', ...live].sort(),
    );
    // crashed, its partition directory, emptyCrashed and its partition directory.
    expect(r.numVacuumedDirectories).toBe(4);
  });

  it('vacuums deletion-vector files by the same rule', async () => {
    await fx.table.write(`SELECT range AS id FROM range(10)`, {
      mode: 'append',
      properties: { 'delta.enableDeletionVectors': 'true' },
    });
    const h = new TableHandle(fx.ctx, await openStore(fx.table.url));
    const addDv = async (rows: number[]): Promise<string> => {
      const s = await h.require();
      const add = s.files[0] as AddFile;
      const encoded = encodeDeletionVectorFile(rows);
      const uuid = randomUUID();
      const name = `deletion_vector_${uuid}.bin`;
      await fs.writeFile(nodePath.join(fx.dir, name), encoded.bytes);
      await commit(h, {
        operation: 'DELETE',
        operationParameters: {},
        actions: [
          removeFor(add, clock),
          { ...add, deletionVector: newDeletionVectorDescriptor({ uuid, ...encoded }) },
        ],
        readSnapshot: s,
        isBlindAppend: false,
      });
      return name;
    };
    const first = await addDv([1]);
    clock = t0 + HOUR;
    const second = await addDv([1, 2]);
    await age(await dataFilesIn(fx.dir), t0);
    await writeFile('deletion_vector_00000000-0000-0000-0000-000000000000.bin', t0 - 30 * DAY);
    clock = t0 + 2 * DAY;
    // Inside the retention both DVs are referenced (live, and by a young tombstone).
    const inside = await fx.table.vacuum({ dryRun: true });
    expect(inside.files.map((f) => nodePath.basename(f))).toEqual([
      'deletion_vector_00000000-0000-0000-0000-000000000000.bin',
    ]);
    clock = t0 + HOUR + 8 * DAY;
    const r = await fx.table.vacuum();
    expect(r.files.map((f) => nodePath.basename(f)).sort()).toEqual(
      ['deletion_vector_00000000-0000-0000-0000-000000000000.bin', first].sort(),
    );
    expect(await dataFilesIn(fx.dir)).toContain(second);
    expect((await fx.table.toArray()).length).toBe(8);
  });

  it('time travel to a vacuumed version fails naming the missing file and VACUUM', async () => {
    const { old } = await tableWithTombstone();
    clock = t0 + 10 * DAY;
    await fx.table.vacuum();
    const e = await expectDeltaError(fx.table.toArray({ at: { version: 0 } }), 'FILE_NOT_FOUND');
    expect(e.message).toContain(old[0]!);
    expect(e.message).toMatch(/VACUUM/);
  });

  it('time travel outside the retention fails naming the version and the retention', async () => {
    const { old } = await tableWithTombstone();
    // Inside the retention: version 0 still reads.
    clock = t0 + 2 * DAY;
    await fx.table.vacuum();
    expect(await fx.table.toArray({ at: { version: 0 } })).toHaveLength(3);
    clock = t0 + 10 * DAY;
    await fx.table.vacuum();
    const e = await expectDeltaError(fx.table.scanSql({ at: { version: 0 } }), 'FILE_NOT_FOUND');
    expect(e.message).toContain('version 0');
    expect(e.message).toContain('delta.deletedFileRetentionDuration = 168 hours');
    expect(e.message).toContain(old[0]!);
    // The latest version reads, with no existence checks on its files.
    expect(await fx.table.toArray()).toHaveLength(5);
  });

  it('a retention longer than the table setting keeps tombstones the snapshot no longer holds', async () => {
    const { old } = await tableWithTombstone();
    clock = t0 + 3 * HOUR;
    await fx.table.alter({
      kind: 'setProperties',
      properties: { 'delta.deletedFileRetentionDuration': 'interval 1 hours' },
    });
    await age(['_delta_log/00000000000000000001.json'], t0 + HOUR);
    await age(['_delta_log/00000000000000000002.json'], t0 + 3 * HOUR);
    // A fresh handle: the snapshot is dated by the aged commit file and has dropped the tombstone.
    const fresh = tableAt(fx.ctx, fx.dir);
    expect((await fresh.snapshot()).tombstones).toHaveLength(0);
    expect((await fresh.vacuum({ retentionHours: 24, dryRun: true })).files).toEqual([]);
    expect((await fresh.vacuum({ dryRun: true })).files).toHaveLength(old.length);
  });
});
