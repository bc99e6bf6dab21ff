import { describe, expect, it } from 'vitest';
import { commitActions, plain, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();

const changesAt = async (version: number) =>
  plain(await fx.table.changes({ startVersion: version, endVersion: version }))
    .map((r) => `${r._change_type}:${r.id}:${r.v}`)
    .sort();

describe.each([
  ['copy-on-write', 'false'],
  ['deletion vectors', 'true'],
])('change data feed of DML (%s)', (_mode, dv) => {
  it('records deleted rows and update pre/post images', async () => {
    await fx.table.write('SELECT range AS id, range % 2 AS p, range * 10 AS v FROM range(6)', {
      mode: 'errorIfExists',
      partitionBy: ['p'],
      properties: { 'delta.enableChangeDataFeed': 'true', 'delta.enableDeletionVectors': dv },
    });
    await fx.table.delete('id = 2');
    expect((await commitActions(fx.dir, 1)).some((a) => a.kind === 'cdc')).toBe(true);
    expect(await changesAt(1)).toEqual(['delete:2:20']);
    await fx.table.update({ v: 'v + 1' }, 'id IN (3, 4)');
    expect(await changesAt(2)).toEqual([
      'update_postimage:3:31',
      'update_postimage:4:41',
      'update_preimage:3:30',
      'update_preimage:4:40',
    ]);
    // A partition delete removes whole files: its changes derive from the remove actions.
    await fx.table.delete('p = 1');
    expect((await commitActions(fx.dir, 3)).some((a) => a.kind === 'cdc')).toBe(false);
    expect(await changesAt(3)).toEqual(['delete:1:10', 'delete:3:31', 'delete:5:50']);
  });
});
