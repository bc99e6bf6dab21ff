// SqlSession against a recording engine and table: asserts the SQL handed to DuckDB and the calls
// made on @loch/table (kysely's testSql style). Real-engine tests live in session-duckdb.test.ts.
import { DataType, type Snapshot, type StructType } from '@loch/delta';
import type { Engine, QueryResult, ResultColumn } from '@loch/engine-duckdb';
import type { VersionSelector, WriteOptions } from '@loch/table';
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { SqlSession } from './session.js';
import type { SqlTable } from './sql-table.js';

const SCHEMA: StructType = DataType.struct([
  DataType.field('id', DataType.primitive('long')),
  DataType.field('name', DataType.primitive('string')),
  DataType.field('d', DataType.primitive('date')),
]);

function setup(opts: { exists?: boolean; describe?: ResultColumn[] } = {}) {
  const queries: string[] = [];
  const calls: [string, string, unknown][] = [];
  const engine: Engine = {
    query: async (sql: string): Promise<QueryResult> => {
      queries.push(sql);
      return { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[1]] };
    },
    run: async () => {},
    describe: async () => opts.describe ?? [],
    scanSql: async () => '',
    writeParquet: async () => [],
    close: async () => {},
  };
  const open = (location: string): SqlTable => {
    const rec = (op: string, arg?: unknown) => calls.push([op, location, arg]);
    return {
      exists: async () => opts.exists ?? true,
      snapshot: async (at?: VersionSelector) => {
        rec('snapshot', at);
        return { schema: SCHEMA, partitionColumns: ['d'] } as unknown as Snapshot;
      },
      scanSql: async (o) => `SELECT * FROM scan('${location}'${o?.at ? `, ${JSON.stringify(o.at)}` : ''})`,
      create: async (o) => {
        rec('create', o);
        return { version: 0 };
      },
      write: async (sql: string, o: WriteOptions) => {
        rec('write', { sql, ...o });
        return { version: 1, numFiles: 1, numOutputRows: 2, numOutputBytes: 10 };
      },
      history: async (limit) => {
        rec('history', limit);
        return [
          {
            version: 1,
            timestamp: Date.UTC(2024, 0, 15, 10, 0, 0, 5),
            operation: 'WRITE',
            operationParameters: { mode: 'Append' },
            operationMetrics: { numOutputRows: '2' },
            isBlindAppend: true,
            readVersion: 0,
            engineInfo: "Loch's",
          },
        ];
      },
      detail: async () => {
        throw new Error('unused');
      },
      restore: async (to) => {
        rec('restore', to);
        return {
          version: 3,
          tableSizeAfterRestore: 100,
          numOfFilesAfterRestore: 1,
          numRemovedFiles: 2,
          numRestoredFiles: 1,
          removedFilesSize: 20,
          restoredFilesSize: 10,
        };
      },
      alter: async (op) => {
        rec('alter', op);
        return { version: 2 };
      },
    };
  };
  const session = new SqlSession({ engine, openTable: open, baseDir: '/wh' });
  return { session, queries, calls };
}

