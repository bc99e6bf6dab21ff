import { DataType } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseScript } from './parser.js';

const one = (sql: string) => {
  const stmts = parseScript(sql);
  expect(stmts).toHaveLength(1);
  return stmts[0]!;
};

describe('CREATE TABLE', () => {
  it('parses columns, partitioning, comment and properties', () => {
    const s = one(`CREATE TABLE IF NOT EXISTS delta.\`/tmp/t\` (
        id BIGINT NOT NULL COMMENT 'key',
        amount DECIMAL(18, 2),
        tags ARRAY<STRING>,
        attrs MAP<STRING, INT>,
        addr STRUCT<city: STRING, zip INT NOT NULL>,
        d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, b BINARY, l LONG, s SMALLINT, t TINYINT, f FLOAT, x DOUBLE, ok BOOLEAN
      ) USING DELTA PARTITIONED BY (d) COMMENT 'orders'
      TBLPROPERTIES ('delta.appendOnly' = 'true', delta.enableChangeDataFeed = true, 'n' = 5)`);
    expect(s).toMatchObject({
      kind: 'createTable',
      table: { location: '/tmp/t' },
      orReplace: false,
      ifNotExists: true,
      partitionedBy: ['d'],
      comment: 'orders',
      properties: { 'delta.appendOnly': 'true', 'delta.enableChangeDataFeed': 'true', n: '5' },
    });
    if (s.kind !== 'createTable') throw new Error();
    expect(s.columns!.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['id', DataType.primitive('long'), false],
      ['amount', DataType.decimal(18, 2), true],
      ['tags', DataType.array(DataType.primitive('string')), true],
      ['attrs', DataType.map(DataType.primitive('string'), DataType.primitive('integer')), true],
      [
        'addr',
        DataType.struct([
          DataType.field('city', DataType.primitive('string')),
          DataType.field('zip', DataType.primitive('integer'), false),
        ]),
        true,
      ],
      ['d', DataType.primitive('date'), true],
      ['ts', DataType.primitive('timestamp'), true],
      ['ntz', DataType.primitive('timestamp_ntz'), true],
      ['b', DataType.primitive('binary'), true],
      ['l', DataType.primitive('long'), true],
      ['s', DataType.primitive('short'), true],
      ['t', DataType.primitive('byte'), true],
      ['f', DataType.primitive('float'), true],
      ['x', DataType.primitive('double'), true],
      ['ok', DataType.primitive('boolean'), true],
    ]);
    expect(s.columns![0]!.comment).toBe('key');
  });

  it('parses nested generics whose closing brackets touch (>>)', () => {
    const s = one('CREATE TABLE delta.`t` (a ARRAY<MAP<STRING, ARRAY<INT>>>)');
    if (s.kind !== 'createTable') throw new Error();
    expect(s.columns![0]!.type).toEqual(
      DataType.array(
        DataType.map(DataType.primitive('string'), DataType.array(DataType.primitive('integer'))),
      ),
    );
  });

  it('parses CREATE OR REPLACE ... AS query, keeping the query text', () => {
    const s = one(
      "CREATE OR REPLACE TABLE delta.`./gold` PARTITIONED BY (day) AS SELECT 1 AS x, 'a;b' AS day",
    );
    expect(s).toMatchObject({
      kind: 'createTable',
      orReplace: true,
      replaceOnly: false,
      partitionedBy: ['day'],
      query: { sql: "SELECT 1 AS x, 'a;b' AS day" },
    });
  });

  it('parses REPLACE TABLE and a named table with LOCATION', () => {
    expect(one('REPLACE TABLE delta.`/x` AS SELECT 1')).toMatchObject({
      kind: 'createTable',
      replaceOnly: true,
    });
    expect(one("CREATE TABLE sales (a INT) USING DELTA LOCATION '/data/sales'")).toMatchObject({
      kind: 'createTable',
      name: 'sales',
      table: { location: '/data/sales' },
    });
  });

  it('passes DuckDB tables and views through', () => {
    expect(one('CREATE TEMP TABLE t AS SELECT 1')).toMatchObject({ kind: 'query' });
    expect(one('CREATE TABLE t (a INTEGER PRIMARY KEY)')).toMatchObject({ kind: 'query' });
    expect(one('CREATE VIEW v AS SELECT 1')).toMatchObject({ kind: 'query' });
  });

  it('reports a bad type with its position and the token', () => {
    try {
      parseScript('SELECT 1;\nCREATE TABLE delta.`/t` (a STRNG)');
      expect.unreachable();
    } catch (e) {
      expect(isSqlError(e, 'SYNTAX_ERROR')).toBe(true);
      expect((e as Error).message).toMatch(/at or near 'STRNG' \(line 2, column 28\): expected a data type/);
    }
  });

  it('rejects other table formats', () => {
    expect(() => parseScript('CREATE TABLE delta.`/t` (a INT) USING parquet')).toThrow(
      /format 'parquet' is not supported/,
    );
  });
});

