import { beforeAll, describe, expect, it } from 'vitest';
import { loch, ndjson, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe('time travel, history, detail, restore, alter', () => {
  beforeAll(() => {
    sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`tt\` (id INT, v STRING);
       INSERT INTO delta.\`tt\` VALUES (1, 'a');
       INSERT INTO delta.\`tt\` VALUES (2, 'b');
       INSERT OVERWRITE delta.\`tt\` VALUES (3, 'c')`,
    );
  });

  it('reads older versions with VERSION AS OF, @v and TIMESTAMP AS OF', () => {
    const history = ndjson(sqlOk(cli.dir, 'DESCRIBE HISTORY delta.`tt`'));
    const v1 = history.find((h) => h['version'] === 1)!['timestamp'] as string;
    const ids = (from: string) => `(SELECT coalesce(list(id ORDER BY id), []) FROM ${from})`;
    const [row] = ndjson(
      sqlOk(
        cli.dir,
        `SELECT ${ids('delta.`tt`')} AS latest, ${ids('delta.`tt` VERSION AS OF 1')} AS v1,
                ${ids('delta.`tt@v2`')} AS v2, ${ids('delta.`tt` FOR VERSION AS OF 0')} AS v0,
                ${ids(`delta.\`tt\` TIMESTAMP AS OF '${v1}'`)} AS ts_literal,
                ${ids(`delta.\`tt\` TIMESTAMP AS OF '${v1}'::TIMESTAMPTZ + INTERVAL 0 SECOND`)} AS ts_expr`,
      ),
    );
    expect(row).toEqual({ latest: [3], v1: [1], v2: [1, 2], v0: [], ts_literal: [1], ts_expr: [1] });
    const late = loch([
      'sql',
      '--warehouse',
      cli.dir,
      "SELECT * FROM delta.`tt` TIMESTAMP AS OF '2999-01-01'",
    ]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('2999-01-01');
  });

  it('INSERT applies store assignment: numeric widening/narrowing casts and strings to dates', () => {
    const out = sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`assign\` (small SMALLINT, dec DECIMAL(5,2), d DATE, ts TIMESTAMP);
       INSERT INTO delta.\`assign\` VALUES (7, 100, '2024-02-29', '2024-02-29 10:00:00');
       SELECT * FROM delta.\`assign\``,
    );
    expect(ndjson(out)).toEqual([
      { small: 7, dec: '100.00', d: '2024-02-29', ts: '2024-02-29T10:00:00.000000Z' },
    ]);
    const overflow = loch([
      'sql',
      '--warehouse',
      cli.dir,
      'INSERT INTO delta.`assign` (small) VALUES (100000)',
    ]);
    expect(overflow.code).toBe(1);
    expect(overflow.stderr).toContain('22003');
  });

  it('INSERT OVERWRITE ... PARTITION replaces one partition', () => {
    const out = sqlOk(
      cli.dir,
      `CREATE TABLE delta.\`parts\` (id INT, d DATE) PARTITIONED BY (d);
       INSERT INTO delta.\`parts\` VALUES (1, '2024-01-01'), (2, '2024-01-02');
       INSERT OVERWRITE delta.\`parts\` PARTITION (d = '2024-01-02') VALUES (20), (21);
       SELECT id, d FROM delta.\`parts\` ORDER BY id`,
    );
    expect(ndjson(out)).toEqual([
      { id: 1, d: '2024-01-01' },
      { id: 20, d: '2024-01-02' },
      { id: 21, d: '2024-01-02' },
    ]);
  });

  it('fails on a version that does not exist', () => {
    const r = loch(['sql', '--warehouse', cli.dir, 'SELECT * FROM delta.`tt` VERSION AS OF 99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/99/);
  });

  it('DESCRIBE HISTORY has Databricks columns, newest first', () => {
    const rows = ndjson(sqlOk(cli.dir, 'DESCRIBE HISTORY delta.`tt`'));
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
    expect(ndjson(sqlOk(cli.dir, 'DESCRIBE HISTORY delta.`tt` LIMIT 1'))).toHaveLength(1);
  });

  it('DESCRIBE DETAIL has Databricks columns', () => {
    const [row] = ndjson(sqlOk(cli.dir, 'DESCRIBE DETAIL delta.`tt`'));
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
    expect(ndjson(sqlOk(cli.dir, 'DESCRIBE TABLE delta.`tt`'))).toEqual([
      { col_name: 'id', data_type: 'int', comment: null },
      { col_name: 'v', data_type: 'string', comment: null },
    ]);
  });

  it('RESTORE returns its metrics and brings the old rows back', () => {
    const [m] = ndjson(sqlOk(cli.dir, 'RESTORE TABLE delta.`tt` TO VERSION AS OF 2'));
    expect(m).toMatchObject({ num_of_files_after_restore: 2, num_restored_files: 2, num_removed_files: 1 });
    expect(ndjson(sqlOk(cli.dir, 'SELECT id FROM delta.`tt` ORDER BY id'))).toEqual([{ id: 1 }, { id: 2 }]);
    const [h] = ndjson(sqlOk(cli.dir, 'DESCRIBE HISTORY delta.`tt` LIMIT 1'));
    expect(h!['operation']).toBe('RESTORE');
  });

  it('ALTER TABLE adds, renames and drops columns and sets properties', () => {
    const rows = sqlOk(
      cli.dir,
      `ALTER TABLE delta.\`tt\` ADD COLUMNS (extra DOUBLE COMMENT 'new');
       ALTER TABLE delta.\`tt\` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'owner' = 'me');
       ALTER TABLE delta.\`tt\` RENAME COLUMN v TO label;
       ALTER TABLE delta.\`tt\` DROP COLUMN extra;
       SELECT * FROM delta.\`tt\` ORDER BY id`,
    );
    expect(ndjson(rows)).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
    ]);
    const [d] = ndjson(sqlOk(cli.dir, 'DESCRIBE DETAIL delta.`tt`'));
    expect(d!['properties']).toContainEqual({ key: 'owner', value: 'me' });
    expect(ndjson(sqlOk(cli.dir, "SHOW TBLPROPERTIES delta.`tt` ('owner')"))).toEqual([
      { key: 'owner', value: 'me' },
    ]);
    const props = ndjson(
      sqlOk(cli.dir, "ALTER TABLE delta.`tt` UNSET TBLPROPERTIES ('owner'); SHOW TBLPROPERTIES delta.`tt`"),
    );
    expect(props.map((p) => p['key'])).not.toContain('owner');
    expect(props).toContainEqual({ key: 'delta.columnMapping.mode', value: 'name' });
  });
});
