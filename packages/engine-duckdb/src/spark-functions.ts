// Spark SQL functions as DuckDB temporary macros, created on every pooled connection, so queries
// written for Databricks return what Spark returns. A macro that shadows a DuckDB built-in reaches the
// built-in through `system.main.<name>` (the temp schema is searched first). Datetime PATTERNS
// (`yyyy-MM-dd`) are translated to strftime patterns by @loch/sql before the query gets here: the
// macros below that take a format take a strftime pattern.

/** One macro: its name and `CREATE MACRO` body (one or more `(params) AS expr` overloads). */
export interface SparkMacro {
  readonly name: string;
  readonly body: string;
}

// Spark's date_trunc / trunc unit names, mapped onto DuckDB's specifiers.
const UNIT = (u: string): string =>
  `CASE lower(${u}) WHEN 'yyyy' THEN 'year' WHEN 'yy' THEN 'year' WHEN 'mm' THEN 'month' ` +
  `WHEN 'mon' THEN 'month' WHEN 'dd' THEN 'day' ELSE lower(${u}) END`;

/**
 * Months between two instants as Spark computes it: whole months when both days of month are equal or
 * both are month ends, otherwise the day/time remainder over 31-day months, rounded to 8 digits.
 */
const MONTHS_BETWEEN = (round: string): string => {
  const a = 'CAST(a AS TIMESTAMP)';
  const b = 'CAST(b AS TIMESTAMP)';
  const months = `((year(${a}) - year(${b})) * 12 + month(${a}) - month(${b}))`;
  const secondsOfDay = (t: string) => `(epoch(${t}) - epoch(date_trunc('day', ${t})))`;
  const rest = `((day(${a}) - day(${b})) * 86400 + ${secondsOfDay(a)} - ${secondsOfDay(b)}) / (31.0 * 86400)`;
  const bothMonthEnds = `(CAST(a AS DATE) = last_day(CAST(a AS DATE)) AND CAST(b AS DATE) = last_day(CAST(b AS DATE)))`;
  return (
    `CASE WHEN day(${a}) = day(${b}) OR ${bothMonthEnds} THEN CAST(${months} AS DOUBLE) ` +
    `WHEN ${round} THEN round(${months} + ${rest}, 8) ELSE ${months} + ${rest} END`
  );
};

