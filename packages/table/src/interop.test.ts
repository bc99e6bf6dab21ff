// Writing to tables other engines wrote: copies of Spark/Databricks fixtures get appends,
// replaceWhere overwrites, restores and our checkpoints, and must read back correctly.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { plain, tableAt, useTableFixture } from './test-helpers.test-util.js';

const FIXTURES = '/work/shared/delta-fixtures/tables';

const fx = useTableFixture();

async function copyFixture(name: string): Promise<string> {
  const target = nodePath.join(fx.dir, name);
  await fs.cp(nodePath.join(FIXTURES, name, 'delta'), target, { recursive: true });
  return target;
}

describe.skipIf(!(await fs.stat(FIXTURES).catch(() => undefined)))('fixture tables', () => {
  it('appends to a Spark partitioned table and restores it', async () => {
    const t = tableAt(fx.ctx, await copyFixture('basic_partitioned'));
    const before = plain(await t.toArray({ orderBy: ['number'] }));
    const v = (await t.snapshot()).version;
    await t.write(`SELECT 'z' AS letter, 99 AS number, 9.9 AS a_float`, { mode: 'append' });
    const after = plain(await t.toArray({ orderBy: ['number'] }));
    expect(after).toEqual([...before, { letter: 'z', number: 99, a_float: 9.9 }]);
    await t.restore({ version: v });
    expect(plain(await t.toArray({ orderBy: ['number'] }))).toEqual(before);
  });

  it('appends to a deletion-vector table, rewrites a DV file with replaceWhere and checkpoints it', async () => {
    const t = tableAt(fx.ctx, await copyFixture('table-with-dv-small'));
    const values = async (table = t) =>
      plain(await table.toArray({ orderBy: ['value'] })).map((r) => r.value);
    expect(await values()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await t.write('SELECT 100 AS value', { mode: 'append' });
    expect(await values()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 100]);
    await t.checkpoint();
    const fresh = tableAt(fx.ctx, t.url);
    expect((await fresh.snapshot()).files.some((f) => f.deletionVector != null)).toBe(true);
    expect(await values(fresh)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 100]);
    // Rows 0 and 9 are deleted by the DV: the rewrite must not bring them back.
    await t.write('SELECT 3 AS value', { mode: 'overwrite', replaceWhere: 'value <= 3' });
    expect(await values()).toEqual([3, 4, 5, 6, 7, 8, 100]);
  });
});
