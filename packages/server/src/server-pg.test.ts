// The server against the `pg` npm driver: authentication, simple and extended queries, types,
// errors and concurrency, all through real sockets.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test-support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('authentication', () => {
  it('accepts the admin password over SCRAM-SHA-256 and reports server parameters', async () => {
    const c = await h.client();
    const r = await c.query('SELECT 1 AS one');
    expect(r.rows).toEqual([{ one: 1 }]);
    const params = (c as unknown as { processID: number; secretKey: number }).processID;
    expect(params).toBeGreaterThan(0);
    const v = await c.query('SHOW server_version');
    expect(v.rows[0].server_version).toMatch(/^16\.0/);
  });

  it('rejects a wrong password with 28P01', async () => {
    const err = await h.client({ password: 'wrong' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '28P01' });
  });

  it('rejects an unknown user the same way', async () => {
    const err = await h.client({ user: 'nobody' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '28P01', message: 'password authentication failed for user "nobody"' });
  });
});

describe('simple query protocol', () => {
  it('maps DuckDB result types to PostgreSQL type OIDs and text', async () => {
    const c = await h.client();
    const r = await c.query(`SELECT 1::BIGINT AS b, 2::INTEGER AS i, 3::SMALLINT AS s, 4::TINYINT AS t,
      1.5::DOUBLE AS d, 0.25::FLOAT AS f, 12.30::DECIMAL(10,2) AS n, 'x' AS v, true AS bo,
      DATE '2024-02-29' AS dt, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts,
      TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, '\\x01\\xff'::BLOB AS bl, [1, 2, NULL] AS l,
      {'a': 1} AS st, MAP {'k': 2} AS m, NULL AS nul`);
    expect(r.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['b', 20],
      ['i', 23],
      ['s', 21],
      ['t', 21],
      ['d', 701],
      ['f', 700],
      ['n', 1700],
      ['v', 25],
      ['bo', 16],
      ['dt', 1082],
      ['ts', 1114],
      ['tz', 1184],
      ['bl', 17],
      ['l', 1007],
      ['st', 114],
      ['m', 114],
      ['nul', 23],
    ]);
    const row = r.rows[0];
    expect(row.b).toBe('1');
    expect(row.i).toBe(2);
    expect(row.d).toBe(1.5);
    expect(row.f).toBe(0.25);
    expect(row.n).toBe('12.30');
    expect(row.bo).toBe(true);
    expect(row.bl).toEqual(Buffer.from([1, 255]));
    expect(row.l).toEqual([1, 2, null]);
    expect(row.st).toEqual({ a: 1 });
    expect(row.m).toEqual([{ key: 'k', value: 2 }]);
    expect(row.nul).toBeNull();
    const texts = await c.query({
      text: `SELECT DATE '2024-02-29' AS dt, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts,
        TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz`,
      types: { getTypeParser: () => (v: string) => v },
    });
    expect(texts.rows[0]).toEqual({
      dt: '2024-02-29',
      ts: '2024-01-02 03:04:05.123456',
      tz: '2024-01-02 03:04:05+00',
    });
  });

  it('runs several statements in one Query and tags each', async () => {
    const c = await h.client();
    const results = (await c.query(
      'CREATE TABLE simple_t (a INTEGER); INSERT INTO simple_t VALUES (1), (2); SELECT count(*) AS n FROM simple_t',
    )) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.command)).toEqual(['CREATE', 'INSERT', 'SELECT']);
    expect(results[1]!.rowCount).toBe(2);
    expect(results[2]!.rows).toEqual([{ n: '2' }]);
  });

  it('creates and reads a Delta table by path', async () => {
    const c = await h.client();
    await c.query('CREATE TABLE delta.`t1` (id BIGINT, name STRING) USING DELTA');
    const ins = await c.query("INSERT INTO delta.`t1` VALUES (1, 'a'), (2, 'b')");
    expect(ins.command).toBe('INSERT');
    expect(ins.rowCount).toBe(2);
    const r = await c.query('SELECT id, name FROM delta.`t1` ORDER BY id');
    expect(r.rows).toEqual([
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
    ]);
  });

  it('answers an empty query', async () => {
    const c = await h.client();
    const r = await c.query('  ;  ');
    expect(r.rows).toEqual([]);
  });

  it('reports errors with the SQL layer SQLSTATE and keeps the connection usable', async () => {
    const c = await h.client();
    const err = await c.query('SELECT * FROM delta.`no_such_table`').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '42P01' });
    const syntax = await c.query('SELEC 1').catch((e: unknown) => e);
    expect((syntax as { code: string }).code).toMatch(/^42/);
    expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('answers SET, SHOW and version() the PostgreSQL way', async () => {
    const c = await h.client();
    await c.query("SET application_name = 'tester'");
    await c.query('SET extra_float_digits = 3');
    await c.query("SET client_encoding TO 'UTF8'");
    expect((await c.query('SHOW application_name')).rows).toEqual([{ application_name: 'tester' }]);
    expect((await c.query('SHOW TimeZone')).rows).toEqual([{ TimeZone: 'UTC' }]);
    const v = await c.query('SELECT version()');
    expect(v.rows[0].version).toMatch(/^PostgreSQL 16\.0/);
    const bad = await c.query("SET client_encoding = 'LATIN1'").catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: '22023' });
    await c.query('BEGIN');
    await c.query('COMMIT');
    expect((await c.query('select current_schema()')).rows[0].current_schema).toBe('main');
  });
});

