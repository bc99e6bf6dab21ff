// Auto-optimize: optimized writes make fewer files; auto compaction bin-packs the small files of
// the touched partitions after the N-th small append, keeps the data identical, is recorded as an
// automatic OPTIMIZE, and never fails the write (neither when it fails nor when a writer races it).
import { type CommitInfo, DataType } from '@loch/delta';
import type { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { describe, expect, it } from 'vitest';
import { autoCompactSettings, DEFAULT_MIN_NUM_FILES, optimizedWrite } from './auto-optimize.js';
import type { DeltaTable } from './delta-table.js';
import { TableHandle } from './table-handle.js';
import {
  commitActions,
  contextFor,
  dataFilesIn,
  plain,
  removeDir,
  tableAt,
  tempDir,
  useTableFixture,
} from './test-helpers.test-util.js';
import { writeTable } from './write.js';

const fx = useTableFixture();

const rowsOf = async (table: DeltaTable = fx.table): Promise<Record<string, unknown>[]> =>
  plain(await table.toArray({ orderBy: ['id'] }));

const infoOf = async (version: number): Promise<Record<string, unknown>> => {
  const info = (await commitActions(fx.dir, version)).find((a): a is CommitInfo => a.kind === 'commitInfo');
  return info!.value;
};

const batch = (i: number, per = 10): string =>
  `SELECT range::BIGINT AS id, (range % 2)::INT AS p, 'row ' || range AS s FROM range(${i * per}, ${(i + 1) * per})`;

/** An engine whose compaction writes (OPTIMIZE reads each bin as `__bin`) run `onCompact` first. */
function compactionHooked(onCompact: () => Promise<void>): DuckEngine {
  return new Proxy(fx.engine, {
    get(target, prop) {
      if (prop === 'writeParquet') {
        return async (...args: Parameters<DuckEngine['writeParquet']>) => {
          if (args[0].includes('__bin')) await onCompact();
          return target.writeParquet(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('settings', () => {
  it('reads the min file count and size overrides, with Databricks defaults', () => {
    expect(autoCompactSettings({})).toEqual({ minNumFiles: DEFAULT_MIN_NUM_FILES, maxFileSize: 134_217_728 });
    expect(
      autoCompactSettings({ 'loch.autoCompact.minNumFiles': '3', 'loch.autoCompact.maxFileSize': '1mb' }),
    ).toEqual({ minNumFiles: 3, maxFileSize: 1_048_576 });
    expect(autoCompactSettings({ 'loch.autoCompact.minNumFiles': 'x' }).minNumFiles).toBe(50);
  });

  it('leaves a write alone unless optimizeWrite is on', () => {
    const target = {
      schema: DataType.struct([]),
      partitionColumns: ['p'],
      columnMappingMode: 'none' as const,
      configuration: {},
    };
    expect(optimizedWrite('SELECT 1', target)).toEqual({ sql: 'SELECT 1', options: {} });
    const on = { ...target, configuration: { 'delta.autoOptimize.optimizeWrite': 'true' } };
    expect(optimizedWrite('SELECT 1', on).sql).toContain('ORDER BY "p"');
    expect(optimizedWrite('SELECT 1', { ...on, partitionColumns: [] }).options).toEqual({
      targetFileSize: 134_217_728,
    });
  });
});

describe('optimizeWrite', () => {
  it('writes one file per partition where a plain write spans more files', async () => {
    // More partitions than DuckDB keeps files open (100), rows in no partition order, and more
    // rows than it buffers before flushing (512k): a plain write reopens files per partition.
    const sql = `SELECT range::BIGINT AS id, (hash(range) % 300)::INT AS p FROM range(1000000)`;
    const plainDir = await tempDir();
    try {
      const plainTable = tableAt(fx.ctx, plainDir);
      const a = await plainTable.write(sql, { mode: 'append', partitionBy: ['p'] });
      const b = await fx.table.write(sql, {
        mode: 'append',
        partitionBy: ['p'],
        properties: { 'delta.autoOptimize.optimizeWrite': 'true' },
      });
      expect(b.numFiles).toBe(300);
      expect(a.numFiles).toBeGreaterThan(b.numFiles);
      const digest = async (table: DeltaTable) =>
        (
          await fx.engine.query(`SELECT count(*), sum(id), sum(p * id) FROM (${await table.scanSql()})`)
        ).rows.map((r) => r.map(String));
      expect(await digest(fx.table)).toEqual(await digest(plainTable));
    } finally {
      await removeDir(plainDir);
    }
  });

  it('rolls unpartitioned writes over at delta.targetFileSize', async () => {
    const sql = `SELECT range::BIGINT AS id, md5(range::VARCHAR) AS s FROM range(400000)`;
    const r = await fx.table.write(sql, {
      mode: 'append',
      properties: { 'delta.autoOptimize.optimizeWrite': 'true', 'delta.targetFileSize': '64kb' },
    });
    expect(r.numFiles).toBeGreaterThan(1);
    expect(r.numOutputRows).toBe(400000);
    expect((await fx.table.snapshot()).files).toHaveLength(r.numFiles);
  });
});

describe('autoCompact', () => {
  const props = { 'delta.autoOptimize.autoCompact': 'true', 'loch.autoCompact.minNumFiles': '5' };

  it('compacts after the N-th small append, recorded as an automatic OPTIMIZE, data identical', async () => {
    await fx.table.write(batch(0), { mode: 'append', properties: props });
    for (let i = 1; i < 4; i++) await fx.table.write(batch(i), { mode: 'append' });
    expect((await fx.table.snapshot()).files).toHaveLength(4);
    const before = await rowsOf();
    const r = await fx.table.write(batch(4), { mode: 'append' });
    expect(r.version).toBe(4);
    const after = await fx.table.snapshot();
    expect(after.version).toBe(5);
    expect(after.files).toHaveLength(1);
    const info = await infoOf(5);
    expect(info.operation).toBe('OPTIMIZE');
    expect(info.operationParameters).toMatchObject({ auto: 'true' });
    expect((await rowsOf()).map((row) => row.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // The files just compacted are tombstoned, not deleted: time travel before it still works.
    expect(plain(await fx.table.toArray({ orderBy: ['id'], at: { version: 3 } }))).toEqual(before);
  });

  it('compacts only the partitions the write touched', async () => {
    await fx.table.write(batch(0), { mode: 'append', partitionBy: ['p'], properties: props });
    for (let i = 1; i < 4; i++) await fx.table.write(batch(i), { mode: 'append' });
    expect((await fx.table.snapshot()).files).toHaveLength(8);
    // Only partition p=1 reaches 5 small files (the threshold is per partition).
    await fx.table.write(`SELECT 1001::BIGINT AS id, 1 AS p, 'one' AS s`, { mode: 'append' });
    const files = (await fx.table.snapshot()).files;
    expect(files.filter((f) => f.partitionValues.p === '1')).toHaveLength(1);
    expect(files.filter((f) => f.partitionValues.p === '0')).toHaveLength(4);
    expect(await rowsOf()).toHaveLength(41);
  });

  it('does nothing when disabled', async () => {
    for (let i = 0; i < 6; i++) await fx.table.write(batch(i), { mode: 'append' });
    expect((await fx.table.snapshot()).files).toHaveLength(6);
    expect((await fx.table.snapshot()).version).toBe(5);
  });

  it('a failing compaction does not fail the write', async () => {
    const failing = compactionHooked(async () => {
      throw new Error('disk full (injected)');
    });
    const h = new TableHandle(contextFor(failing), await openStore(fx.dir));
    await writeTable(h, batch(0), { mode: 'append', properties: props });
    for (let i = 1; i < 5; i++) await writeTable(h, batch(i), { mode: 'append' });
    expect(String(h.lastAutoCompactError)).toContain('disk full (injected)');
    const s = await fx.table.snapshot();
    expect(s.version).toBe(4);
    expect(s.files).toHaveLength(5);
    expect(await rowsOf()).toHaveLength(50);
    // No orphan from the failed compaction.
    expect(await dataFilesIn(fx.dir)).toHaveLength(5);
  });

  // Databricks runs auto compaction after every successful write, DML included.
  const dml: Array<[string, () => Promise<unknown>]> = [
    ['DELETE', () => fx.table.delete('id = 3')],
    ['UPDATE', () => fx.table.update({ s: "'changed'" }, 'id = 13')],
    [
      'MERGE',
      () =>
        fx.table
          .merge("SELECT 23::BIGINT AS id, 1 AS p, 'merged' AS s", 'target.id = source.id')
          .whenMatchedUpdateAll()
          .execute(),
    ],
  ];
  for (const [operation, run] of dml) {
    it(`compacts after ${operation} too`, async () => {
      // Five small files written while auto compaction was off, then switched on.
      for (let i = 0; i < 5; i++) await fx.table.write(batch(i), { mode: 'append' });
      await fx.table.alter({ kind: 'setProperties', properties: props });
      expect((await fx.table.snapshot()).files).toHaveLength(5);
      const expected = (await rowsOf()).filter((row) => row.id !== (operation === 'DELETE' ? 3 : -1));
      await run();
      const s = await fx.table.snapshot();
      // v5 the property change, v6 the DML, v7 the compaction.
      expect(s.version).toBe(7);
      expect((await infoOf(6)).operation).toBe(operation);
      const info = await infoOf(7);
      expect(info.operation).toBe('OPTIMIZE');
      expect(info.operationParameters).toMatchObject({ auto: 'true' });
      expect(s.files).toHaveLength(1);
      const rows = await rowsOf();
      expect(rows.map((row) => row.id)).toEqual(expected.map((row) => row.id));
      if (operation !== 'DELETE') {
        const id = operation === 'UPDATE' ? 13 : 23;
        expect(rows.find((row) => row.id === id)?.s).toBe(operation === 'UPDATE' ? 'changed' : 'merged');
      }
    });
  }

  it('a concurrent append during compaction fails neither side', async () => {
    let raced = false;
    // The racing append goes to a partition of its own, below the threshold: it does not compact.
    const racing = compactionHooked(async () => {
      if (raced) return;
      raced = true;
      await fx.table.write(`SELECT 999::BIGINT AS id, 7 AS p, 'late' AS s`, { mode: 'append' });
    });
    const h = new TableHandle(contextFor(racing), await openStore(fx.dir));
    await writeTable(h, batch(0), { mode: 'append', partitionBy: ['p'], properties: props });
    for (let i = 1; i < 5; i++) await writeTable(h, batch(i), { mode: 'append' });
    expect(raced).toBe(true);
    expect(h.lastAutoCompactError).toBeUndefined();
    const s = await fx.table.snapshot();
    // v4 the 5th append, v5 the racing append, v6 the compaction rebased past it.
    expect(s.version).toBe(6);
    expect((await infoOf(6)).operation).toBe('OPTIMIZE');
    expect(s.files).toHaveLength(3);
    expect((await rowsOf()).map((row) => row.id)).toEqual([...Array.from({ length: 50 }, (_, i) => i), 999]);
  });
});