describe('SqlSession', () => {
  it('rewrites queries with scans of the right version, resolving relative paths', async () => {
    const { session, queries } = setup();
    const results = await session.execute('SELECT * FROM delta.`bronze/orders` VERSION AS OF 1 o; SELECT 2');
    expect(queries).toEqual([
      `SELECT * FROM (SELECT * FROM scan('/wh/bronze/orders', {"version":1})) o`,
      'SELECT 2',
    ]);
    expect(results.map((r) => r.statement)).toEqual(['query', 'query']);
  });

  it('passes timestamp literals to the table and evaluates expressions in the engine', async () => {
    const { session, queries } = setup();
    await session.execute("SELECT * FROM delta.`/t` TIMESTAMP AS OF '2024-01-15 10:00:00'");
    expect(queries).toEqual([
      `SELECT * FROM (SELECT * FROM scan('/t', {"timestamp":"2024-01-15 10:00:00"})) AS "t"`,
    ]);
    await session.execute('SELECT * FROM delta.`/t` TIMESTAMP AS OF now() x');
    expect(queries.slice(1)).toEqual([
      'SELECT epoch_ms(CAST((now()) AS TIMESTAMPTZ)) AS ms',
      `SELECT * FROM (SELECT * FROM scan('/t', {"timestamp":1})) x`,
    ]);
  });

  it('creates a table from column definitions', async () => {
    const { session, calls } = setup({ exists: false });
    const [r] = await session.execute(
      "CREATE TABLE delta.`/t` (id BIGINT NOT NULL, d DATE COMMENT 'day') PARTITIONED BY (d) TBLPROPERTIES ('a'='b')",
    );
    expect(r).toEqual({ statement: 'createTable', columns: [], rows: [] });
    expect(calls).toEqual([
      [
        'create',
        '/t',
        {
          schema: DataType.struct([
            DataType.field('id', DataType.primitive('long'), false),
            DataType.field('d', DataType.primitive('date'), true, { comment: 'day' }),
          ]),
          partitionColumns: ['d'],
          properties: { a: 'b' },
          ifNotExists: false,
          orReplace: false,
        },
      ],
    ]);
  });

  it('creates a table from a query with the rewritten source', async () => {
    const { session, calls } = setup({ exists: false });
    await session.execute(
      'CREATE TABLE delta.`/gold` PARTITIONED BY (d) AS SELECT d, count(*) AS n FROM delta.`/silver` GROUP BY d',
    );
    expect(calls).toEqual([
      [
        'write',
        '/gold',
        {
          sql: `SELECT d, count(*) AS n FROM (SELECT * FROM scan('/silver')) AS "silver" GROUP BY d`,
          mode: 'errorIfExists',
          partitionBy: ['d'],
          properties: {},
          operation: 'CREATE TABLE AS SELECT',
        },
      ],
    ]);
  });

  it('refuses to create over an existing table unless OR REPLACE / IF NOT EXISTS', async () => {
    const { session, calls } = setup({ exists: true });
    await expect(session.execute('CREATE TABLE delta.`/t` AS SELECT 1')).rejects.toMatchObject({
      code: 'TABLE_ALREADY_EXISTS',
      sqlState: '42P07',
      message: expect.stringContaining('delta.`/t` already exists'),
    });
    await session.execute('CREATE TABLE IF NOT EXISTS delta.`/t` AS SELECT 1');
    await session.execute('CREATE OR REPLACE TABLE delta.`/t` AS SELECT 1 AS a');
    expect(calls).toEqual([
      [
        'write',
        '/t',
        {
          sql: 'SELECT 1 AS a',
          mode: 'overwrite',
          overwriteSchema: true,
          partitionBy: [],
          properties: {},
          operation: 'CREATE OR REPLACE TABLE AS SELECT',
        },
      ],
    ]);
  });

  it('inserts by position with store-assignment casts and returns the row counts', async () => {
    const { session, calls, queries } = setup({
      describe: [
        { name: 'col0', type: 'INTEGER' },
        { name: 'col1', type: 'VARCHAR' },
        { name: 'col2', type: 'VARCHAR' },
      ],
    });
    const [r] = await session.execute("INSERT INTO delta.`/t` VALUES (1, 'a', '2024-01-01')");
    expect(calls[1]).toEqual([
      'write',
      '/t',
      {
        sql: `SELECT CAST(_src."id" AS BIGINT) AS "id", _src."name" AS "name", CAST(_src."d" AS DATE) AS "d" FROM (VALUES (1, 'a', '2024-01-01')) AS _src("id", "name", "d")`,
        mode: 'append',
      },
    ]);
    expect(queries).toEqual([
      `SELECT "num_affected_rows", "num_inserted_rows" FROM (VALUES\n  (0, 2::BIGINT, 2::BIGINT)\n) AS t("_ord", "num_affected_rows", "num_inserted_rows") ORDER BY "_ord"`,
    ]);
    expect(r!.statement).toBe('insert');
  });

  it('inserts a column list (others NULL), overwrite and replaceWhere', async () => {
    const { session, calls } = setup({ describe: [{ name: 'x', type: 'BIGINT' }] });
    await session.execute(
      "INSERT OVERWRITE delta.`/t` (id) SELECT 5; INSERT INTO delta.`/t` (id) REPLACE WHERE d = '2024-01-01' SELECT 6",
    );
    expect(calls.filter((c) => c[0] === 'write').map((c) => c[2])).toEqual([
      {
        sql: `SELECT _src."id" AS "id", CAST(NULL AS VARCHAR) AS "name", CAST(NULL AS DATE) AS "d" FROM (SELECT 5) AS _src("id")`,
        mode: 'overwrite',
      },
      {
        sql: `SELECT _src."id" AS "id", CAST(NULL AS VARCHAR) AS "name", CAST(NULL AS DATE) AS "d" FROM (SELECT 6) AS _src("id")`,
        mode: 'overwrite',
        replaceWhere: "d = '2024-01-01'",
      },
    ]);
  });

  it('fills static partition values and overwrites only those partitions', async () => {
    const { session, calls } = setup({
      describe: [
        { name: 'a', type: 'INTEGER' },
        { name: 'b', type: 'VARCHAR' },
      ],
    });
    await session.execute("INSERT OVERWRITE delta.`/t` PARTITION (d = '2024-01-01') SELECT 1, 'x'");
    expect(calls.filter((c) => c[0] === 'write').map((c) => c[2])).toEqual([
      {
        sql: `SELECT CAST(_src."id" AS BIGINT) AS "id", _src."name" AS "name", CAST('2024-01-01' AS DATE) AS "d" FROM (SELECT 1, 'x') AS _src("id", "name")`,
        mode: 'overwrite',
        replaceWhere: `"d" = '2024-01-01'`,
      },
    ]);
  });

  it('fails an INSERT whose column count does not match, naming the table and columns', async () => {
    const { session } = setup({ describe: [{ name: 'x', type: 'BIGINT' }] });
    const err = await session.execute('INSERT INTO delta.`/t` SELECT 1').catch((e: unknown) => e);
    expect(isSqlError(err, 'COLUMN_COUNT_MISMATCH')).toBe(true);
    expect((err as Error).message).toBe(
      'Cannot write to delta.`/t`: not enough data columns; the table expects 3 (id, name, d) but the query produces 1',
    );
  });

  it('fails on a missing table with 42P01, saying which statement failed', async () => {
    const { session } = setup({ exists: false });
    await expect(session.execute('SELECT 1; DESCRIBE HISTORY delta.`/nope`')).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      sqlState: '42P01',
      message: expect.stringContaining('delta.`/nope` does not exist'),
      details: { statementIndex: 2, statementCount: 2 },
    });
  });

  it('describes history with Databricks columns', async () => {
    const { session, queries, calls } = setup();
    await session.execute('DESCRIBE HISTORY delta.`/t` LIMIT 1');
    expect(calls).toEqual([['history', '/t', 1]]);
    expect(queries[0]).toContain(
      `(0, 1::BIGINT, '2024-01-15T10:00:00.005Z'::TIMESTAMPTZ, NULL::VARCHAR, NULL::VARCHAR, 'WRITE'::VARCHAR, MAP {'mode': 'Append'}::MAP(VARCHAR, VARCHAR),`,
    );
    expect(queries[0]).toContain(`'Loch''s'::VARCHAR)`);
    expect(queries[0]).toMatch(
      /^SELECT "version", "timestamp", "userId", "userName", "operation", "operationParameters", "job", "notebook", "clusterId", "readVersion", "isolationLevel", "isBlindAppend", "operationMetrics", "userMetadata", "engineInfo" FROM/,
    );
  });

  it('restores by version and alters', async () => {
    const { session, calls } = setup();
    await session.execute(
      'RESTORE TABLE delta.`/t` TO VERSION AS OF 1; ALTER TABLE delta.`/t` RENAME COLUMN a TO b; ALTER TABLE delta.`/t` DROP COLUMNS IF EXISTS (zz, name)',
    );
    expect(calls).toEqual([
      ['restore', '/t', { version: 1 }],
      ['alter', '/t', { kind: 'renameColumn', from: 'a', to: 'b' }],
      ['snapshot', '/t', undefined],
      ['alter', '/t', { kind: 'dropColumns', columns: ['name'] }],
    ]);
  });

  it('wraps engine errors with SQLSTATEs', async () => {
    const { session } = setup();
    const failing = session as unknown as { run: () => Promise<never> };
    failing.run = async () => {
      throw new Error("Conversion Error: Could not convert string 'x' to INT32");
    };
    await expect(session.execute('SELECT 1')).rejects.toMatchObject({
      code: 'DATA_ERROR',
      sqlState: '22018',
    });
  });
});
