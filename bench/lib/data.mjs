// Synthetic data generated in DuckDB SQL (no TPC-H extension offline). Deterministic: the same
// row count gives the same rows on every run and in every DuckDB instance.

/** A sales-like fact table: ints, doubles, decimals, dates, strings, booleans. */
export function factSql(rows, offset = 0) {
  return `SELECT
    i::BIGINT AS id,
    (hash(i) % 100000)::INTEGER AS cust_id,
    (i % 1000)::INTEGER AS store_id,
    ((hash(i * 7) % 100) + 1)::INTEGER AS qty,
    ((hash(i * 13) % 1000000) / 100.0)::DOUBLE AS price,
    ((hash(i * 17) % 10000000)::DECIMAL(18, 0) / 100)::DECIMAL(18, 2) AS amount,
    (DATE '2020-01-01' + (hash(i * 19) % 1826)::INTEGER) AS sale_date,
    'cat_' || (hash(i * 23) % 50)::VARCHAR AS category,
    'note ' || (hash(i * 29) % 1000003)::VARCHAR || ' of ' || (i % 97)::VARCHAR AS note,
    (hash(i * 31) % 10) = 0 AS returned
  FROM range(${offset}, ${offset + rows}) t(i)`;
}

/** A 1,000-row dimension table joined on store_id. */
export function storesSql() {
  return `SELECT
    i::INTEGER AS store_id,
    'region_' || (i % 12)::VARCHAR AS region,
    'store ' || i::VARCHAR AS store_name,
    (10 + hash(i) % 90)::INTEGER AS size_class
  FROM range(1000) t(i)`;
}

/**
 * The scan workload's queries, written against the placeholders {t} (fact) and {s} (stores)
 * so the same text runs over Loch's relation and over read_parquet of the same files.
 */
export const SCAN_QUERIES = [
  { name: 'count', sql: 'SELECT count(*) FROM {t}' },
  {
    name: 'agg-all',
    sql: 'SELECT sum(qty), avg(price), sum(amount), min(sale_date), max(sale_date), count(DISTINCT category) FROM {t}',
  },
  {
    name: 'group-category',
    sql: 'SELECT category, count(*), sum(amount), avg(price) FROM {t} GROUP BY category ORDER BY category',
  },
  {
    name: 'filter-date-range',
    sql: "SELECT count(*), sum(amount) FROM {t} WHERE sale_date BETWEEN DATE '2021-01-01' AND DATE '2021-03-31' AND qty > 50",
  },
  {
    name: 'filter-string',
    sql: "SELECT count(*), max(id) FROM {t} WHERE note LIKE '%of 42' AND NOT returned",
  },
  {
    name: 'group-high-card-topn',
    sql: 'SELECT cust_id, sum(amount) AS total FROM {t} GROUP BY cust_id ORDER BY total DESC, cust_id LIMIT 10',
  },
  {
    name: 'join-region-month',
    sql: "SELECT s.region, date_trunc('month', f.sale_date) AS m, sum(f.amount), count(*) FROM {t} f JOIN {s} s ON f.store_id = s.store_id WHERE s.size_class > 50 GROUP BY ALL ORDER BY ALL",
  },
  {
    name: 'point-lookup',
    sql: 'SELECT * FROM {t} WHERE id = 4242424',
  },
  {
    name: 'order-topn',
    sql: 'SELECT id, amount, note FROM {t} ORDER BY amount DESC, id LIMIT 100',
  },
];

export function bindQuery(sql, fact, stores) {
  return sql.replaceAll('{t}', fact).replaceAll('{s}', stores);
}
