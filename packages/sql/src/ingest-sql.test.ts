// CONVERT TO DELTA and COPY INTO through SqlSession on DuckDB + DeltaTable.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseScript } from './parser.js';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-ingest-', connections: 1 });
const { rows } = fx;

describe('parsing', () => {
  it('parses CONVERT TO DELTA and COPY INTO with options', () => {
    const [convert, copy] = parseScript(
      "CONVERT TO DELTA parquet.`/d` PARTITIONED BY (region STRING, day DATE); COPY INTO delta.`/t` FROM '/in' FILEFORMAT = CSV PATTERN = '*.csv' FORMAT_OPTIONS ('header' = 'true', 'sep' = ';') COPY_OPTIONS ('mergeSchema' = 'true')",
    );
    expect(convert).toMatchObject({
      kind: 'convertToDelta',
      location: '/d',
      partitionedBy: [{ name: 'region' }, { name: 'day' }],
    });
    expect(copy).toEqual({
      kind: 'copyInto',
      table: { location: '/t' },
      from: '/in',
      fileFormat: 'CSV',
      pattern: '*.csv',
      formatOptions: { header: 'true', sep: ';' },
      copyOptions: { mergeSchema: 'true' },
    });
  });

  it('names what is missing', () => {
    expect(() => parseScript("COPY INTO delta.`/t` FROM '/in'")).toThrow(/FILEFORMAT/);
    expect(() => parseScript('CONVERT TO DELTA delta.`/t`')).toThrow(/parquet/);
  });
});

describe('CONVERT TO DELTA', () => {
  it('converts a hive-partitioned parquet directory in place', async () => {
    const root = join(fx.dir, 'raw');
    await mkdir(join(root, 'region=eu'), { recursive: true });
    await mkdir(join(root, 'region=us'), { recursive: true });
    await fx.engine.run(
      `COPY (SELECT 1::INTEGER AS id, 10.5 AS amount) TO '${root}/region=eu/a.parquet' (FORMAT parquet)`,
    );
    await fx.engine.run(
      `COPY (SELECT 2::INTEGER AS id, 20.5 AS amount) TO '${root}/region=us/a.parquet' (FORMAT parquet)`,
    );
    await fx.session.execute('CONVERT TO DELTA parquet.`raw` PARTITIONED BY (region STRING)');
    expect(await rows("SELECT id, region FROM delta.`raw` WHERE region = 'us'")).toEqual([
      { id: 2, region: 'us' },
    ]);
    const history = await rows('DESCRIBE HISTORY delta.`raw`');
    expect(history.map((h) => h['operation'])).toEqual(['CONVERT']);
  });
});

describe('COPY INTO', () => {
  it('loads new files only and returns Databricks result columns', async () => {
    const landing = join(fx.dir, 'landing');
    await mkdir(landing);
    await writeFile(join(landing, 'a.csv'), 'order_id;amount\n1;2.50\n2;3.25\n');
    await fx.session.execute('CREATE TABLE delta.`orders` (order_id INT, amount DECIMAL(18,2))');
    const copy = `COPY INTO delta.\`orders\` FROM 'landing' FILEFORMAT = CSV PATTERN = '*.csv' FORMAT_OPTIONS ('header' = 'true', 'sep' = ';')`;
    expect(await rows(copy)).toEqual([
      { num_affected_rows: 2n, num_inserted_rows: 2n, num_skipped_corrupt_files: 0n },
    ]);
    expect(await rows(copy)).toEqual([
      { num_affected_rows: 0n, num_inserted_rows: 0n, num_skipped_corrupt_files: 0n },
    ]);
    await writeFile(join(landing, 'b.csv'), 'order_id;amount\n3;1\n');
    expect(await rows(copy)).toMatchObject([{ num_inserted_rows: 1n }]);
    expect(await rows('SELECT count(*) AS n, CAST(sum(amount) AS VARCHAR) AS s FROM delta.`orders`')).toEqual(
      [{ n: 3n, s: '6.75' }],
    );
  });

  it('loads JSON with FILES and reports a missing table', async () => {
    await writeFile(join(fx.dir, 'e.json'), '{"id": 1}\n');
    await fx.session.execute('CREATE TABLE delta.`events` (id BIGINT)');
    expect(
      await rows(`COPY INTO delta.\`events\` FROM '${fx.dir}' FILEFORMAT = JSON FILES = ('e.json')`),
    ).toMatchObject([{ num_inserted_rows: 1n }]);
    const err = await fx.session
      .execute("COPY INTO delta.`nope` FROM 'landing' FILEFORMAT = CSV")
      .catch((e: unknown) => e);
    expect(isSqlError(err) && err.code).toBe('TABLE_NOT_FOUND');
  });
});

describe('the blueprint medallion flow in SQL', () => {
  it('lands CSV with COPY INTO, cleans it with Spark functions, aggregates by month', async () => {
    const raw = join(fx.dir, 'raw-orders');
    await mkdir(raw);
    await writeFile(
      join(raw, 'orders-1.csv'),
      'order_id,customer_id,status,order_date,amount\n' +
        '1,c1, shipped ,2024-01-05,10.005\n2,c2,new,2024-01-20,5\n3,c1,NEW,2024-02-01,7.5\n4,,new,not-a-date,1\n',
    );
    await fx.session.execute(`
      CREATE TABLE delta.\`bronze\` (order_id STRING, customer_id STRING, status STRING, order_date STRING, amount STRING);
      COPY INTO delta.\`bronze\` FROM 'raw-orders' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true');
      CREATE TABLE delta.\`silver\` AS
        SELECT CAST(order_id AS INT) AS order_id, nvl(customer_id, 'unknown') AS customer_id,
               upper(trim(status)) AS status, to_date(order_date, 'yyyy-MM-dd') AS order_date,
               CAST(amount AS DECIMAL(18,2)) AS amount, current_timestamp() AS _ingestion_timestamp
        FROM delta.\`bronze\` WHERE to_date(order_date, 'yyyy-MM-dd') IS NOT NULL;`);
    const gold = await rows(`
      SELECT date_format(date_trunc('month', order_date), 'yyyy-MM') AS month,
             CAST(sum(amount) AS VARCHAR) AS revenue, count(DISTINCT customer_id) AS unique_customers,
             array_join(list_sort(collect_set(status)), ',') AS statuses
      FROM delta.\`silver\` GROUP BY 1 ORDER BY 1`);
    expect(gold).toEqual([
      {
        month: '2024-01',
        revenue: '15.01',
        unique_customers: 2n,
        statuses: 'NEW,SHIPPED',
      },
      { month: '2024-02', revenue: '7.50', unique_customers: 1n, statuses: 'NEW' },
    ]);
  });
});
