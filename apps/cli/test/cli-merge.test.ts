// End to end: MERGE through the `loch sql` binary (the blueprint's CDC upsert), both strategies.
import { describe, expect, it } from 'vitest';
import { ndjson, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe.each([
  ['copy-on-write', 'false'],
  ['deletion vectors', 'true'],
])('loch sql MERGE (%s)', (_mode, dv) => {
  it('applies CDC records and shows the MERGE metrics in DESCRIBE HISTORY', () => {
    const t = `customers_${dv}`;
    sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`${t}\` (customer_id INT, name STRING, email STRING, updated_at TIMESTAMP)
         TBLPROPERTIES ('delta.enableDeletionVectors' = '${dv}');
       INSERT INTO delta.\`${t}\` SELECT i::INT, 'n' || i, 'e' || i, TIMESTAMP '2024-01-01' FROM range(1, 6) r(i)`,
    );
    const merged = sqlOk(
      cli.dir,
      `MERGE INTO delta.\`${t}\` AS target
       USING (SELECT * FROM (VALUES (1, 'x', 'x@', TIMESTAMP '2024-02-01', 'DELETE'),
                                    (2, 'Bob', 'bob@', TIMESTAMP '2024-02-02', 'UPDATE'),
                                    (9, 'Eve', 'eve@', TIMESTAMP '2024-02-03', 'INSERT'))
              AS c(customer_id, name, email, timestamp, operation)) AS source
       ON target.customer_id = source.customer_id
       WHEN MATCHED AND source.operation = 'DELETE' THEN DELETE
       WHEN MATCHED AND source.operation = 'UPDATE' THEN UPDATE SET name = source.name, email = source.email, updated_at = source.timestamp
       WHEN NOT MATCHED AND source.operation = 'INSERT' THEN
         INSERT (customer_id, name, email, updated_at) VALUES (source.customer_id, source.name, source.email, source.timestamp)`,
    );
    expect(ndjson(merged)).toEqual([
      { num_affected_rows: 3, num_updated_rows: 1, num_deleted_rows: 1, num_inserted_rows: 1 },
    ]);
    const rows = ndjson(sqlOk(cli.dir, `SELECT customer_id, name FROM delta.\`${t}\` ORDER BY customer_id`));
    expect(rows).toEqual([
      { customer_id: 2, name: 'Bob' },
      { customer_id: 3, name: 'n3' },
      { customer_id: 4, name: 'n4' },
      { customer_id: 5, name: 'n5' },
      { customer_id: 9, name: 'Eve' },
    ]);
    const history = ndjson(sqlOk(cli.dir, `DESCRIBE HISTORY delta.\`${t}\` LIMIT 1`));
    expect(history[0]!['operation']).toBe('MERGE');
    const entries = history[0]!['operationMetrics'] as { key: string; value: string }[];
    const metrics = Object.fromEntries(entries.map((e) => [e.key, e.value]));
    expect(metrics).toMatchObject({
      numTargetRowsUpdated: '1',
      numTargetRowsDeleted: '1',
      numTargetRowsInserted: '1',
      numTargetDeletionVectorsAdded: dv === 'true' ? '1' : '0',
    });
  });
});
