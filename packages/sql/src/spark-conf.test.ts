import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseScript } from './parser.js';
import { SqlSession } from './session.js';
import { SparkConf } from './spark-conf.js';
import { useSqlSession } from './test-session.test-util.js';

describe('SparkConf', () => {
  it('turns properties.defaults.* into delta.* properties the statement does not set itself', () => {
    const conf = new SparkConf();
    conf.set('spark.databricks.delta.properties.defaults.enableChangeDataFeed', 'true');
    conf.set('spark.databricks.delta.properties.defaults.checkpointInterval', '5');
    conf.set('spark.sql.shuffle.partitions', '8');
    expect(conf.tableDefaults({ 'delta.checkpointInterval': '20' })).toEqual({
      'delta.enableChangeDataFeed': 'true',
      'delta.checkpointInterval': '20',
    });
    expect(conf.tableDefaults()).toEqual({
      'delta.enableChangeDataFeed': 'true',
      'delta.checkpointInterval': '5',
    });
  });

  it('validates known boolean keys in any case and reports session overrides', () => {
    const conf = new SparkConf();
    expect(conf.tableOverrides()).toEqual({});
    conf.set('SPARK.databricks.delta.autoCompact.enabled', 'TRUE');
    conf.set('spark.databricks.delta.optimizeWrite.enabled', 'false');
    expect(conf.tableOverrides()).toEqual({ autoCompact: true, optimizeWrite: false });
    expect(conf.show('spark.databricks.delta.autocompact.enabled')).toEqual([
      ['spark.databricks.delta.autoCompact.enabled', 'true'],
    ]);
    expect(() => conf.set('spark.databricks.delta.optimizeWrite.enabled', 'yes')).toThrow(
      /true or false, not 'yes'/,
    );
    conf.reset('spark.databricks.delta.autoCompact.enabled');
    expect(conf.tableOverrides()).toEqual({ optimizeWrite: false });
    expect(conf.show('spark.never.set')).toEqual([['spark.never.set', '<undefined>']]);
    expect(conf.show('spark.databricks.delta.retentionDurationCheck.enabled')).toEqual([
      ['spark.databricks.delta.retentionDurationCheck.enabled', 'true'],
    ]);
  });

  it('parses SET / SET key / SET / RESET for spark keys and leaves other SETs to DuckDB', () => {
    expect(
      parseScript("SET spark.databricks.delta.properties.defaults.logRetentionDuration = 'interval 60 days'"),
    ).toEqual([
      {
        kind: 'setSession',
        key: 'spark.databricks.delta.properties.defaults.logRetentionDuration',
        value: 'interval 60 days',
      },
    ]);
    expect(parseScript('SET spark.sql.files.maxPartitionBytes = 128MB')).toEqual([
      { kind: 'setSession', key: 'spark.sql.files.maxPartitionBytes', value: '128MB' },
    ]);
    expect(parseScript('SET spark.sql.shuffle.partitions')).toEqual([
      { kind: 'showSession', key: 'spark.sql.shuffle.partitions' },
    ]);
    expect(parseScript('SET')).toEqual([{ kind: 'showSession' }]);
    expect(parseScript('RESET spark.sql.shuffle.partitions')).toEqual([
      { kind: 'resetSession', key: 'spark.sql.shuffle.partitions' },
    ]);
    expect(parseScript('SET threads TO 2')[0]!.kind).toBe('query');
    expect(parseScript('RESET threads')[0]!.kind).toBe('query');
    // A bad value fails while parsing, so no earlier statement of the script runs.
    expect(() => parseScript('SELECT 1; SET spark.databricks.delta.autoCompact.enabled = often')).toThrow(
      /true or false/,
    );
  });
});

const fx = useSqlSession({ prefix: 'loch-sql-conf-' });
const { rows } = fx;

