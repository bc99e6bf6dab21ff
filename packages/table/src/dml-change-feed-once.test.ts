// The change feed of a write must hold exactly the rows the write put in the table: values that
// are not a pure function of the input (identity numbers from row_number(), random(), uuid())
// are evaluated once, and both the data files and the `_change_data` files take that evaluation.
import { DataType as T } from '@loch/delta';
import { afterEach, describe, expect, it } from 'vitest';
import { plain, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();

afterEach(async () => {
  // The rows computed once live in a table only while the write runs.
  const left = await fx.engine.query(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__loch_rows_%'`,
  );
  expect(Number(left.rows[0]![0])).toBe(0);
});

const long = T.primitive('long');
const dbl = T.primitive('double');
const CDF = { 'delta.enableChangeDataFeed': 'true' };

/** `k:id:v` of the table's rows, sorted. */
const tableRows = async (): Promise<string[]> =>
  plain(await fx.table.toArray())
    .map((r) => `${r.k}:${r.id}:${r.v}`)
    .sort();

/** `k:id:v` of the change rows of one type at `version`, sorted. */
const changeRows = async (version: number, type: string): Promise<string[]> =>
  plain(await fx.table.changes({ startVersion: version, endVersion: version }))
    .filter((r) => r._change_type === type)
    .map((r) => `${r.k}:${r.id}:${r.v}`)
    .sort();

for (const dv of ['false', 'true']) {
  const mode = dv === 'true' ? 'deletion vectors' : 'copy-on-write';

  describe(`change rows equal the written rows (${mode})`, () => {
    it('MERGE inserting 1,000 rows into an identity table: insert change rows carry the ids written', async () => {
      await fx.table.create({
        schema: T.struct([
          T.field('id', long, false, {
            'delta.identity.start': 1,
            'delta.identity.step': 1,
            'delta.identity.allowExplicitInsert': false,
          }),
          T.field('k', long),
          T.field('v', long),
        ]),
        properties: { ...CDF, 'delta.enableDeletionVectors': dv },
      });
      await fx.table.write('SELECT range AS k, 0 AS v FROM range(0, 20)', { mode: 'append' });
      // The source's row order is not fixed (a shuffled relation, as any unordered scan may be):
      // row_number() over it numbers rows differently on each evaluation.
      const r = await fx.table
        .merge('SELECT range AS k, 1 AS v FROM range(10, 1010) ORDER BY random()', 'target.k = source.k')
        .whenMatchedUpdate({ set: { v: 'source.v' } })
        .whenNotMatchedInsert({ values: { k: 'source.k', v: 'source.v' } })
        .execute();
      expect(r.numTargetRowsInserted).toBe(990);
      const inserted = await changeRows(r.version, 'insert');
      expect(inserted).toHaveLength(990);
      const written = new Set(await tableRows());
      expect(inserted.filter((row) => !written.has(row))).toEqual([]);
      expect(await changeRows(r.version, 'update_postimage')).toHaveLength(10);
    });

    it('MERGE UPDATE SET v = random(): update_postimage rows equal the table rows', async () => {
      await fx.table.write('SELECT range AS id, range AS k, 0.0::DOUBLE AS v FROM range(0, 500)', {
        mode: 'errorIfExists',
        properties: { ...CDF, 'delta.enableDeletionVectors': dv },
      });
      const r = await fx.table
        .merge('SELECT range AS k FROM range(100, 600)', 'target.k = source.k')
        .whenMatchedUpdate({ set: { v: 'random()' } })
        .whenNotMatchedInsert({ values: { id: 'source.k', k: 'source.k', v: 'random()' } })
        .execute();
      expect(r.numTargetRowsUpdated).toBe(400);
      expect(r.numTargetRowsInserted).toBe(100);
      const written = new Set(await tableRows());
      const post = await changeRows(r.version, 'update_postimage');
      const ins = await changeRows(r.version, 'insert');
      expect(post).toHaveLength(400);
      expect(ins).toHaveLength(100);
      expect([...post, ...ins].filter((row) => !written.has(row))).toEqual([]);
      expect(await changeRows(r.version, 'update_preimage')).toHaveLength(400);
    });

    it('UPDATE SET v = random(): update_postimage rows equal the table rows', async () => {
      await fx.table.write('SELECT range AS id, range AS k, 0.0::DOUBLE AS v FROM range(0, 500)', {
        mode: 'errorIfExists',
        properties: { ...CDF, 'delta.enableDeletionVectors': dv },
      });
      const r = await fx.table.update({ v: 'random()' }, 'k % 2 = 0');
      expect(r.numUpdatedRows).toBe(250);
      const written = new Set(await tableRows());
      const post = await changeRows(r.version, 'update_postimage');
      expect(post).toHaveLength(250);
      expect(post.filter((row) => !written.has(row))).toEqual([]);
      const pre = await changeRows(r.version, 'update_preimage');
      expect(pre).toHaveLength(250);
      expect(pre.every((row) => row.endsWith(':0'))).toBe(true);
    });
  });
}

describe('change rows of a rewriting replaceWhere equal the written rows', () => {
  it('an identity column and random() in the replacing rows', async () => {
    await fx.table.create({
      schema: T.struct([
        T.field('id', long, false, {
          'delta.identity.start': 1,
          'delta.identity.step': 1,
          'delta.identity.allowExplicitInsert': false,
        }),
        T.field('k', long),
        T.field('v', dbl),
      ]),
      properties: CDF,
    });
    await fx.table.write('SELECT range AS k, 0.0::DOUBLE AS v FROM range(0, 600)', { mode: 'append' });
    const r = await fx.table.write('SELECT range AS k, random() AS v FROM range(0, 500) ORDER BY random()', {
      mode: 'overwrite',
      replaceWhere: 'k < 500',
    });
    const inserted = await changeRows(r.version, 'insert');
    expect(inserted).toHaveLength(500);
    const written = new Set(await tableRows());
    expect(inserted.filter((row) => !written.has(row))).toEqual([]);
  });
});
