import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, loch, ndjson, sqlOk, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

describe('loch basics', () => {
  it('prints help and version', () => {
    const help = loch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('loch sql [--format table|ndjson|csv|json]');
    const version = loch(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^loch \d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on usage errors', () => {
    for (const args of [
      ['bogus'],
      ['sql'],
      ['sql', '--format', 'xml', 'SELECT 1'],
      ['sql', '--nope', 'SELECT 1'],
      [],
    ]) {
      const r = loch(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(loch(['sql', '--format', 'xml', 'SELECT 1']).stderr).toContain("unknown format 'xml'");
  });

  it('runs plain DuckDB queries and prints the last result', () => {
    expect(sqlOk(dir, 'SELECT 1 AS a; SELECT 2 AS b')).toBe('{"b":2}\n');
  });
});

describe('create, insert, select in every format', () => {
  beforeAll(() => {
    sqlOk(
      dir,
      `CREATE TABLE delta.\`people\` (id BIGINT NOT NULL, name STRING, score DECIMAL(5,2)) USING DELTA;
       INSERT INTO delta.\`people\` VALUES (1, 'ann', 1.5), (2, 'bo, "b"', NULL)`,
    );
  });

  it('writes a Delta log under the warehouse', () => {
    expect(existsSync(join(dir, 'people', '_delta_log', '00000000000000000000.json'))).toBe(true);
    expect(existsSync(join(dir, 'people', '_delta_log', '00000000000000000001.json'))).toBe(true);
  });

  it('ndjson', () => {
    expect(ndjson(sqlOk(dir, 'SELECT * FROM delta.`people` ORDER BY id'))).toEqual([
      { id: 1, name: 'ann', score: '1.50' },
      { id: 2, name: 'bo, "b"', score: null },
    ]);
  });

  it('json', () => {
    expect(JSON.parse(sqlOk(dir, 'SELECT id, name FROM delta.`people` ORDER BY id', 'json'))).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bo, "b"' },
    ]);
  });

  it('csv', () => {
    const out = sqlOk(dir, 'SELECT id, name FROM delta.`people` ORDER BY id', 'csv');
    expect(out.trim().split(/\r?\n/)).toEqual(['id,name', '1,ann', '2,"bo, ""b"""']);
  });

  it('table (the default)', () => {
    const r = loch(['sql', '--warehouse', dir, 'SELECT id, name FROM delta.`people` ORDER BY id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('id');
    expect(r.stdout).toContain('ann');
    expect(r.stdout).toContain('bo, "b"');
  });

  it('INSERT reports affected rows like Databricks', () => {
    expect(ndjson(sqlOk(dir, "INSERT INTO delta.`people` (id, name) SELECT 3, 'cy'"))).toEqual([
      { num_affected_rows: 1, num_inserted_rows: 1 },
    ]);
    expect(ndjson(sqlOk(dir, 'SELECT count(*) AS n, count(score) AS s FROM delta.`people`'))).toEqual([
      { n: 3, s: 1 },
    ]);
  });

  it('resolves absolute paths and file:// URLs to the same table', () => {
    const abs = join(dir, 'people');
    const a = ndjson(sqlOk(dir, `SELECT count(*) AS n FROM delta.\`${abs}\``));
    const b = ndjson(sqlOk(dir, `SELECT count(*) AS n FROM delta.\`file://${abs}\``));
    expect(a).toEqual(b);
  });
});

describe('ndjson value rules', () => {
  it('prints every type as the contract says', () => {
    const out = sqlOk(
      dir,
      `CREATE TABLE delta.\`types\` (
         i INT, big BIGINT, huge BIGINT, dec DECIMAL(10,3), d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, b BINARY,
         s STRUCT<a: INT, b: STRING>, arr ARRAY<INT>, m MAP<STRING, INT>, str STRING, ok BOOLEAN, dbl DOUBLE);
       INSERT INTO delta.\`types\` SELECT
         1, 42, 9007199254740993, 1.5, DATE '2024-01-31', TIMESTAMPTZ '2024-01-31 12:34:56.123456+00',
         TIMESTAMP '2024-01-31 12:34:56.123456', 'hi'::BLOB, {'a': 1, 'b': 'x'}, [1, 2, NULL], MAP {'k': 1},
         'str', true, 1.25;
       SELECT * FROM delta.\`types\``,
    );
    expect(ndjson(out)).toEqual([
      {
        i: 1,
        big: 42,
        huge: '9007199254740993',
        dec: '1.500',
        d: '2024-01-31',
        ts: '2024-01-31T12:34:56.123456Z',
        ntz: '2024-01-31T12:34:56.123456',
        b: 'aGk=',
        s: { a: 1, b: 'x' },
        arr: [1, 2, null],
        m: [{ key: 'k', value: 1 }],
        str: 'str',
        ok: true,
        dbl: 1.25,
      },
    ]);
  });
});

describe('time travel, history, detail, restore, alter', () => {
  beforeAll(() => {
    sqlOk(
      dir,
      `CREATE TABLE delta.\`tt\` (id INT, v STRING);
       INSERT INTO delta.\`tt\` VALUES (1, 'a');
       INSERT INTO delta.\`tt\` VALUES (2, 'b');
       INSERT OVERWRITE delta.\`tt\` VALUES (3, 'c')`,
    );
  });

  it('reads older versions with VERSION AS OF, @v and TIMESTAMP AS OF', () => {
    const q = (from: string) => ndjson(sqlOk(dir, `SELECT id FROM ${from} ORDER BY id`)).map((r) => r['id']);
    expect(q('delta.`tt`')).toEqual([3]);
    expect(q('delta.`tt` VERSION AS OF 1')).toEqual([1]);
    expect(q('delta.`tt@v2`')).toEqual([1, 2]);
    expect(q('delta.`tt` FOR VERSION AS OF 0')).toEqual([]);
    const history = ndjson(sqlOk(dir, 'DESCRIBE HISTORY delta.`tt`'));
    const v1 = history.find((h) => h['version'] === 1)!['timestamp'] as string;
    expect(q(`delta.\`tt\` TIMESTAMP AS OF '${v1}'`)).toEqual([1]);
    expect(q(`delta.\`tt\` TIMESTAMP AS OF '${v1}'::TIMESTAMPTZ + INTERVAL 0 SECOND`)).toEqual([1]);
    const late = loch(['sql', '--warehouse', dir, "SELECT * FROM delta.`tt` TIMESTAMP AS OF '2999-01-01'"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('2999-01-01');
  });

  it('INSERT applies store assignment: numeric widening/narrowing casts and strings to dates', () => {
    sqlOk(dir, 'CREATE TABLE delta.`assign` (small SMALLINT, dec DECIMAL(5,2), d DATE, ts TIMESTAMP)');
    sqlOk(dir, "INSERT INTO delta.`assign` VALUES (7, 100, '2024-02-29', '2024-02-29 10:00:00')");
    expect(ndjson(sqlOk(dir, 'SELECT * FROM delta.`assign`'))).toEqual([
      { small: 7, dec: '100.00', d: '2024-02-29', ts: '2024-02-29T10:00:00.000000Z' },
    ]);
    const overflow = loch(['sql', '--warehouse', dir, 'INSERT INTO delta.`assign` (small) VALUES (100000)']);
    expect(overflow.code).toBe(1);
    expect(overflow.stderr).toContain('22003');
  });

  it('fails on a version that does not exist', () => {
    const r = loch(['sql', '--warehouse', dir, 'SELECT * FROM delta.`tt` VERSION AS OF 99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/99/);
  });

  it('DESCRIBE HISTORY has Databricks columns, newest first', () => {
    const rows = ndjson(sqlOk(dir, 'DESCRIBE HISTORY delta.`tt`'));
    expect(Object.keys(rows[0]!)).toEqual([
      'version',
      'timestamp',
      'userId',
      'userName',
      'operation',
      'operationParameters',
      'job',
      'notebook',
      'clusterId',
      'readVersion',
      'isolationLevel',
      'isBlindAppend',
      'operationMetrics',
      'userMetadata',
      'engineInfo',
    ]);
    expect(rows.map((r) => [r['version'], r['operation']])).toEqual([
      [3, 'WRITE'],
      [2, 'WRITE'],
      [1, 'WRITE'],
      [0, 'CREATE TABLE'],
    ]);
    expect(rows[0]!['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(rows[0]!['operationParameters']).toContainEqual({ key: 'mode', value: 'Overwrite' });
    expect(ndjson(sqlOk(dir, 'DESCRIBE HISTORY delta.`tt` LIMIT 1'))).toHaveLength(1);
  });

  it('DESCRIBE DETAIL has Databricks columns', () => {
    const [row] = ndjson(sqlOk(dir, 'DESCRIBE DETAIL delta.`tt`'));
    expect(Object.keys(row!)).toEqual([
      'format',
      'id',
      'name',
      'description',
      'location',
      'createdAt',
      'lastModified',
      'partitionColumns',
      'clusteringColumns',
      'numFiles',
      'sizeInBytes',
      'properties',
      'minReaderVersion',
      'minWriterVersion',
      'tableFeatures',
    ]);
    expect(row).toMatchObject({ format: 'delta', partitionColumns: [], numFiles: 1 });
    expect(String(row!['location'])).toContain('tt');
  });

  it('DESCRIBE TABLE lists columns', () => {
    expect(ndjson(sqlOk(dir, 'DESCRIBE TABLE delta.`tt`'))).toEqual([
      { col_name: 'id', data_type: 'int', comment: null },
      { col_name: 'v', data_type: 'string', comment: null },
    ]);
  });

  it('RESTORE returns its metrics and brings the old rows back', () => {
    const [m] = ndjson(sqlOk(dir, 'RESTORE TABLE delta.`tt` TO VERSION AS OF 2'));
    expect(m).toMatchObject({ num_of_files_after_restore: 2, num_restored_files: 2, num_removed_files: 1 });
    expect(ndjson(sqlOk(dir, 'SELECT id FROM delta.`tt` ORDER BY id'))).toEqual([{ id: 1 }, { id: 2 }]);
    const [h] = ndjson(sqlOk(dir, 'DESCRIBE HISTORY delta.`tt` LIMIT 1'));
    expect(h!['operation']).toBe('RESTORE');
  });

  it('ALTER TABLE adds, renames and drops columns and sets properties', () => {
    sqlOk(
      dir,
      `ALTER TABLE delta.\`tt\` ADD COLUMNS (extra DOUBLE COMMENT 'new');
       ALTER TABLE delta.\`tt\` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'owner' = 'me');
       ALTER TABLE delta.\`tt\` RENAME COLUMN v TO label;
       ALTER TABLE delta.\`tt\` DROP COLUMN extra`,
    );
    expect(ndjson(sqlOk(dir, 'SELECT * FROM delta.`tt` ORDER BY id'))).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
    ]);
    const [d] = ndjson(sqlOk(dir, 'DESCRIBE DETAIL delta.`tt`'));
    expect(d!['properties']).toContainEqual({ key: 'owner', value: 'me' });
    sqlOk(dir, "ALTER TABLE delta.`tt` UNSET TBLPROPERTIES ('owner')");
    const [d2] = ndjson(sqlOk(dir, 'DESCRIBE DETAIL delta.`tt`'));
    expect(d2!['properties']).not.toContainEqual({ key: 'owner', value: 'me' });
  });
});

describe('errors', () => {
  it('a schema mismatch exits 1 naming the column and both types, without a stack', () => {
    sqlOk(dir, 'CREATE TABLE delta.`strict` (id INT, amount DECIMAL(18,2))');
    const r = loch(['sql', '--warehouse', dir, "INSERT INTO delta.`strict` SELECT 'x' AS id, 1.5 AS amount"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/id/);
    expect(r.stderr.toLowerCase()).toMatch(/string|varchar/);
    expect(r.stderr.toLowerCase()).toMatch(/int/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = loch(['sql', '--warehouse', dir, "INSERT INTO delta.`strict` SELECT 'x', 1.5"], {
      env: { LOCH_DEBUG: '1' },
    });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // nothing was written
    expect(ndjson(sqlOk(dir, 'SELECT count(*) AS n FROM delta.`strict`'))).toEqual([{ n: 0 }]);
  });

  it('a missing table exits 1 with 42P01 and its path', () => {
    const r = loch(['sql', '--warehouse', dir, 'SELECT * FROM delta.`missing`']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing');
    expect(r.stderr).toContain('42P01');
  });

  it('a syntax error exits 1 with its position', () => {
    const r = loch(['sql', '--warehouse', dir, 'CREATE TABLE delta.`x` (a STRNG)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("at or near 'STRNG' (line 1, column 27)");
    expect(r.stderr).toContain('42601');
  });

  it('creating an existing table fails', () => {
    const r = loch(['sql', '--warehouse', dir, 'CREATE TABLE delta.`strict` (id INT)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });
});
