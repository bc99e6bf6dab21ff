import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseScript } from './parser.js';
import { useSqlSession } from './test-session.test-util.js';

describe('parsing DELETE and UPDATE', () => {
  it('parses DELETE with and without WHERE and an alias', () => {
    expect(parseScript("DELETE FROM delta.`/t` WHERE id > 1 AND s = 'a,b'")).toMatchObject([
      { kind: 'delete', table: { location: '/t' }, where: { sql: "id > 1 AND s = 'a,b'" } },
    ]);
    const [bare] = parseScript('DELETE FROM delta.`/t`');
    expect(bare).toEqual({ kind: 'delete', table: { location: '/t' } });
    expect(parseScript('DELETE FROM delta.`/t` AS x WHERE x.id = 1')).toMatchObject([
      { kind: 'delete', alias: 'x', where: { sql: 'x.id = 1' } },
    ]);
  });

  it('parses UPDATE assignments split at top-level commas only', () => {
    const [stmt] = parseScript(
      "UPDATE delta.`/t` u SET u.v = coalesce(v, 0) + 1, s = concat(s, ',', 'x') WHERE id IN (1, 2)",
    );
    expect(stmt).toMatchObject({
      kind: 'update',
      alias: 'u',
      assignments: [
        { column: 'v', value: { sql: 'coalesce(v, 0) + 1' } },
        { column: 's', value: { sql: "concat(s, ',', 'x')" } },
      ],
      where: { sql: 'id IN (1, 2)' },
    });
  });

  it('leaves DML on DuckDB tables to DuckDB and rejects time travel on the target', () => {
    expect(parseScript('DELETE FROM main.tbl WHERE x = 1')[0]?.kind).toBe('query');
    expect(() => parseScript('UPDATE delta.`/t` VERSION AS OF 1 SET v = 1')).toThrow(/time travel/);
    expect(() => parseScript('UPDATE delta.`/t` SET v')).toThrow();
  });
});

const fx = useSqlSession({ prefix: 'loch-sql-dml-' });
const { rows } = fx;

describe.each([
  ['copy-on-write', 'false'],
  ['deletion vectors', 'true'],
])('DELETE and UPDATE through SqlSession (%s)', (_mode, dv) => {
  it('deletes and updates rows, returns num_affected_rows and records history', async () => {
    const t = `delta.\`t_${dv}\``;
    await fx.session.execute(`
      CREATE TABLE ${t} (id INT, p INT, v STRING) PARTITIONED BY (p)
        TBLPROPERTIES ('delta.enableDeletionVectors' = '${dv}');
      INSERT INTO ${t} SELECT i::INT, (i % 3)::INT, 'v' || i FROM range(9) r(i);`);
    expect(await rows(`DELETE FROM ${t} WHERE id IN (1, 2, 7)`)).toEqual([{ num_affected_rows: 3n }]);
    expect(await rows(`UPDATE ${t} AS a SET v = upper(a.v), id = id * 10 WHERE a.p = 0 AND id > 0`)).toEqual([
      { num_affected_rows: 2n },
    ]);
    expect(await rows(`DELETE FROM ${t} WHERE p = 2`)).toEqual([{ num_affected_rows: 2n }]);
    expect(await rows(`SELECT id, v FROM ${t} ORDER BY id`)).toEqual([
      { id: 0, v: 'v0' },
      { id: 4, v: 'v4' },
      { id: 30, v: 'V3' },
      { id: 60, v: 'V6' },
    ]);
    expect(await rows(`SELECT count(*) AS n FROM ${t} VERSION AS OF 1`)).toEqual([{ n: 9n }]);
    const history = await rows(`DESCRIBE HISTORY ${t}`);
    expect(history.slice(0, 3).map((h) => h.operation)).toEqual(['DELETE', 'UPDATE', 'DELETE']);
    expect(await rows(`DELETE FROM ${t} WHERE id > 1000`)).toEqual([{ num_affected_rows: 0n }]);
  });
});

describe('DML errors', () => {
  it('names a missing table and a missing column', async () => {
    const missing = await fx.session.execute('DELETE FROM delta.`nope`').catch((e: unknown) => e);
    expect(isSqlError(missing, 'TABLE_NOT_FOUND')).toBe(true);
    await fx.session.execute('CREATE TABLE delta.`e` (id INT)');
    const col = await fx.session.execute('UPDATE delta.`e` SET nope = 1').catch((e: unknown) => e);
    expect((col as Error).message).toContain('nope');
  });

  it('uses a subquery over another Delta table in the predicate', async () => {
    await fx.session.execute(`
      CREATE TABLE delta.\`s1\` AS SELECT i::INT AS id FROM range(5) r(i);
      CREATE TABLE delta.\`s2\` AS SELECT i::INT AS id FROM range(2) r(i);`);
    expect(await rows('DELETE FROM delta.`s1` WHERE id IN (SELECT id FROM delta.`s2`)')).toEqual([
      { num_affected_rows: 2n },
    ]);
    expect(await rows('SELECT count(*) AS n FROM delta.`s1`')).toEqual([{ n: 3n }]);
  });
});
