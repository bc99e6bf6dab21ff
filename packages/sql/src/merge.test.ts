import { describe, expect, it } from 'vitest';
import { parseScript } from './parser.js';
import { useSqlSession } from './test-session.test-util.js';

describe('parsing MERGE', () => {
  it('parses every clause kind, in order', () => {
    const [stmt] = parseScript(`MERGE INTO delta.\`/t\` AS t USING (SELECT * FROM src WHERE a = 'x,y') s
      ON t.id = s.id AND t.p = CASE WHEN s.q THEN 1 ELSE 2 END
      WHEN MATCHED AND s.op = 'D' THEN DELETE
      WHEN MATCHED AND s.op = 'U' THEN UPDATE SET t.v = coalesce(s.v, 0), w = CASE WHEN s.a THEN 1 END
      WHEN MATCHED THEN UPDATE SET *
      WHEN NOT MATCHED BY TARGET AND s.op <> 'D' THEN INSERT (id, v) VALUES (s.id, concat(s.v, ','))
      WHEN NOT MATCHED THEN INSERT *
      WHEN NOT MATCHED BY SOURCE AND t.v > 0 THEN UPDATE SET v = 0
      WHEN NOT MATCHED BY SOURCE THEN DELETE`);
    expect(stmt).toMatchObject({
      kind: 'merge',
      table: { location: '/t' },
      alias: 't',
      source: { sql: "SELECT * FROM src WHERE a = 'x,y'" },
      sourceAlias: 's',
      condition: { sql: 't.id = s.id AND t.p = CASE WHEN s.q THEN 1 ELSE 2 END' },
      schemaEvolution: false,
      clauses: [
        { group: 'matched', action: 'delete', condition: { sql: "s.op = 'D'" } },
        {
          group: 'matched',
          action: 'update',
          assignments: [
            { column: 'v', value: { sql: 'coalesce(s.v, 0)' } },
            { column: 'w', value: { sql: 'CASE WHEN s.a THEN 1 END' } },
          ],
        },
        { group: 'matched', action: 'updateAll' },
        {
          group: 'notMatched',
          action: 'insert',
          assignments: [
            { column: 'id', value: { sql: 's.id' } },
            { column: 'v', value: { sql: "concat(s.v, ',')" } },
          ],
        },
        { group: 'notMatched', action: 'insertAll' },
        { group: 'notMatchedBySource', action: 'update', condition: { sql: 't.v > 0' } },
        { group: 'notMatchedBySource', action: 'delete' },
      ],
    });
  });

  it('parses table sources, schema evolution and rejects malformed clauses', () => {
    const [stmt] = parseScript(
      'MERGE WITH SCHEMA EVOLUTION INTO delta.`/t` USING delta.`/s` VERSION AS OF 3 AS src ON target.id = src.id WHEN MATCHED THEN DELETE',
    );
    expect(stmt).toMatchObject({
      kind: 'merge',
      schemaEvolution: true,
      source: { sql: 'SELECT * FROM delta.`/s` VERSION AS OF 3' },
      sourceAlias: 'src',
    });
    expect(() => parseScript('MERGE INTO delta.`/t` USING s ON t.id = s.id')).toThrow(/WHEN/);
    expect(() =>
      parseScript('MERGE INTO delta.`/t` USING s ON t.id = s.id WHEN NOT MATCHED THEN DELETE'),
    ).toThrow(/INSERT/);
    expect(() =>
      parseScript(
        'MERGE INTO delta.`/t` USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (a, b) VALUES (1)',
      ),
    ).toThrow(/2 column/);
  });
});

const fx = useSqlSession({ prefix: 'loch-sql-merge-' });

const one = async (sql: string): Promise<Record<string, unknown>> => {
  const [r] = await fx.session.execute(sql);
  const row: Record<string, unknown> = {};
  r!.columns.forEach((c, i) => {
    row[c.name] = typeof r!.rows[0]?.[i] === 'bigint' ? Number(r!.rows[0]?.[i]) : r!.rows[0]?.[i];
  });
  return row;
};

const all = async (sql: string): Promise<unknown[][]> => {
  const [r] = await fx.session.execute(sql);
  return r!.rows.map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
};

