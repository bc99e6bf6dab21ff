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
