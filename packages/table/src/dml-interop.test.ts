// DELETE / UPDATE on copies of tables Spark wrote with deletion vectors: our vectors merge with
// Spark's existing ones, and the result reads back through a fresh instance.
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

describe.skipIf(!(await fs.stat(FIXTURES).catch(() => undefined)))('DML on Spark tables with DVs', () => {
  it.each([
    'dv-partitioned-with-checkpoint',
    'dv-with-columnmapping',
  ])('deletes from and updates %s, extending Spark deletion vectors', async (name) => {
    const location = await copyFixture(name);
    const t = tableAt(fx.ctx, location);
    const before = plain(await t.toArray({ orderBy: ['part', 'col1'] }));
    const withDv = (await t.snapshot()).files.filter((f) => f.deletionVector != null);
    expect(withDv.length).toBeGreaterThan(0);
    // Touch every file that already has a Spark DV: delete one live row of each.
    const victims = before.filter((r) => Number(r.col1) % 10 === 1).slice(0, 3);
    const predicate = victims.map((r) => `col1 = ${Number(r.col1)}`).join(' OR ');
    const r = await t.delete(predicate);
    expect(r.numDeletedRows).toBe(victims.length);
    const u = await t.update({ col2: "'changed'" }, 'part = 2');
    const expected = before
      .filter((row) => !victims.includes(row))
      .map((row) => (row.part === 2 ? { ...row, col2: 'changed' } : row));
    expect(u.numUpdatedRows).toBe(expected.filter((row) => row.part === 2).length);
    const fresh = tableAt(fx.ctx, location);
    expect(plain(await fresh.toArray({ orderBy: ['part', 'col1'] }))).toEqual(expected);
  });
});
