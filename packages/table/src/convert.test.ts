import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { DataType } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { commitActions, tableAt, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture({ scope: 'file' });

describe('convertFromParquet', () => {
  it('converts an unpartitioned directory in place, with stats', async () => {
    const root = nodePath.join(fx.dir, 'plain');
    await fs.mkdir(root);
    await fx.engine.run(
      `COPY (SELECT i::INTEGER AS id, 'n' || i AS name FROM range(3) r(i)) TO '${root}/a.parquet' (FORMAT parquet)`,
    );
    await fx.engine.run(
      `COPY (SELECT 7::INTEGER AS id, NULL::VARCHAR AS name) TO '${root}/b.parquet' (FORMAT parquet)`,
    );
    const t = tableAt(fx.ctx, root);
    const r = await t.convertFromParquet();
    expect(r).toEqual({ version: 0, numFiles: 2, alreadyDelta: false });
    const rows = (await t.toArray()).map((x) => x['id']).sort();
    expect(rows).toEqual([0, 1, 2, 7]);
    const actions = await commitActions(root, 0);
    const info = actions.find((a) => a.kind === 'commitInfo');
    expect(info).toMatchObject({ value: { operation: 'CONVERT' } });
    const adds = actions.filter((a) => a.kind === 'add');
    const a = adds.find((x) => x.kind === 'add' && x.path === 'a.parquet');
    expect(a && a.kind === 'add' && JSON.parse(a.stats!)).toEqual({
      numRecords: 3,
      minValues: { id: 0, name: 'n0' },
      maxValues: { id: 2, name: 'n2' },
      nullCount: { id: 0, name: 0 },
    });
    expect(await t.convertFromParquet()).toEqual({ version: 0, numFiles: 2, alreadyDelta: true });
  });

  it('reads partition values from hive directories', async () => {
    const root = nodePath.join(fx.dir, 'parts');
    await fs.mkdir(nodePath.join(root, 'region=eu'), { recursive: true });
    await fs.mkdir(nodePath.join(root, 'region=us'), { recursive: true });
    await fx.engine.run(`COPY (SELECT 1::BIGINT AS id) TO '${root}/region=eu/p.parquet' (FORMAT parquet)`);
    await fx.engine.run(`COPY (SELECT 2::BIGINT AS id) TO '${root}/region=us/p.parquet' (FORMAT parquet)`);
    const t = tableAt(fx.ctx, root);
    await t.convertFromParquet({
      partitionColumns: [DataType.field('region', DataType.primitive('string'), true)],
    });
    const snapshot = await t.snapshot();
    expect(snapshot.partitionColumns).toEqual(['region']);
    const rows = (await t.toArray()).map((x) => [x['id'], x['region']]).sort();
    expect(rows).toEqual([
      [1n, 'eu'],
      [2n, 'us'],
    ]);
  });

  it('names a directory that does not match PARTITIONED BY', async () => {
    const root = nodePath.join(fx.dir, 'bad');
    await fs.mkdir(root);
    await fx.engine.run(`COPY (SELECT 1 AS id) TO '${root}/x.parquet' (FORMAT parquet)`);
    const t = tableAt(fx.ctx, root);
    await expect(
      t.convertFromParquet({ partitionColumns: [DataType.field('p', DataType.primitive('integer'), true)] }),
    ).rejects.toThrow(/x.parquet is not in a p=\.\.\. directory/);
  });
});
