// DeltaTable.scan: the scan relation restricted by a skipping filter, with pruning metrics.
import { Expr } from '@loch/delta';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture({ scope: 'file' });

beforeAll(async () => {
  for (let k = 0; k < 4; k++) {
    await fx.table.write(`SELECT (${k * 10} + i)::BIGINT AS id FROM range(10) r(i)`, { mode: 'append' });
  }
});

const ids = async (sql: string): Promise<bigint[]> =>
  (await fx.engine.query(`SELECT id FROM (${sql}) ORDER BY id`)).rows.map((r) => r[0] as bigint);

describe('DeltaTable.scan', () => {
  // Whole files: the filter prunes files, the query itself still filters rows.
  it('keeps only the files a filter may match and counts them', async () => {
    const { sql, metrics } = await fx.table.scan({ filter: Expr.ge(Expr.col('id'), Expr.lit(25)) });
    expect(await ids(sql)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(20 + i)));
    expect(metrics).toMatchObject({ version: 3, filesTotal: 4, filesScanned: 2 });
    expect(metrics.bytesScanned).toBeLessThan(metrics.bytesTotal);
    expect(metrics.filter).toBeDefined();
  });

  it('builds the filter from the scanned snapshot, at a version', async () => {
    let seen = -1;
    const { metrics } = await fx.table.scan({
      at: { version: 1 },
      filter: (s) => {
        seen = s.version;
        return Expr.lt(Expr.col('id'), Expr.lit(5));
      },
    });
    expect(seen).toBe(1);
    expect(metrics).toMatchObject({ version: 1, filesTotal: 2, filesScanned: 1 });
  });

  it('scans every file without a filter or when building it fails', async () => {
    const plain = await fx.table.scan();
    expect(plain.metrics).toMatchObject({ filesTotal: 4, filesScanned: 4 });
    expect(plain.metrics.filter).toBeUndefined();
    expect(plain.sql).toBe(await fx.table.scanSql());
    const failing = await fx.table.scan({
      filter: () => {
        throw new Error('no');
      },
    });
    expect(failing.metrics.filesScanned).toBe(4);
    expect((await ids(failing.sql)).length).toBe(40);
  });

  it('returns an empty relation when no file can match', async () => {
    const { sql, metrics } = await fx.table.scan({ filter: Expr.gt(Expr.col('id'), Expr.lit(1000)) });
    expect(metrics).toMatchObject({ filesScanned: 0, bytesScanned: 0 });
    expect(await ids(sql)).toEqual([]);
  });
});
