import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { DataType } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { COPY_INTO_APP_PREFIX } from './copy-into.js';
import { commitActions, tableAt, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture({ scope: 'file' });

const schema = DataType.struct([
  DataType.field('id', DataType.primitive('integer'), true),
  DataType.field('name', DataType.primitive('string'), true),
  DataType.field('amount', DataType.decimal(18, 2), true),
]);

async function newTable(name: string) {
  const t = tableAt(fx.ctx, nodePath.join(fx.dir, name));
  await t.create({ schema });
  return t;
}

const sorted = async (t: Awaited<ReturnType<typeof newTable>>) =>
  (await t.toArray()).sort((a, b) => Number(a['id']) - Number(b['id']));

describe('copyInto', () => {
  it('loads CSV files once, skips them on re-run, loads new files', async () => {
    const src = nodePath.join(fx.dir, 'csv-in');
    await fs.mkdir(src);
    await fs.writeFile(nodePath.join(src, 'a.csv'), 'id,name,amount\n1,x,2.345\n2,y,bad\n');
    await fs.writeFile(nodePath.join(src, '_SUCCESS'), '');
    const t = await newTable('csv');
    const first = await t.copyInto({ from: src, format: 'CSV', formatOptions: { header: 'true' } });
    expect(first).toMatchObject({ numAffectedRows: 2, numInsertedRows: 2, numSkippedCorruptFiles: 0 });
    expect(first.loadedFiles).toEqual([nodePath.join(src, 'a.csv')]);
    const again = await t.copyInto({ from: src, format: 'CSV', formatOptions: { header: 'true' } });
    expect(again).toMatchObject({ numInsertedRows: 0, skippedFiles: [nodePath.join(src, 'a.csv')] });
    expect(again.version).toBeUndefined();
    await fs.writeFile(nodePath.join(src, 'b.csv'), 'name,id\nz,3\n');
    const third = await t.copyInto({ from: src, format: 'CSV', formatOptions: { header: 'true' } });
    expect(third.loadedFiles).toEqual([nodePath.join(src, 'b.csv')]);
    const rows = await sorted(t);
    expect(rows.map((r) => [r['id'], r['name'], r['amount'] === null ? null : String(r['amount'])])).toEqual([
      [1, 'x', '2.35'],
      [2, 'y', null],
      [3, 'z', null],
    ]);
    const actions = await commitActions(nodePath.join(fx.dir, 'csv'), 1);
    const txns = actions.filter((a) => a.kind === 'txn');
    expect(txns).toHaveLength(1);
    expect(txns[0]).toMatchObject({
      appId: expect.stringMatching(new RegExp(`^${COPY_INTO_APP_PREFIX}[0-9a-f]{64}$`)),
    });
    const forced = await t.copyInto({
      from: nodePath.join(src, 'b.csv'),
      format: 'CSV',
      formatOptions: { header: 'true' },
      copyOptions: { force: 'true' },
    });
    expect(forced.numInsertedRows).toBe(1);
  });

  it('loads JSON by name, parquet with mergeSchema, headerless CSV by position', async () => {
    const t = await newTable('mixed');
    const json = nodePath.join(fx.dir, 'in.json');
    await fs.writeFile(json, '{"id": 1, "name": "j"}\n{"id": 2, "amount": 1.5}\n');
    expect((await t.copyInto({ from: json, format: 'JSON' })).numInsertedRows).toBe(2);
    const pq = nodePath.join(fx.dir, 'in.parquet');
    await fx.engine.run(
      `COPY (SELECT 3::INTEGER AS id, 'p' AS name, 'extra' AS note) TO '${pq}' (FORMAT parquet)`,
    );
    await t.copyInto({
      from: nodePath.join(fx.dir, '*.parquet'),
      format: 'PARQUET',
      copyOptions: { mergeSchema: 'true' },
    });
    const csv = nodePath.join(fx.dir, 'nohdr.csv');
    await fs.writeFile(csv, '4,h,9.99\n');
    await t.copyInto({ from: csv, format: 'CSV' });
    const rows = await sorted(t);
    expect(rows.map((r) => [r['id'], r['name'], r['note']])).toEqual([
      [1, 'j', null],
      [2, null, null],
      [3, 'p', 'extra'],
      [4, 'h', null],
    ]);
    expect((await t.snapshot()).schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'amount', 'note']);
  });

  it('names a missing source and an unknown format', async () => {
    const t = await newTable('errs');
    await expect(t.copyInto({ from: nodePath.join(fx.dir, 'nope'), format: 'CSV' })).rejects.toThrow(
      /nope does not exist/,
    );
    await expect(t.copyInto({ from: fx.dir, format: 'AVRO' as 'CSV' })).rejects.toThrow(/AVRO/);
  });
});