export const SPARK_MACROS: readonly SparkMacro[] = [
  // Null handling.
  { name: 'nvl', body: '(a, b) AS coalesce(a, b)' },
  { name: 'nvl2', body: '(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END' },
  { name: 'isnull', body: '(a) AS (a IS NULL)' },
  { name: 'isnotnull', body: '(a) AS (a IS NOT NULL)' },
  // Dates and times. Spark returns NULL for text it cannot parse (non-ANSI mode): TRY_ casts.
  {
    name: 'to_date',
    body: '(s) AS TRY_CAST(s AS DATE), (s, fmt) AS CAST(try_strptime(CAST(s AS VARCHAR), fmt) AS DATE)',
  },
  {
    name: 'to_timestamp',
    body: '(s) AS TRY_CAST(s AS TIMESTAMP), (s, fmt) AS CAST(try_strptime(CAST(s AS VARCHAR), fmt) AS TIMESTAMP)',
  },
  { name: 'date_format', body: '(t, fmt) AS strftime(CAST(t AS TIMESTAMP), fmt)' },
  { name: 'date_trunc', body: `(u, t) AS system.main.date_trunc(${UNIT('u')}, CAST(t AS TIMESTAMP))` },
  // DuckDB's own (numeric) trunc(x) stays: its built-in macros call it.
  {
    name: 'trunc',
    body: `(x) AS system.main.trunc(x), (d, u) AS CAST(system.main.date_trunc(${UNIT('u')}, CAST(d AS DATE)) AS DATE)`,
  },
  {
    name: 'datediff',
    body: "(a, b) AS date_diff('day', CAST(b AS DATE), CAST(a AS DATE)), (p, a, b) AS date_diff(p, a, b)",
  },
  {
    name: 'date_sub',
    body: '(d, n) AS CAST(CAST(d AS DATE) - CAST(n AS INTEGER) AS DATE), (p, a, b) AS system.main.date_sub(p, a, b)',
  },
  {
    name: 'date_add',
    // n may also be an INTERVAL (DuckDB's own date_add): DATE + INTERVAL, truncated back to a date.
    body: '(d, n) AS CAST(CAST(d AS DATE) + n AS DATE)',
  },
  { name: 'add_months', body: '(d, n) AS CAST(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE)' },
  {
    name: 'months_between',
    body: `(a, b) AS ${MONTHS_BETWEEN('true')}, (a, b, r) AS ${MONTHS_BETWEEN('r')}`,
  },
  // Spark: 1 = Sunday ... 7 = Saturday (DuckDB's dayofweek is 0 = Sunday).
  { name: 'dayofweek', body: '(d) AS CAST(isodow(CAST(d AS DATE)) % 7 + 1 AS INTEGER)' },
  { name: 'current_timestamp', body: '() AS CAST(get_current_timestamp() AS TIMESTAMP)' },
  {
    name: 'unix_timestamp',
    body:
      '() AS CAST(floor(epoch(get_current_timestamp())) AS BIGINT), ' +
      '(t) AS CAST(floor(epoch(TRY_CAST(t AS TIMESTAMP))) AS BIGINT), ' +
      '(t, fmt) AS CAST(floor(epoch(try_strptime(CAST(t AS VARCHAR), fmt))) AS BIGINT)',
  },
  {
    name: 'from_unixtime',
    body:
      "(n) AS strftime(make_timestamp(CAST(n AS BIGINT) * 1000000), '%Y-%m-%d %H:%M:%S'), " +
      '(n, fmt) AS strftime(make_timestamp(CAST(n AS BIGINT) * 1000000), fmt)',
  },
  // Strings.
  { name: 'rlike', body: '(s, p) AS regexp_matches(s, p)' },
  {
    name: 'regexp_extract',
    body: '(s, p) AS system.main.regexp_extract(s, p, 1), (s, p, i) AS system.main.regexp_extract(s, p, i)',
  },
  // Spark splits on a regular expression; DuckDB's split takes a literal separator.
  {
    name: 'split',
    // A limit <= 0 means no limit in Spark; a positive limit is not supported (documented).
    body: '(s, p) AS regexp_split_to_array(s, p), (s, p, n) AS CASE WHEN n <= 0 THEN regexp_split_to_array(s, p) END',
  },
  // Spark treats position 0 as 1.
  {
    name: 'substring',
    body:
      '(s, p) AS system.main.substring(s, CASE WHEN p = 0 THEN 1 ELSE p END), ' +
      '(s, p, l) AS system.main.substring(s, CASE WHEN p = 0 THEN 1 ELSE p END, l)',
  },
  {
    name: 'substr',
    body:
      '(s, p) AS system.main.substring(s, CASE WHEN p = 0 THEN 1 ELSE p END), ' +
      '(s, p, l) AS system.main.substring(s, CASE WHEN p = 0 THEN 1 ELSE p END, l)',
  },
  { name: 'lpad', body: "(s, n) AS system.main.lpad(s, n, ' '), (s, n, p) AS system.main.lpad(s, n, p)" },
  { name: 'rpad', body: "(s, n) AS system.main.rpad(s, n, ' '), (s, n, p) AS system.main.rpad(s, n, p)" },
  // Hashes: Spark returns NULL for a bit length it does not support; DuckDB has SHA-256 only.
  { name: 'sha2', body: '(s, n) AS CASE WHEN n IN (0, 256) THEN sha256(CAST(s AS VARCHAR)) ELSE NULL END' },
  { name: 'uuid', body: '() AS CAST(gen_random_uuid() AS VARCHAR)' },
  // Collections. Spark's size(NULL) is -1 (spark.sql.legacy.sizeOfNull, on unless ANSI mode).
  { name: 'size', body: '(x) AS CASE WHEN x IS NULL THEN -1 ELSE CAST(len(x) AS INTEGER) END' },
  { name: 'explode', body: '(x) AS unnest(x)' },
  // concat_ws cannot take an array here (DuckDB prints it): array_join is Spark's way to join one.
  {
    name: 'array_join',
    body:
      '(a, sep) AS array_to_string(a, sep), ' +
      '(a, sep, r) AS array_to_string(list_transform(a, x -> coalesce(CAST(x AS VARCHAR), r)), sep)',
  },
  // Spark's collect_* skip NULLs.
  { name: 'collect_list', body: '(x) AS list(x) FILTER (WHERE x IS NOT NULL)' },
  { name: 'collect_set', body: '(x) AS list(DISTINCT x) FILTER (WHERE x IS NOT NULL)' },
];

/** The statements that create every Spark macro on one connection (temporary: per connection). */
export function sparkMacroSql(): string {
  return SPARK_MACROS.map((m) => `CREATE OR REPLACE TEMP MACRO "${m.name}"${m.body};`).join('\n');
}