describe('Spark session configuration through SqlSession', () => {
  it('applies properties.defaults to tables created afterwards, not to existing ones', async () => {
    await fx.session.execute('CREATE TABLE delta.`before` (id INT)');
    await fx.session.execute(`
      SET spark.databricks.delta.properties.defaults.enableChangeDataFeed = true;
      SET spark.databricks.delta.properties.defaults.checkpointInterval = 5;
      CREATE TABLE delta.\`after\` (id INT) TBLPROPERTIES ('delta.checkpointInterval' = '7');
      CREATE TABLE delta.\`ctas\` AS SELECT 1 AS id;
      CREATE OR REPLACE TABLE delta.\`before\` (id INT);`);
    const props = async (t: string) =>
      Object.fromEntries((await rows(`SHOW TBLPROPERTIES delta.\`${t}\``)).map((r) => [r.key, r.value]));
    expect(await props('after')).toMatchObject({
      'delta.enableChangeDataFeed': 'true',
      'delta.checkpointInterval': '7',
    });
    expect(await props('ctas')).toMatchObject({
      'delta.enableChangeDataFeed': 'true',
      'delta.checkpointInterval': '5',
    });
    // REPLACE of an existing table keeps to what the statement says.
    expect(await props('before')).not.toHaveProperty('delta.enableChangeDataFeed');
    // The change feed of the new table works from its first write.
    await fx.session.execute('INSERT INTO delta.`after` VALUES (1)');
    expect(await rows("SELECT id, _change_type FROM table_changes('after', 1)")).toEqual([
      { id: 1, _change_type: 'insert' },
    ]);
    await fx.session.execute('RESET');
    expect(await rows('SET')).toEqual([]);
  });

  it('SET lists, SET key shows, RESET key forgets; DuckDB settings still work', async () => {
    await fx.session.execute(
      'SET spark.sql.shuffle.partitions = 8; SET spark.databricks.delta.schema.autoMerge.enabled = TRUE',
    );
    expect(await rows('SET')).toEqual([
      { key: 'spark.databricks.delta.schema.autoMerge.enabled', value: 'true' },
      { key: 'spark.sql.shuffle.partitions', value: '8' },
    ]);
    await fx.session.execute('RESET spark.sql.shuffle.partitions');
    expect(await rows('SET spark.sql.shuffle.partitions')).toEqual([
      { key: 'spark.sql.shuffle.partitions', value: '<undefined>' },
    ]);
    expect(await rows("SET threads = 1; SELECT current_setting('threads') AS t")).toEqual([{ t: 1n }]);
    const err = await fx.session
      .execute('SET spark.databricks.delta.retentionDurationCheck.enabled = maybe')
      .catch((e: unknown) => e);
    expect(isSqlError(err, 'INVALID_ARGUMENT')).toBe(true);
    await fx.session.execute('RESET');
  });
});

describe('session switches that override table properties (blueprint 5.1 "enable globally")', () => {
  const files = async (t: string) => (await rows(`DESCRIBE DETAIL delta.\`${t}\``))[0]!.numFiles;
  const lastOperation = async (t: string) =>
    (await rows(`DESCRIBE HISTORY delta.\`${t}\` LIMIT 1`))[0]!.operation;

  it('spark.databricks.delta.autoCompact.enabled compacts tables that do not enable it, in this session only', async () => {
    await fx.session.execute('CREATE TABLE delta.`ac` (id INT)');
    const other = new SqlSession({
      engine: fx.engine,
      openTable: (l) => DeltaTable.forPath({ engine: fx.engine, stores: openStore }, l),
      baseDir: fx.dir,
    });
    await fx.session.execute(`
      SET spark.databricks.delta.autoCompact.enabled = true;
      SET spark.databricks.delta.autoCompact.minNumFiles = 3;`);
    // Another session's writes are not compacted: the switch belongs to the session that set it.
    for (const i of [1, 2, 3]) await other.execute(`INSERT INTO delta.\`ac\` VALUES (${i})`);
    expect(await files('ac')).toBe(3n);
    expect(await lastOperation('ac')).toBe('WRITE');
    await fx.session.execute('INSERT INTO delta.`ac` VALUES (4)');
    expect(await files('ac')).toBe(1n);
    expect(await lastOperation('ac')).toBe('OPTIMIZE');
    expect(await rows('SELECT id FROM delta.`ac` ORDER BY id')).toEqual([1, 2, 3, 4].map((id) => ({ id })));
    // false wins over a table that enables it.
    await fx.session.execute(`
      ALTER TABLE delta.\`ac\` SET TBLPROPERTIES ('delta.autoOptimize.autoCompact' = 'true', 'loch.autoCompact.minNumFiles' = '2');
      SET spark.databricks.delta.autoCompact.enabled = false;
      INSERT INTO delta.\`ac\` VALUES (5);
      INSERT INTO delta.\`ac\` VALUES (6);`);
    expect(await files('ac')).toBe(3n);
    await fx.session.execute('RESET');
    await fx.session.execute('INSERT INTO delta.`ac` VALUES (7)');
    expect(await lastOperation('ac')).toBe('OPTIMIZE');
    expect(await files('ac')).toBe(1n);
  });

  it('spark.databricks.delta.optimizeWrite.enabled writes one file per partition', async () => {
    // More partitions than DuckDB keeps files open, in no partition order: a plain write reopens files.
    const source = 'SELECT range::BIGINT AS id, (hash(range) % 300)::INT AS p FROM range(1000000)';
    await fx.session.execute(`
      CREATE TABLE delta.\`plain\` (id BIGINT, p INT) PARTITIONED BY (p);
      CREATE TABLE delta.\`ow\` (id BIGINT, p INT) PARTITIONED BY (p);
      INSERT INTO delta.\`plain\` ${source};
      SET spark.databricks.delta.optimizeWrite.enabled = true;
      INSERT INTO delta.\`ow\` ${source};
      RESET spark.databricks.delta.optimizeWrite.enabled;`);
    expect(await files('ow')).toBe(300n);
    expect(await files('plain')).toBeGreaterThan(300n);
  });
});