describe('INSERT', () => {
  it('parses INTO with a column list and VALUES', () => {
    expect(one("INSERT INTO delta.`/t` (a, b) VALUES (1, 'x'), (2, 'y')")).toEqual({
      kind: 'insert',
      table: { location: '/t' },
      overwrite: false,
      columns: ['a', 'b'],
      byName: false,
      query: { sql: "VALUES (1, 'x'), (2, 'y')", offset: 30 },
    });
  });

  it('parses OVERWRITE TABLE and a parenthesized query', () => {
    expect(one('INSERT OVERWRITE TABLE delta.`/t` (SELECT 1)')).toMatchObject({
      kind: 'insert',
      overwrite: true,
      query: { sql: '(SELECT 1)' },
    });
  });

  it('parses REPLACE WHERE up to the query, with IN (subquery) inside the predicate', () => {
    expect(
      one("INSERT INTO delta.`/t` REPLACE WHERE d >= '2024-01-01' AND k IN (SELECT 1) SELECT * FROM src"),
    ).toMatchObject({
      kind: 'insert',
      replaceWhere: { sql: "d >= '2024-01-01' AND k IN (SELECT 1)" },
      query: { sql: 'SELECT * FROM src' },
    });
    expect(one('INSERT INTO delta.`/t` REPLACE WHERE d = 1 (SELECT 2)')).toMatchObject({
      replaceWhere: { sql: 'd = 1' },
      query: { sql: '(SELECT 2)' },
    });
  });

  it('parses a PARTITION spec with static and dynamic columns', () => {
    expect(
      one("INSERT OVERWRITE delta.`/t` PARTITION (d = DATE '2024-01-01', region) SELECT 1, 'eu'"),
    ).toMatchObject({
      kind: 'insert',
      overwrite: true,
      partition: [{ column: 'd', value: { sql: "DATE '2024-01-01'" } }, { column: 'region' }],
      query: { sql: "SELECT 1, 'eu'" },
    });
  });

  it('passes INSERT into DuckDB tables through', () => {
    expect(one('INSERT INTO t VALUES (1)')).toMatchObject({
      kind: 'query',
      query: { sql: 'INSERT INTO t VALUES (1)' },
    });
  });

  it('rejects time travel on the target', () => {
    expect(() => parseScript('INSERT INTO delta.`/t` VERSION AS OF 1 SELECT 1')).toThrow(
      /time travel \(VERSION\/TIMESTAMP AS OF\) is not allowed/,
    );
  });
});