describe('MERGE through SqlSession', () => {
  it('applies the blueprint CDC pattern from a Delta source table', async () => {
    await fx.session.execute(`CREATE TABLE delta.\`customers\` AS SELECT range AS customer_id, 'n' || range AS name,
      'e' || range AS email, TIMESTAMP '2024-01-01' AS created_at, TIMESTAMP '2024-01-01' AS updated_at FROM range(1, 4)`);
    await fx.session.execute(`CREATE TABLE delta.\`cdc\` AS SELECT * FROM (VALUES
      (1, 'x', 'x@', TIMESTAMP '2024-02-01', 'DELETE'),
      (2, 'Bob', 'bob@', TIMESTAMP '2024-02-02', 'UPDATE'),
      (7, 'Eve', 'eve@', TIMESTAMP '2024-02-03', 'INSERT')) AS c(customer_id, name, email, timestamp, operation)`);
    const r = await one(`MERGE INTO delta.\`customers\` AS target USING delta.\`cdc\` AS source
      ON target.customer_id = source.customer_id
      WHEN MATCHED AND source.operation = 'DELETE' THEN DELETE
      WHEN MATCHED AND source.operation = 'UPDATE' THEN
        UPDATE SET name = source.name, email = source.email, updated_at = source.timestamp
      WHEN NOT MATCHED AND source.operation = 'INSERT' THEN
        INSERT (customer_id, name, email, created_at, updated_at)
        VALUES (source.customer_id, source.name, source.email, source.timestamp, source.timestamp)`);
    expect(r).toEqual({
      num_affected_rows: 3,
      num_updated_rows: 1,
      num_deleted_rows: 1,
      num_inserted_rows: 1,
    });
    expect(await all('SELECT customer_id, name FROM delta.`customers` ORDER BY 1')).toEqual([
      [2, 'Bob'],
      [3, 'n3'],
      [7, 'Eve'],
    ]);
    // Time travel to before the merge, and the history entry.
    expect(await all('SELECT count(*) FROM delta.`customers` VERSION AS OF 0')).toEqual([[3]]);
    const [history] = await fx.session.execute('DESCRIBE HISTORY delta.`customers` LIMIT 1');
    const op = history!.columns.findIndex((c) => c.name === 'operation');
    expect(history!.rows[0]?.[op]).toBe('MERGE');
  });

  it('merges from a DuckDB query, with autoMerge schema evolution from SET', async () => {
    await fx.session.execute('CREATE TABLE delta.`t2` AS SELECT range AS id, range * 10 AS v FROM range(3)');
    const merge = `MERGE INTO delta.\`t2\` t USING (SELECT 1 AS id, 5 AS v, 'n' AS extra UNION ALL SELECT 8, 80, 'm') s
      ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`;
    expect(await one(merge)).toMatchObject({ num_updated_rows: 1, num_inserted_rows: 1 });
    expect(await all('SELECT * FROM delta.`t2` ORDER BY id')).toEqual([
      [0, 0],
      [1, 5],
      [2, 20],
      [8, 80],
    ]);
    await fx.session.execute('SET spark.databricks.delta.schema.autoMerge.enabled = true');
    await fx.session.execute(merge);
    expect(await all('SELECT id, v, extra FROM delta.`t2` ORDER BY id')).toEqual([
      [0, 0, null],
      [1, 5, 'n'],
      [2, 20, null],
      [8, 80, 'm'],
    ]);
    await fx.session.execute('SET spark.databricks.delta.schema.autoMerge.enabled = false');
  });

  it('names the table by its last path part without an alias, and reports multiple matches', async () => {
    await fx.session.execute('CREATE TABLE delta.`t3` AS SELECT range AS id, range AS v FROM range(3)');
    await fx.session.execute(
      'MERGE INTO delta.`t3` USING (SELECT 1 AS id) AS s ON t3.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE',
    );
    expect(await all('SELECT id FROM delta.`t3`')).toEqual([[1]]);
    await expect(
      fx.session.execute(
        'MERGE INTO delta.`t3` AS t USING (SELECT 1 AS id UNION ALL SELECT 1) AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = 9',
      ),
    ).rejects.toThrow(/DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE/);
  });
});
