import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loch, openLoch } from '../src/index.js';

// The blueprint's PySpark patterns, written against the TypeScript API.
describe('openLoch', () => {
  let dir: string;
  let loch: Loch;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loch-api-'));
    loch = await openLoch({ warehouse: dir });
  });
  afterAll(async () => {
    await loch.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes, appends with mergeSchema, time-travels and shows history', async () => {
    const orders = loch.table('bronze/orders');
    // df.write.format("delta").mode("overwrite").save(path)
    await orders.write('SELECT range AS id, range * 1.5 AS amount FROM range(5)', { mode: 'overwrite' });
    // Schema enforcement: an extra column fails without mergeSchema...
    await expect(
      orders.write("SELECT 9 AS id, 1.0 AS amount, 'web' AS channel", { mode: 'append' }),
    ).rejects.toThrow(/channel/);
    // ...and evolves the schema with it.
    await orders.write("SELECT 9 AS id, 1.0 AS amount, 'web' AS channel", {
      mode: 'append',
      mergeSchema: true,
    });

    expect(await loch.read('bronze/orders', { columns: ['id'] })).toHaveLength(6);
    // spark.read.format("delta").option("versionAsOf", 0).load(path)
    const v0 = await loch.read('bronze/orders', { versionAsOf: 0 });
    expect(v0).toHaveLength(5);
    expect(Object.keys(v0[0]!)).toEqual(['id', 'amount']);
    const [count] = await loch.sql('SELECT count(*) AS n FROM delta.`bronze/orders` WHERE channel IS NULL');
    expect(count).toEqual({ n: 5 });
    const history = await orders.history();
    // Like Spark's DataFrame writer, a save to a new path is a WRITE (SQL CTAS records CREATE TABLE AS SELECT).
    expect(history.map((h) => [h.operation, h.operationParameters['mode']])).toEqual([
      ['WRITE', 'Append'],
      ['WRITE', 'Overwrite'],
    ]);
  });
});

// Blueprint 3.5: incremental processing with the change data feed, on named tables.
describe('openLoch with named tables and the change feed', () => {
  let dir: string;
  let loch: Loch;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loch-api-cdf-'));
    loch = await openLoch({ warehouse: dir });
  });
  afterAll(async () => {
    await loch.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads changes with readChangeFeed and merges them into a gold table found by name', async () => {
    await loch.sql(`
      CREATE SCHEMA silver; CREATE SCHEMA gold;
      CREATE TABLE silver.sales (id INT, amount DOUBLE);
      CREATE TABLE gold.sales_summary (id INT, amount DOUBLE);
      ALTER TABLE silver.sales SET TBLPROPERTIES (delta.enableChangeDataFeed = true);
      INSERT INTO silver.sales VALUES (1, 10.0), (2, 20.0), (3, 30.0);
      INSERT INTO gold.sales_summary SELECT * FROM silver.sales;`);
    const lastProcessed = (await (await loch.forName('silver.sales')).snapshot()).version;
    await loch.sql(`
      UPDATE silver.sales SET amount = 25.0 WHERE id = 2;
      DELETE FROM silver.sales WHERE id = 3;
      INSERT INTO silver.sales VALUES (4, 40.0);`);

    // spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", v).table("silver.sales")
    const changes = await loch.readTable('silver.sales', {
      readChangeFeed: true,
      startingVersion: lastProcessed + 1,
    });
    expect(
      changes
        .map((c) => [c.id, c._change_type])
        .sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      [2, 'update_postimage'],
      [2, 'update_preimage'],
      [3, 'delete'],
      [4, 'insert'],
    ]);
    expect(changes.every((c) => typeof c._commit_version === 'number' && c._commit_timestamp)).toBe(true);

    // DeltaTable.forName(spark, "gold.sales_summary").alias("target").merge(insert_updates.alias("source"), ...)
    const gold = await loch.forName('gold.sales_summary');
    const insertUpdates = loch.relation(
      `SELECT id, amount FROM table_changes('silver.sales', ${lastProcessed + 1})
       WHERE _change_type IN ('insert', 'update_postimage')`,
    );
    expect(await insertUpdates.toArray()).toHaveLength(2);
    await gold
      .merge(insertUpdates, 'target.id = source.id', { targetAlias: 'target', sourceAlias: 'source' })
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute();
    expect(await loch.sql('SELECT id, amount FROM gold.sales_summary ORDER BY id')).toEqual([
      { id: 1, amount: 10 },
      { id: 2, amount: 25 },
      { id: 3, amount: 30 },
      { id: 4, amount: 40 },
    ]);
    // The same read with an end version, and as of a version by name.
    const firstOnly = await loch.readTable('silver.sales', {
      readChangeFeed: true,
      startingVersion: lastProcessed + 1,
      endingVersion: lastProcessed + 1,
    });
    expect(new Set(firstOnly.map((c) => c._change_type))).toEqual(
      new Set(['update_preimage', 'update_postimage']),
    );
    expect(
      await loch.readTable('main.silver.sales', { versionAsOf: lastProcessed, columns: ['id'] }),
    ).toHaveLength(3);
    await expect(loch.forName('silver.sale')).rejects.toThrow(/did you mean main\.silver\.sales/);
  });
});
