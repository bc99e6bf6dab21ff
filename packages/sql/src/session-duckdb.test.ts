import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-sql-', threads: 2 });
const { rows } = fx;

describe('SqlSession on DuckDB', () => {
  it('creates as select, appends, and reads older versions', async () => {
    await fx.session.execute(`
      CREATE TABLE delta.\`t\` PARTITIONED BY (p) AS SELECT i::INTEGER AS id, (i % 2)::INTEGER AS p FROM range(4) r(i);
      INSERT INTO delta.\`t\` VALUES (10, 0);`);
    expect(await rows('SELECT count(*) AS n FROM delta.`t`')).toEqual([{ n: 5n }]);
    expect(await rows('SELECT count(*) AS n FROM delta.`t` VERSION AS OF 0')).toEqual([{ n: 4n }]);
    expect(await rows('SELECT count(*) AS n FROM delta.`t@v0` a JOIN delta.`t` b USING (id)')).toEqual([
      { n: 4n },
    ]);
    const history = await rows('DESCRIBE HISTORY delta.`t`');
    expect(history.map((h) => [h['version'], h['operation']])).toEqual([
      [1n, 'WRITE'],
      [0n, 'CREATE TABLE AS SELECT'],
    ]);
  });

  it('rewrites the query it hands to DuckDB', async () => {
    const sql = await fx.session.rewriteQuery('SELECT id FROM delta.`t` VERSION AS OF 0 AS x WHERE id > 1');
    expect(sql).toMatch(/^SELECT id FROM \(.*\) AS x WHERE id > 1$/s);
    expect(sql).not.toContain('VERSION AS OF');
  });

  it('enforces the schema on INSERT and writes nothing', async () => {
    const err = await fx.session.execute("INSERT INTO delta.`t` SELECT 'x', 1").catch((e: unknown) => e);
    expect(isSqlError(err, 'SCHEMA_MISMATCH')).toBe(true);
    expect((err as Error).message).toMatch(/id/);
    expect(await rows('SELECT count(*) AS n FROM delta.`t`')).toEqual([{ n: 5n }]);
  });

  it('casts VALUES literals to the column types, failing on the value that does not fit', async () => {
    const err = await fx.session.execute("INSERT INTO delta.`t` VALUES ('x', 1)").catch((e: unknown) => e);
    expect(err).toMatchObject({ sqlState: '22018' });
    expect((err as Error).message).toMatch(/'x'/);
    expect(await rows('SELECT count(*) AS n FROM delta.`t`')).toEqual([{ n: 5n }]);
  });

  it('maps DuckDB errors to SQLSTATEs', async () => {
    await expect(fx.session.execute('SELECT * FROM no_such_table')).rejects.toMatchObject({
      sqlState: '42P01',
    });
    await expect(fx.session.execute('SELEC 1')).rejects.toMatchObject({ sqlState: '42601' });
    await expect(fx.session.execute("SELECT 'x'::INTEGER")).rejects.toMatchObject({ sqlState: '22018' });
  });
});
