// The server against the `postgres` npm driver (postgres.js): it prepares named statements and
// describes them before binding (unlike `pg`), requests binary results for the types it knows,
// pools connections and cancels with CancelRequest. All through real sockets.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../test-support/harness.js';

let h: Harness;
let sql: postgres.Sql;

const connect = (options: postgres.Options<Record<string, postgres.PostgresType>> = {}) =>
  postgres({
    host: '127.0.0.1',
    port: h.port,
    user: 'admin',
    password: ADMIN_PASSWORD,
    database: 'loch',
    max: 4,
    onnotice: () => {},
    ...options,
  });

beforeAll(async () => {
  h = await startHarness();
  sql = connect();
});

afterAll(async () => {
  await sql.end({ timeout: 5 });
  await h.close();
});

const codeOf = (e: unknown): string | undefined => (e as { code?: string }).code;

describe('postgres.js: authentication', () => {
  it('logs in with SCRAM-SHA-256', async () => {
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('refuses a wrong password with 28P01', async () => {
    const bad = connect({ password: 'wrong', max: 1 });
    try {
      expect(codeOf(await bad`SELECT 1`.catch((e: unknown) => e))).toBe('28P01');
    } finally {
      await bad.end({ timeout: 1 });
    }
  });
});

describe('postgres.js: queries', () => {
  it('runs several statements through the simple protocol', async () => {
    const results = await sql`SELECT 1 AS a; SELECT 'two' AS b`.simple();
    expect(results).toEqual([[{ a: 1 }], [{ b: 'two' }]]);
  });

  it('binds parameters as values, never as SQL text', async () => {
    const evil = "x'); DROP TABLE t; --";
    const [row] = await sql`SELECT ${41}::INTEGER + 1 AS n, ${evil} AS s, upper(${'abc'}) AS u`;
    expect(row).toEqual({ n: 42, s: evil, u: 'ABC' });
  });

  it('reuses a named prepared statement across calls', async () => {
    const values = [];
    for (let i = 0; i < 5; i++) values.push((await sql`SELECT ${i}::INTEGER * 10 AS v`)[0]!['v']);
    expect(values).toEqual([0, 10, 20, 30, 40]);
    // The same text with prepare turned off goes through the unnamed statement.
    const once = connect({ prepare: false, max: 1 });
    try {
      expect(await once`SELECT ${7}::INTEGER AS v`).toEqual([{ v: 7 }]);
    } finally {
      await once.end({ timeout: 1 });
    }
  });

  it('maps Delta/DuckDB types to what the driver expects of PostgreSQL', async () => {
    const [row] = await sql`SELECT 1::BIGINT AS b, 2::INTEGER AS i, 3::SMALLINT AS s, 1.5::DOUBLE AS d,
      12.30::DECIMAL(10,2) AS n, 'x' AS v, true AS bo, DATE '2024-02-29' AS dt,
      TIMESTAMP '2024-01-02 03:04:05.123' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz,
      '\\x01\\xff'::BLOB AS bl, [1, 2, NULL] AS l, {'a': 1} AS st, NULL AS nul`;
    expect(row).toEqual({
      b: '1',
      i: 2,
      s: 3,
      d: 1.5,
      n: '12.30',
      v: 'x',
      bo: true,
      dt: new Date('2024-02-29T00:00:00Z'),
      ts: new Date('2024-01-02T03:04:05.123Z'),
      tz: new Date('2024-01-02T03:04:05Z'),
      bl: Buffer.from([1, 255]),
      l: [1, 2, null],
      st: { a: 1 },
      nul: null,
    });
  });

  it('writes and reads a Delta table with bound values', async () => {
    await sql`CREATE TABLE delta.\`pjs\` (id BIGINT, amount DECIMAL(10,2), day DATE) USING DELTA`.simple();
    const ins =
      await sql`INSERT INTO delta.\`pjs\` VALUES (${1}, ${'9.50'}, ${'2024-03-01'}), (${2}, ${'0.25'}, ${'2024-03-02'})`;
    expect([ins.command, ins.count]).toEqual(['INSERT', 2]);
    const rows =
      await sql`SELECT id, amount FROM delta.\`pjs\` WHERE day >= ${'2024-03-01'}::DATE ORDER BY id`;
    expect(rows).toEqual([
      { id: '1', amount: '9.50' },
      { id: '2', amount: '0.25' },
    ]);
  });

  it('runs sql.begin transactions through the server-side BEGIN/COMMIT', async () => {
    const r = await sql.begin(async (tx) => {
      const [a] = await tx`SELECT 1 AS a`;
      const [b] = await tx`SELECT ${2}::INTEGER AS b`;
      return [a, b];
    });
    expect(r).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('postgres.js: errors', () => {
  it('reports SQLSTATEs and keeps the connection usable', async () => {
    const missing = await sql`SELECT * FROM delta.\`missing\``.catch((e: unknown) => e);
    expect(codeOf(missing)).toBe('42P01');
    const syntax = await sql`SELEC 1`.simple().catch((e: unknown) => e);
    expect(codeOf(syntax)).toBe('42601');
    const badParam = await sql`SELECT ${'abc'}::INTEGER AS n`.catch((e: unknown) => e);
    expect(codeOf(badParam)).toMatch(/^22/);
    expect(await sql`SELECT 3 AS ok`).toEqual([{ ok: 3 }]);
  });
});

describe('postgres.js: concurrency and cancel', () => {
  it('answers 32 concurrent queries over a pool of 4 connections, each with its own result', async () => {
    const results = await Promise.all(
      Array.from(
        { length: 32 },
        (_, i) => sql`SELECT ${i}::INTEGER * 2 AS v, sum(range) AS s FROM range(${i + 1})`,
      ),
    );
    expect(results.map((r) => [r[0]!['v'], r[0]!['s']])).toEqual(
      Array.from({ length: 32 }, (_, i) => [i * 2, String((i * (i + 1)) / 2)]),
    );
  });

  it('cancels a running query with query.cancel() long before it would finish', async () => {
    const LONG = 'SELECT count(*) AS n FROM range(60000000) t1(x), range(3) t2(y) WHERE x % 7 = y';
    const started = performance.now();
    await sql.unsafe(LONG);
    const fullMs = performance.now() - started;

    const q = sql.unsafe(LONG);
    const cutStart = performance.now();
    setTimeout(() => q.cancel(), 50);
    const err = await q.catch((e: unknown) => e);
    expect(codeOf(err)).toBe('57014');
    expect(performance.now() - cutStart).toBeLessThan(fullMs / 3);
    expect(await sql`SELECT 4 AS after`).toEqual([{ after: 4 }]);
  });
});