describe('extended query protocol', () => {
  it('binds typed and untyped parameters as values, never as SQL text', async () => {
    const c = await h.client();
    const r = await c.query('SELECT $1::INTEGER + 1 AS n, $2 AS s, $3::DOUBLE AS d', [
      41,
      "it's'); DROP",
      2.5,
    ]);
    expect(r.rows).toEqual([{ n: 42, s: "it's'); DROP", d: 2.5 }]);
    const nulls = await c.query('SELECT $1 IS NULL AS isnull', [null]);
    expect(nulls.rows).toEqual([{ isnull: true }]);
  });

  it('reuses a named prepared statement', async () => {
    const c = await h.client();
    const named = await c.query({ name: 'typed', text: 'SELECT $1::INTEGER + 1 AS n', values: ['7'] });
    expect(named.rows[0].n).toBe(8);
    // The same name and text: pg reuses the statement it prepared, without a second Parse.
    const again = await c.query({ name: 'typed', text: 'SELECT $1::INTEGER + 1 AS n', values: ['1'] });
    expect(again.rows[0].n).toBe(2);
  });

  it('reports a bad parameter and recovers at Sync', async () => {
    const c = await h.client();
    const err = await c.query('SELECT $1::INTEGER AS n', ['not a number']).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBeDefined();
    expect((await c.query('SELECT $1::INTEGER AS n', [5])).rows).toEqual([{ n: 5 }]);
  });

  it('keeps a $1 inside a string literal as text', async () => {
    const c = await h.client();
    const r = await c.query("SELECT '$1' AS lit, $1 AS p", ['v']);
    expect(r.rows).toEqual([{ lit: '$1', p: 'v' }]);
  });
});

describe('untyped parameters', () => {
  it('types JS numbers from the context, numbers where DuckDB overloads need them', async () => {
    const c = await h.client();
    const t = await c.query('SELECT $1 AS t, $1 = 21 AS eq', ['21']);
    expect(t.rows).toEqual([{ t: '21', eq: true }]);
    // The second try turns every number-like untyped value into a number, this one's $2 too.
    const r = await c.query('SELECT $1 + 100 AS v, $2 AS t', [5, 'x']);
    expect(r.rows).toEqual([{ v: 105, t: 'x' }]);
    const n = await c.query('SELECT count(*) AS n FROM range($1)', [10]);
    expect(n.rows).toEqual([{ n: '10' }]);
    const bad = await c.query('SELECT $1 + 100 AS v', ['x']).catch((e: { code?: string }) => e);
    expect((bad as { code?: string }).code).toBe('42000');
  });
});

describe('concurrency', () => {
  it('answers SELECT 1 on one connection while another runs a long query', async () => {
    const a = await h.client();
    const b = await h.client();
    const order: string[] = [];
    const slow = a
      .query('SELECT count(*) AS n FROM range(40000000) t1(x), range(3) t2(y) WHERE x % 7 = y')
      .then(() => order.push('slow'));
    // Give the slow statement a head start on the engine.
    await new Promise((r) => setTimeout(r, 50));
    await b.query('SELECT 1').then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  it('serves many clients at once', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => h.client()));
    const results = await Promise.all(clients.map((c, i) => c.query('SELECT $1::INTEGER * 2 AS v', [i])));
    expect(results.map((r) => r.rows[0].v)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });
});

describe('mixed load', () => {
  it('16 clients running mixed simple, extended and failing statements all get their own answers', async () => {
    const clients = await Promise.all(Array.from({ length: 16 }, () => h.client()));
    const errors: unknown[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        for (let round = 0; round < 10; round++) {
          const sum = await c.query(`SELECT sum(range) AS s FROM range(${1000 + i})`);
          if (sum.rows[0].s !== String(((999 + i) * (1000 + i)) / 2)) errors.push(['sum', i, sum.rows]);
          const p = await c.query('SELECT $1::INTEGER * $2::INTEGER AS v', [i, round]);
          if (p.rows[0].v !== i * round) errors.push(['param', i, p.rows]);
          const bad = await c.query('SELECT * FROM delta.`missing`').catch((e: { code: string }) => e.code);
          if (bad !== '42P01') errors.push(['error', i, bad]);
        }
      }),
    );
    expect(errors).toEqual([]);
  });
});

describe('error positions', () => {
  it('points into the whole query text of a multi-statement Query', async () => {
    const c = await h.client();
    const sql = "SELECT 1; INSERT INTO delta.`t1` VALUES ('unterminated";
    const err = (await c.query(sql).catch((e: unknown) => e)) as { code: string; position?: string };
    expect(err.code).toBe('42601');
    expect(Number(err.position)).toBe(sql.indexOf("'") + 1);
  });
});
