// `loch demo`: a small medallion pipeline on path-based Delta tables (blueprint sections 2-3).
// Bronze keeps raw orders as they arrive (strings, duplicates, bad rows) plus ingestion metadata;
// silver cleans, types and deduplicates them; gold aggregates per day. Then it shows the table
// history and a time-travel query that reads an older version.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type QueryResult, toRowObjects } from '@loch/engine-duckdb';
import type { SqlSession } from '@loch/sql';
import { project, render } from './output.js';

const TABLES = ['bronze/orders', 'silver/orders', 'gold/daily_sales'] as const;

/** Raw orders as a source system would send them; `first`..`last` are order ids. */
function rawOrders(batch: number, first: number, last: number): string {
  return `
    SELECT
      CASE WHEN i % 97 = 0 THEN NULL ELSE 'ORD-' || lpad(i::VARCHAR, 6, '0') END AS order_id,
      'C' || lpad((i * 7 % 120)::VARCHAR, 4, '0') AS customer_id,
      CASE i % 4 WHEN 0 THEN '  alice ' WHEN 1 THEN 'Bob' WHEN 2 THEN ' carol' ELSE 'DAVE  ' END AS customer_name,
      strftime(DATE '2024-01-01' + (i % 14)::INTEGER, '%Y-%m-%d') AS order_date,
      CASE WHEN i % 53 = 0 THEN '-5.00' ELSE printf('%.2f', 5 + (i * 37 % 20000) / 100.0) END AS amount,
      CASE i % 5 WHEN 0 THEN ' shipped' WHEN 1 THEN 'Delivered ' WHEN 2 THEN 'pending' WHEN 3 THEN NULL ELSE 'SHIPPED' END AS status,
      now() AS _ingested_at,
      ${batch}::BIGINT AS _batch_id,
      'generator://orders/batch-${batch}.json' AS _source,
      current_date AS _ingestion_date
    FROM range(${first}, ${last + 1}) AS r(i)`;
}

export async function runDemo(
  session: SqlSession,
  warehouse: string,
  out: (text: string) => void,
): Promise<void> {
  const section = (title: string) => out(`\n== ${title} ==\n`);
  const show = async (sql: string, columns?: readonly string[]) => {
    const results = await session.execute(sql);
    const last = results[results.length - 1]!;
    out(render(columns ? project(last, columns) : last, 'table'));
  };

  out(`Loch demo: a bronze/silver/gold pipeline in ${warehouse}\n`);
  // A clean slate, so re-running gives the same versions; only the demo's own tables are removed.
  for (const t of TABLES) await rm(join(warehouse, t), { recursive: true, force: true });

  section('Bronze: raw orders, appended as they arrive, with ingestion metadata');
  await session.execute(`
    CREATE TABLE delta.\`bronze/orders\` (
      order_id STRING, customer_id STRING, customer_name STRING, order_date STRING, amount STRING,
      status STRING, _ingested_at TIMESTAMP, _batch_id BIGINT, _source STRING, _ingestion_date DATE
    ) USING DELTA PARTITIONED BY (_ingestion_date)
    COMMENT 'Raw orders, append-only';
    INSERT INTO delta.\`bronze/orders\` ${rawOrders(1, 1, 600)};
    -- the second batch re-sends the last 100 orders of the first one (duplicates silver removes)
    INSERT INTO delta.\`bronze/orders\` ${rawOrders(2, 501, 1000)};`);
  await show(
    `SELECT _batch_id, count(*) AS rows, count(DISTINCT order_id) AS distinct_orders, min(_source) AS source
     FROM delta.\`bronze/orders\` GROUP BY ALL ORDER BY _batch_id`,
  );

  section('Silver: cleaned, typed and deduplicated');
  await session.execute(`
    CREATE TABLE delta.\`silver/orders\` COMMENT 'Orders: typed, valid, one row per order_id' AS
    SELECT
      order_id,
      customer_id,
      upper(trim(customer_name)) AS customer_name,
      CAST(strptime(order_date, '%Y-%m-%d') AS DATE) AS order_date,
      CAST(amount AS DECIMAL(18, 2)) AS amount,
      coalesce(upper(trim(status)), 'UNKNOWN') AS status,
      _ingested_at
    FROM delta.\`bronze/orders\`
    WHERE order_id IS NOT NULL AND TRY_CAST(amount AS DECIMAL(18, 2)) > 0
    QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY _ingested_at DESC, _batch_id DESC) = 1`);
  await show('SELECT * FROM delta.`silver/orders` ORDER BY order_id LIMIT 5');

  section('Gold: daily sales');
  await session.execute(`
    CREATE TABLE delta.\`gold/daily_sales\` AS
    SELECT order_date, count(*) AS orders, count(DISTINCT customer_id) AS customers,
           sum(amount) AS revenue, CAST(avg(amount) AS DECIMAL(18, 2)) AS avg_order_value
    FROM delta.\`silver/orders\` GROUP BY order_date ORDER BY order_date`);
  await show('SELECT * FROM delta.`gold/daily_sales` ORDER BY order_date LIMIT 7');

  section('History of bronze/orders (DESCRIBE HISTORY)');
  const [history] = await session.execute('DESCRIBE HISTORY delta.`bronze/orders`');
  out(render(historySummary(history!), 'table'));

  section('Time travel: bronze/orders now and AS OF version 1 (before the second batch)');
  await show(`
    SELECT 'latest' AS version, count(*) AS rows, max(_batch_id) AS last_batch FROM delta.\`bronze/orders\`
    UNION ALL
    SELECT 'VERSION AS OF 1', count(*), max(_batch_id) FROM delta.\`bronze/orders\` VERSION AS OF 1`);

  out(`\nDone. Try: loch sql --warehouse ${warehouse} 'DESCRIBE DETAIL delta.\`gold/daily_sales\`'\n`);
}

/** DESCRIBE HISTORY cut to what a reader scans for: the write mode and the rows each commit added. */
function historySummary(history: QueryResult): QueryResult {
  const entry = (m: unknown, key: string): string | null => {
    const found = Array.isArray(m)
      ? (m as { key: string; value: string }[]).find((e) => e.key === key)
      : undefined;
    return found?.value ?? null;
  };
  const rows = toRowObjects(history);
  return {
    columns: [
      { name: 'version', type: 'VARCHAR' },
      { name: 'timestamp', type: 'VARCHAR' },
      { name: 'operation', type: 'VARCHAR' },
      { name: 'mode', type: 'VARCHAR' },
      { name: 'numOutputRows', type: 'VARCHAR' },
    ],
    rows: rows.map((r) => [
      String(r['version']),
      String(r['timestamp']),
      String(r['operation']),
      entry(r['operationParameters'], 'mode'),
      entry(r['operationMetrics'], 'numOutputRows'),
    ]),
  };
}
