import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseScript } from './parser.js';
import { useSqlSession } from './test-session.test-util.js';

describe('parsing', () => {
  it('parses OPTIMIZE with and without WHERE', () => {
    expect(parseScript('OPTIMIZE delta.`/t`')).toEqual([{ kind: 'optimize', table: { location: '/t' } }]);
    const [s] = parseScript("OPTIMIZE delta.`/t` WHERE p = 'a' AND (q > 1);");
    expect(s).toMatchObject({ kind: 'optimize', where: { sql: "p = 'a' AND (q > 1)" } });
  });

  it('parses ZORDER BY with and without parentheses, after WHERE', () => {
    expect(parseScript('OPTIMIZE delta.`/t` ZORDER BY (a, b.c)')).toEqual([
      { kind: 'optimize', table: { location: '/t' }, zOrderBy: ['a', 'b.c'] },
    ]);
    expect(parseScript("OPTIMIZE delta.`/t` WHERE p = 'x' ZORDER BY a, b")[0]).toMatchObject({
      where: { sql: "p = 'x'" },
      zOrderBy: ['a', 'b'],
    });
    expect(() => parseScript('OPTIMIZE delta.`/t` ZORDER BY ()')).toThrow();
  });

  it('parses VACUUM options', () => {
    expect(parseScript('VACUUM delta.`/t` RETAIN 24 HOURS DRY RUN')).toEqual([
      { kind: 'vacuum', table: { location: '/t' }, retainHours: 24, dryRun: true },
    ]);
    expect(parseScript('VACUUM delta.`/t`')).toEqual([
      { kind: 'vacuum', table: { location: '/t' }, dryRun: false },
    ]);
    // DuckDB's own VACUUM stays DuckDB's.
    expect(parseScript('VACUUM ANALYZE')[0]!.kind).toBe('query');
  });

  it('keeps the retention check setting and passes other SETs to DuckDB', () => {
    expect(parseScript('SET spark.databricks.delta.retentionDurationCheck.enabled = FALSE')).toEqual([
      { kind: 'setSession', key: 'spark.databricks.delta.retentionDurationCheck.enabled', value: 'false' },
    ]);
    expect(parseScript('SET threads = 2')[0]!.kind).toBe('query');
    expect(() => parseScript('SET spark.databricks.delta.retentionDurationCheck.enabled = maybe')).toThrow(
      /true or false/,
    );
  });
});

let clock = Date.now();
const fx = useSqlSession({ prefix: 'loch-sql-maint-', now: () => clock });
const { rows } = fx;

describe('OPTIMIZE and VACUUM through SqlSession', () => {
  it('OPTIMIZE returns path and metrics, WHERE must use partition columns', async () => {
    await fx.session.execute(`
      CREATE TABLE delta.\`o\` PARTITIONED BY (p) AS SELECT i::INTEGER AS id, (i % 2)::INTEGER AS p FROM range(4) r(i);
      INSERT INTO delta.\`o\` VALUES (10, 0), (11, 1);
      INSERT INTO delta.\`o\` VALUES (12, 0);`);
    const before = await rows('SELECT id FROM delta.`o` ORDER BY id');
    const err = await fx.session.execute('OPTIMIZE delta.`o` WHERE id > 1').catch((e: unknown) => e);
    expect(isSqlError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toContain("non-partition column 'id'");
    const [r] = await rows('OPTIMIZE delta.`o` WHERE p = 0');
    expect(String(r!.path)).toMatch(/\/o$/);
    // DuckDB struct values carry their fields in `entries`.
    const metrics = JSON.parse(
      JSON.stringify(r!.metrics, (_k, v) =>
        typeof v === 'bigint'
          ? Number(v)
          : v !== null && typeof v === 'object' && 'entries' in v
            ? v.entries
            : v,
      ),
    );
    expect(metrics).toMatchObject({
      numFilesAdded: 1,
      numFilesRemoved: 3,
      partitionsOptimized: 1,
      numBatches: 1,
    });
    expect(metrics.filesRemoved).toMatchObject({ totalFiles: 3 });
    expect(await rows('SELECT id FROM delta.`o` ORDER BY id')).toEqual(before);
    const history = await rows('DESCRIBE HISTORY delta.`o` LIMIT 1');
    expect(history[0]).toMatchObject({ operation: 'OPTIMIZE' });
  });

  it('VACUUM: the retention check, SET to disable it, DRY RUN, then time travel fails clearly', async () => {
    await fx.session.execute(`
      CREATE TABLE delta.\`v\` AS SELECT i::INTEGER AS id FROM range(3) r(i);
      INSERT OVERWRITE delta.\`v\` SELECT 7;`);
    clock += 2 * 3_600_000;
    const err = await fx.session.execute('VACUUM delta.`v` RETAIN 0 HOURS').catch((e: unknown) => e);
    expect(isSqlError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toContain('spark.databricks.delta.retentionDurationCheck.enabled = false');

    await fx.session.execute('SET spark.databricks.delta.retentionDurationCheck.enabled = false');
    const dry = await rows('VACUUM delta.`v` RETAIN 0 HOURS DRY RUN');
    expect(dry).toHaveLength(1);
    expect(String(dry[0]!.path)).toMatch(/part-.*\.parquet$/);
    expect(await rows('SELECT count(*) AS n FROM delta.`v` VERSION AS OF 0')).toEqual([{ n: 3n }]);

    const done = await rows('VACUUM delta.`v` RETAIN 0 HOURS');
    expect(done).toEqual([{ path: expect.stringMatching(/\/v$/), numDeletedFiles: 1n }]);
    expect(await rows('SELECT id FROM delta.`v`')).toEqual([{ id: 7 }]);
    const gone = await fx.session.execute('SELECT * FROM delta.`v` VERSION AS OF 0').catch((e: unknown) => e);
    expect(isSqlError(gone, 'IO_ERROR')).toBe(true);
    expect((gone as Error).message).toMatch(
      /FILE_NOT_FOUND: cannot read version 0: its data file '.*part-.*' .*VACUUM.*delta\.deletedFileRetentionDuration/s,
    );
    const ops = (await rows('DESCRIBE HISTORY delta.`v`')).map((h) => h.operation);
    expect(ops.slice(0, 2)).toEqual(['VACUUM END', 'VACUUM START']);
    await fx.session.execute('SET spark.databricks.delta.retentionDurationCheck.enabled = true');
  });
});
