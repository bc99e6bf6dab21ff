// DELETE and UPDATE on tables with the change data feed on: changes read back through table_changes.
import type { DuckEngine } from '@loch/engine-duckdb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import {
  commitActions,
  contextFor,
  openEngine,
  plain,
  removeDir,
  tableAt,
  tempDir,
} from './test-helpers.test-util.js';
import type { TableContext } from './types.js';

let engine: DuckEngine;
let ctx: TableContext;
let dir: string;
let t: DeltaTable;

beforeAll(async () => {
  engine = await openEngine();
  ctx = contextFor(engine);
});
afterAll(async () => {
  await engine.close();
});
beforeEach(async () => {
  dir = await tempDir();
  t = tableAt(ctx, dir);
});
afterEach(async () => {
  await removeDir(dir);
});

const changesAt = async (version: number) =>
  plain(await t.changes({ startVersion: version, endVersion: version }))
    .map((r) => `${r._change_type}:${r.id}:${r.v}`)
    .sort();

describe.each([
  ['copy-on-write', 'false'],
  ['deletion vectors', 'true'],
])('change data feed of DML (%s)', (_mode, dv) => {
  it('records deleted rows and update pre/post images', async () => {
    await t.write('SELECT range AS id, range % 2 AS p, range * 10 AS v FROM range(6)', {
      mode: 'errorIfExists',
      partitionBy: ['p'],
      properties: { 'delta.enableChangeDataFeed': 'true', 'delta.enableDeletionVectors': dv },
    });
    await t.delete('id = 2');
    expect((await commitActions(dir, 1)).some((a) => a.kind === 'cdc')).toBe(true);
    expect(await changesAt(1)).toEqual(['delete:2:20']);
    await t.update({ v: 'v + 1' }, 'id IN (3, 4)');
    expect(await changesAt(2)).toEqual([
      'update_postimage:3:31',
      'update_postimage:4:41',
      'update_preimage:3:30',
      'update_preimage:4:40',
    ]);
    // A partition delete removes whole files: its changes derive from the remove actions.
    await t.delete('p = 1');
    expect((await commitActions(dir, 3)).some((a) => a.kind === 'cdc')).toBe(false);
    expect(await changesAt(3)).toEqual(['delete:1:10', 'delete:3:31', 'delete:5:50']);
  });
});
