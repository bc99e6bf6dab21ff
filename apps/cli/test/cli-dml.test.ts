// End to end: DELETE and UPDATE through the `loch sql` binary, with and without deletion vectors.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loch, ndjson, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe('loch sql DELETE / UPDATE', () => {
  it('changes rows with deletion vectors and shows the metrics in DESCRIBE HISTORY', () => {
    const out = sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`dml\` (id INT, region STRING, amount INT) PARTITIONED BY (region)
         TBLPROPERTIES ('delta.enableDeletionVectors' = 'true');
       INSERT INTO delta.\`dml\` SELECT i::INT, CASE WHEN i < 5 THEN 'eu' ELSE 'us' END, (i * 10)::INT FROM range(10) r(i);
       DELETE FROM delta.\`dml\` WHERE amount = 30;
       UPDATE delta.\`dml\` SET amount = amount + 1 WHERE region = 'us' AND id > 7;
       DELETE FROM delta.\`dml\` WHERE region = 'eu' AND id < 2;
       SELECT id, region, amount FROM delta.\`dml\` ORDER BY id`,
    );
    expect(ndjson(out)).toEqual([
      { id: 2, region: 'eu', amount: 20 },
      { id: 4, region: 'eu', amount: 40 },
      { id: 5, region: 'us', amount: 50 },
      { id: 6, region: 'us', amount: 60 },
      { id: 7, region: 'us', amount: 70 },
      { id: 8, region: 'us', amount: 81 },
      { id: 9, region: 'us', amount: 91 },
    ]);
    const bins = readdirSync(join(cli.dir, 'dml')).filter((f) => f.endsWith('.bin'));
    expect(bins.length).toBeGreaterThanOrEqual(2);
    const history = ndjson(sqlOk(cli.dir, 'DESCRIBE HISTORY delta.`dml` LIMIT 3'));
    expect(history.map((h) => h['operation'])).toEqual(['DELETE', 'UPDATE', 'DELETE']);
    // MAP columns print as key/value lists in ndjson.
    const entries = history[1]!['operationMetrics'] as { key: string; value: string }[];
    const metrics = Object.fromEntries(entries.map((e) => [e.key, e.value]));
    expect(metrics).toMatchObject({ numUpdatedRows: '2', numDeletionVectorsAdded: '1' });
  });

  it('prints num_affected_rows and fails cleanly on a constraint violation', () => {
    sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`cow\` (id INT NOT NULL, v INT);
       INSERT INTO delta.\`cow\` VALUES (1, 1), (2, 2), (3, 3)`,
    );
    expect(ndjson(sqlOk(cli.dir, 'DELETE FROM delta.`cow` WHERE v >= 2'))).toEqual([
      { num_affected_rows: 2 },
    ]);
    const bad = loch(['sql', '--warehouse', cli.dir, 'UPDATE delta.`cow` SET id = NULL']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('id');
    expect(ndjson(sqlOk(cli.dir, 'SELECT id, v FROM delta.`cow`'))).toEqual([{ id: 1, v: 1 }]);
  });
});