describe('DESCRIBE, RESTORE, ALTER', () => {
  it('parses DESCRIBE HISTORY / DETAIL / TABLE', () => {
    expect(one('DESCRIBE HISTORY delta.`/t` LIMIT 2')).toEqual({
      kind: 'describeHistory',
      table: { location: '/t' },
      limit: 2,
    });
    expect(one('desc detail delta.`/t`')).toEqual({ kind: 'describeDetail', table: { location: '/t' } });
    expect(one('DESCRIBE TABLE delta.`/t@v3`')).toEqual({
      kind: 'describeTable',
      table: { location: '/t', timeTravel: { kind: 'version', version: 3 } },
      extended: false,
    });
    expect(one('DESCRIBE SELECT 1')).toMatchObject({ kind: 'query' });
  });

  it('parses SHOW TBLPROPERTIES with an optional key', () => {
    expect(one('SHOW TBLPROPERTIES delta.`/t`')).toEqual({
      kind: 'showTblProperties',
      table: { location: '/t' },
    });
    expect(one("SHOW TBLPROPERTIES delta.`/t` ('delta.appendOnly')")).toEqual({
      kind: 'showTblProperties',
      table: { location: '/t' },
      key: 'delta.appendOnly',
    });
  });

  it('names a table that is not a path', () => {
    expect(() => parseScript('DESCRIBE HISTORY events')).toThrow(
      /Table 'events' not found.*delta\.`\/path\/to\/table`/,
    );
  });

  it('parses RESTORE by version and timestamp', () => {
    expect(one('RESTORE TABLE delta.`/t` TO VERSION AS OF 1')).toEqual({
      kind: 'restore',
      table: { location: '/t' },
      to: { kind: 'version', version: 1 },
    });
    expect(one("RESTORE delta.`/t` TIMESTAMP AS OF '2024-01-15 00:00:00'")).toMatchObject({
      to: { kind: 'timestamp', sql: "'2024-01-15 00:00:00'" },
    });
  });

  it('parses ALTER TABLE actions', () => {
    const t = 'ALTER TABLE delta.`/t` ';
    expect(one(`${t}ADD COLUMNS (c INT COMMENT 'x', d STRING)`)).toMatchObject({
      action: {
        kind: 'addColumns',
        columns: [
          { name: 'c', type: DataType.primitive('integer'), nullable: true, comment: 'x' },
          { name: 'd', type: DataType.primitive('string'), nullable: true },
        ],
      },
    });
    expect(one(`${t}ADD COLUMN e DATE`)).toMatchObject({
      action: { kind: 'addColumns', columns: [{ name: 'e' }] },
    });
    expect(one(`${t}RENAME COLUMN a TO b`)).toMatchObject({
      action: { kind: 'renameColumn', from: 'a', to: 'b' },
    });
    expect(one(`${t}DROP COLUMNS IF EXISTS (a, b)`)).toMatchObject({
      action: { kind: 'dropColumns', columns: ['a', 'b'], ifExists: true },
    });
    expect(one(`${t}DROP COLUMN a`)).toMatchObject({
      action: { kind: 'dropColumns', columns: ['a'], ifExists: false },
    });
    expect(one(`${t}SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name')`)).toMatchObject({
      action: { kind: 'setProperties', properties: { 'delta.columnMapping.mode': 'name' } },
    });
    expect(one(`${t}UNSET TBLPROPERTIES IF EXISTS ('a', b.c)`)).toMatchObject({
      action: { kind: 'unsetProperties', keys: ['a', 'b.c'], ifExists: true },
    });
    expect(one(`${t}CLUSTER BY (a)`)).toMatchObject({ action: { kind: 'clusterBy', columns: ['a'] } });
    expect(() => parseScript(`${t}SORT BY (a)`)).toThrow(/expected ADD COLUMNS, RENAME COLUMN/);
    expect(one('ALTER TABLE t ADD COLUMN x INT')).toMatchObject({ kind: 'query' });
  });
});

it('passes queries through with their offsets', () => {
  const stmts = parseScript('  SELECT 1 ;\n WITH a AS (SELECT 1) SELECT * FROM a');
  expect(stmts).toEqual([
    { kind: 'query', query: { sql: 'SELECT 1', offset: 2 } },
    { kind: 'query', query: { sql: 'WITH a AS (SELECT 1) SELECT * FROM a', offset: 14 } },
  ]);
});

it('rejects Delta statements of later issues clearly, but passes the DuckDB ones through', () => {
  expect(() => parseScript('REORG TABLE delta.`/t` APPLY (PURGE)')).toThrow(
    /REORG on Delta tables is not supported yet/,
  );
  expect(() => parseScript('TRUNCATE TABLE delta.`/t`')).toThrow(/TRUNCATE on Delta tables/);
  expect(parseScript('DELETE FROM t WHERE id = 1')).toEqual([
    { kind: 'query', query: { sql: 'DELETE FROM t WHERE id = 1', offset: 0 } },
  ]);
});
