// CREATE TABLE forms the blueprint uses that go beyond a plain column list: Hive-style typed
// partition columns, and a table created with properties only (no columns yet).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-create-forms-', metastore: true });
const { rows, failure } = fx;

/** The actions of commit `version` of the table at `path`. */
const commit = async (path: string, version: number) =>
  (await readFile(join(path, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);

describe('PARTITIONED BY with typed columns (blueprint 5.3)', () => {
  it('appends the declared partition column to the schema and partitions by it', async () => {
    const location = join(fx.dir, 'silver_events');
    await fx.session.execute(`
      CREATE SCHEMA silver;
      CREATE TABLE silver.events (
        event_id STRING,
        event_type STRING,
        timestamp TIMESTAMP,
        payload STRING
      )
      USING DELTA
      PARTITIONED BY (event_date DATE)
      LOCATION '${location}';
      INSERT INTO silver.events VALUES
        ('a', 'click', TIMESTAMP '2024-01-15 10:00:00', 'x', DATE '2024-01-15'),
        ('b', 'view', TIMESTAMP '2024-01-16 10:00:00', 'y', DATE '2024-01-16');`);
    expect((await rows('DESCRIBE TABLE silver.events')).slice(0, 5).map((r) => r.col_name)).toEqual([
      'event_id',
      'event_type',
      'timestamp',
      'payload',
      'event_date',
    ]);
    const meta = (await commit(location, 0)).find((a) => a.metaData)!.metaData!;
    expect(meta.partitionColumns).toEqual(['event_date']);
    const adds = (await commit(location, 1)).filter((a) => a.add).map((a) => a.add!.partitionValues);
    expect(adds).toEqual(
      expect.arrayContaining([{ event_date: '2024-01-15' }, { event_date: '2024-01-16' }]),
    );
    expect(await rows("SELECT event_id FROM silver.events WHERE event_date = '2024-01-15'")).toEqual([
      { event_id: 'a' },
    ]);
    expect(fx.session.lastMetrics).toMatchObject({ filesTotal: 2, filesScanned: 1 });
  });

  it('mixes named and typed partition columns, and rejects a column declared twice or with AS SELECT', async () => {
    await fx.session.execute(
      'CREATE TABLE delta.`mixed` (id INT, region STRING) PARTITIONED BY (region, day DATE NOT NULL)',
    );
    const schema = await rows('DESCRIBE TABLE delta.`mixed`');
    expect(schema.slice(0, 3).map((r) => [r.col_name, r.data_type])).toEqual([
      ['id', 'int'],
      ['region', 'string'],
      ['day', 'date'],
    ]);
    const twice = await failure('CREATE TABLE delta.`twice` (id INT, day DATE) PARTITIONED BY (day DATE)');
    expect(twice.code).toBe('INVALID_ARGUMENT');
    expect(twice.message).toContain("partition column 'day' is declared twice");
    const ctas = await failure(
      "CREATE TABLE delta.`ctas` PARTITIONED BY (day DATE) AS SELECT DATE '2024-01-01' AS day",
    );
    expect(ctas.message).toContain('PARTITIONED BY (day) without types');
  });
});

describe('CREATE TABLE without columns (blueprint 2.1)', () => {
  it('creates a table with properties only; ALTER TABLE ADD COLUMNS then gives it columns', async () => {
    await fx.session.execute('CREATE TABLE events USING DELTA TBLPROPERTIES (delta.checkpointInterval = 5)');
    expect(
      Object.fromEntries((await rows('SHOW TBLPROPERTIES events')).map((r) => [r.key, r.value])),
    ).toMatchObject({ 'delta.checkpointInterval': '5' });
    await fx.session.execute(`
      ALTER TABLE events ADD COLUMNS (id BIGINT, kind STRING);
      INSERT INTO events VALUES (1, 'click');`);
    expect(await rows('SELECT id, kind FROM events')).toEqual([{ id: 1n, kind: 'click' }]);
  });
});
