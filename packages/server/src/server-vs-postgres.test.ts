// The same SQL through Loch and through the real PostgreSQL server on the machine (skipped when
// none accepts `postgres` without a password at LOCH_TEST_PG_HOST/PORT, default 127.0.0.1:5432):
// type OIDs and the text of every value must match.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test-support/harness.js';

const PG_HOST = process.env['LOCH_TEST_PG_HOST'] ?? '127.0.0.1';
const PG_PORT = Number(process.env['LOCH_TEST_PG_PORT'] ?? 5432);

const raw = { getTypeParser: () => (v: string) => v };

let h: Harness;
let loch: pg.Client;
let real: pg.Client | undefined;

beforeAll(async () => {
  h = await startHarness();
  loch = await h.client();
  const candidate = new pg.Client({
    host: PG_HOST,
    port: PG_PORT,
    user: 'postgres',
    database: 'postgres',
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 2000,
  });
  candidate.on('error', () => {});
  try {
    await candidate.connect();
    real = candidate;
  } catch {
    real = undefined;
  }
});

afterAll(async () => {
  await real?.end();
  await h.close();
});

const QUERIES: readonly { readonly sql: string; readonly params?: readonly unknown[] }[] = [
  { sql: 'SELECT 1::bigint AS a, 2::int AS b, 3::smallint AS c, -4::int AS d' },
  {
    sql: 'SELECT 1.5::float8 AS d, 0.1::float4 AS f, -0.25::float8 AS g, 1e20::float8 AS h, 1e-7::float8 AS i',
  },
  { sql: "SELECT 'NaN'::float8 AS n, 'Infinity'::float8 AS p, '-Infinity'::float8 AS m" },
  {
    sql: 'SELECT 12.30::numeric(10,2) AS n, -0.05::numeric(5,2) AS m, 123456789012345678.5::numeric(20,1) AS big',
  },
  { sql: "SELECT 'héllo ''q''' AS s, ''::text AS e, true AS t, false AS f" },
  { sql: "SELECT DATE '2024-02-29' AS d, DATE '1970-01-01' AS e, DATE '0001-01-01' AS first" },
  { sql: "SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, TIMESTAMP '2024-01-02 03:04:05' AS whole" },
  { sql: "SELECT TIMESTAMPTZ '2024-01-02 03:04:05.5+00' AS tz" },
  { sql: 'SELECT ARRAY[1, 2, 3] AS ints, ARRAY[1.5::float8, NULL] AS floats' },
  { sql: "SELECT ARRAY['a', 'b c', 'q\"', NULL] AS texts" },
  { sql: 'SELECT NULL::int AS n, NULL::text AS t' },
  { sql: 'SELECT x FROM generate_series(1, 3) AS g(x) ORDER BY x' },
  { sql: 'SELECT $1::int + 1 AS n, $2::text AS t, $3::numeric(6,2) AS m', params: [41, 'x', '3.10'] },
  { sql: 'SELECT upper($1) AS u, coalesce(NULL, $2::int) AS c, 1.0::float8 AS one', params: ['abc', 7] },
];

describe.skipIf(process.env['LOCH_SKIP_PG_COMPARE'] === '1')('results equal PostgreSQL', () => {
  for (const q of QUERIES) {
    it(q.sql, async (ctx) => {
      if (real === undefined) {
        ctx.skip();
        return;
      }
      const expected = await real.query({ text: q.sql, values: q.params as unknown[], types: raw });
      const actual = await loch.query({ text: q.sql, values: q.params as unknown[], types: raw });
      const types = (r: pg.QueryResult) => r.fields.map((f) => [f.name, f.dataTypeID]);
      // generate_series yields int4 in PostgreSQL and BIGINT in DuckDB: compare values only there.
      if (!q.sql.includes('generate_series')) expect(types(actual)).toEqual(types(expected));
      expect(actual.rows).toEqual(expected.rows);
    });
  }
});
