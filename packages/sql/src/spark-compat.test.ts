import { DuckEngine } from '@loch/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { SqlSession } from './session.js';
import { rewriteSparkSql, sparkPatternToStrftime } from './spark-compat.js';

describe('sparkPatternToStrftime', () => {
  it.each([
    ['yyyy-MM-dd', '%Y-%m-%d'],
    ['yyyy-MM-dd HH:mm:ss.SSS', '%Y-%m-%d %H:%M:%S.%g'],
    ['yyyy-MM', '%Y-%m'],
    ["yyyy-MM-dd'T'HH:mm:ss", '%Y-%m-%dT%H:%M:%S'],
    ['dd/MM/yy hh:mm a', '%d/%m/%y %I:%M %p'],
    ['EEE, d MMM yyyy', '%a, %-d %b %Y'],
    ['100%', '100%%'],
  ])('%s -> %s', (spark, strftime) => {
    expect(sparkPatternToStrftime(spark)).toBe(strftime);
  });

  it('names unsupported letters', () => {
    expect(() => sparkPatternToStrftime('QQ yyyy')).toThrow(/'QQ'/);
  });
});

describe('rewriteSparkSql', () => {
  it('translates literal patterns only in the pattern argument', () => {
    expect(rewriteSparkSql("SELECT to_date(concat(a, 'x'), 'yyyy-MM-dd') FROM t")).toBe(
      "SELECT to_date(concat(a, 'x'), '%Y-%m-%d') FROM t",
    );
    expect(rewriteSparkSql("SELECT date_format(ts, 'yyyy-MM'), 'yyyy' FROM t")).toBe(
      "SELECT date_format(ts, '%Y-%m'), 'yyyy' FROM t",
    );
    expect(rewriteSparkSql('SELECT to_date(s, fmt) FROM t')).toBe('SELECT to_date(s, fmt) FROM t');
    expect(rewriteSparkSql("SELECT to_date('2024-01-01')")).toBe("SELECT to_date('2024-01-01')");
  });

  it('turns RLIKE / REGEXP with a literal pattern into a SIMILAR TO search', () => {
    expect(rewriteSparkSql("SELECT * FROM t WHERE name RLIKE '^a' AND x NOT REGEXP 'b+'")).toBe(
      "SELECT * FROM t WHERE name SIMILAR TO '(?s).*(?:^a).*' AND x NOT SIMILAR TO '(?s).*(?:b+).*'",
    );
    expect(rewriteSparkSql("SELECT rlike(a, 'x')")).toBe("SELECT rlike(a, 'x')");
  });
});

describe('Spark functions through SqlSession', () => {
  let engine: DuckEngine;
  let session: SqlSession;
  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 1 });
    session = new SqlSession({
      engine,
      openTable: () => {
        throw new Error('no tables in this test');
      },
    });
  });
  afterAll(async () => {
    await engine.close();
  });
  const value = async (sql: string): Promise<unknown> => {
    const [r] = await session.execute(sql);
    return r!.rows[0]![0];
  };

  it('runs the blueprint expressions with Spark results', async () => {
    expect(await value("SELECT CAST(to_date('2024-03-05', 'yyyy-MM-dd') AS VARCHAR)")).toBe('2024-03-05');
    expect(await value("SELECT CAST(to_date('05.03.2024', 'dd.MM.yyyy') AS VARCHAR)")).toBe('2024-03-05');
    expect(await value("SELECT to_date('garbage', 'yyyy-MM-dd')")).toBeNull();
    expect(
      await value(
        "SELECT CAST(to_timestamp('2024-03-05 10:11:12.345', 'yyyy-MM-dd HH:mm:ss.SSS') AS VARCHAR)",
      ),
    ).toBe('2024-03-05 10:11:12.345');
    expect(await value("SELECT date_format(TIMESTAMP '2024-03-05 10:11:12', 'yyyy-MM')")).toBe('2024-03');
    expect(await value("SELECT date_format(DATE '2024-03-05', 'dd/MM/yyyy HH:mm')")).toBe('05/03/2024 00:00');
    expect(await value("SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd')")).toBe(1460073600n);
    expect(await value("SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')")).toBe('1970-01-01 00:00:00');
    expect(
      await value(
        'SELECT count(*) FROM (VALUES (current_date()), (current_date() - INTERVAL 30 DAYS)) t(d) WHERE d >= current_date() - INTERVAL 7 DAYS',
      ),
    ).toBe(1n);
    expect(
      await value(
        "SELECT CAST(date_trunc('month', to_date(order_date, 'yyyy-MM-dd')) AS VARCHAR) FROM (VALUES ('2024-03-05')) t(order_date)",
      ),
    ).toBe('2024-03-01 00:00:00');
  });

  it('evaluates RLIKE as a regular-expression search', async () => {
    const [r] = await session.execute(
      "SELECT 'abc' RLIKE 'b', 'abc' RLIKE '^b', 'a.c' NOT RLIKE '\\.', 'Abc' REGEXP '(?i)^a'",
    );
    expect(r!.rows[0]).toEqual([true, false, false, true]);
  });

  it('reports an unsupported pattern letter as a SqlError', async () => {
    const err = await session.execute("SELECT to_date('1', 'QQ')").catch((e: unknown) => e);
    expect(isSqlError(err) && err.message).toMatch(/'QQ'/);
  });
});
