// Which WHERE reaches which table reference, checked on DuckDB's own parse of the query.
import { DataType, type Expr, formatExpr } from '@loch/delta';
import { DuckEngine } from '@loch/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPushdowns, placeholderSql } from './pushdown.js';
import { findTableRefs } from './table-refs.js';

let engine: DuckEngine;
beforeAll(async () => {
  engine = await DuckEngine.create({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

const schema = DataType.struct([
  DataType.field('id', DataType.primitive('long'), true),
  DataType.field('s', DataType.struct([DataType.field('x', DataType.primitive('long'), true)]), true),
]);

/** The predicate each reference gets, in text order ('-' for none). */
async function filters(sql: string): Promise<string[]> {
  const refs = findTableRefs(sql);
  const found = await findPushdowns(engine, sql, refs);
  return refs.map((r) => {
    const e: Expr | undefined = found.get(r)?.(schema);
    return e === undefined ? '-' : formatExpr(e);
  });
}

describe('findPushdowns', () => {
  it('replaces references by placeholders DuckDB can parse, keeping the rewrite alias', () => {
    const sql = 'EXPLAIN SELECT * FROM delta.`/a/t` VERSION AS OF 3 JOIN delta.`/b/t` u ON true';
    expect(placeholderSql(sql, findTableRefs(sql))).toBe(
      'SELECT * FROM "__loch_ref_0" AS "t" JOIN "__loch_ref_1" u ON true',
    );
  });

  it('gives each table its SELECT WHERE, with only its own columns', async () => {
    expect(await filters('SELECT * FROM delta.`/x/t` WHERE id = 1')).toEqual(['id = 1']);
    expect(await filters('SELECT * FROM delta.`/x/t` a, delta.`/y/t` b WHERE a.id = 1 AND b.id > 2')).toEqual(
      [expect.stringMatching(/^\(id = 1\) AND .*unknown/i), expect.stringMatching(/id > 2/)],
    );
    expect(await filters('SELECT * FROM delta.`/x/t` WHERE s.x = 4')).toEqual(['s.x = 4']);
  });

  it('keeps outer-join NULL-filling sides, positional and ASOF right sides unfiltered', async () => {
    const q = async (join: string) =>
      (
        await filters(
          `SELECT * FROM delta.\`/x/a\` ${join} delta.\`/x/b\` ON a.id = b.id AND b.id > 7 WHERE a.id = 1`,
        )
      ).map((f) => f.replace(/<unknown[^>]*>/g, '?'));
    expect(await q('JOIN')).toEqual([
      '(id = 1) AND ((id = ?) AND (? > 7))',
      '(? = 1) AND ((? = id) AND (id > 7))',
    ]);
    expect(await q('LEFT JOIN')).toEqual(['id = 1', '(? = id) AND (id > 7)']);
    expect(await q('RIGHT JOIN')).toEqual(['(id = ?) AND (? > 7)', '? = 1']);
    expect(await q('FULL JOIN')).toEqual(['-', '-']);
    expect(await q('SEMI JOIN')).toEqual(['id = 1', '(? = id) AND (id > 7)']);
    expect(await q('ANTI JOIN')).toEqual(['id = 1', '(? = id) AND (id > 7)']);
    expect(await filters('SELECT * FROM delta.`/x/a` POSITIONAL JOIN delta.`/x/b` WHERE a.id = 1')).toEqual([
      '-',
      '-',
    ]);
    expect(
      await filters('SELECT * FROM delta.`/x/a` ASOF JOIN delta.`/x/b` ON a.id >= b.id WHERE b.id = 1'),
    ).toEqual([expect.stringMatching(/unknown/i), '-']);
    expect(
      await filters('SELECT * FROM delta.`/x/a` LEFT JOIN delta.`/x/b` USING (id) WHERE id = 1'),
    ).toEqual(['-', '-']);
    // The ON of an inner join inside the NULL-filled side of an outer join filters before the NULLs.
    expect(
      await filters(
        'SELECT * FROM delta.`/x/a` LEFT JOIN (delta.`/x/b` JOIN delta.`/x/c` ON b.id = 3 AND c.id = 4) ON true',
      ),
    ).toEqual(['-', expect.stringContaining('(id = 3)'), expect.stringContaining('(id = 4)')]);
  });

  it('does not filter samples, unparseable statements or other statements', async () => {
    expect(await filters('SELECT * FROM delta.`/x/t` USING SAMPLE 10 WHERE id = 1')).toEqual(['-']);
    expect(await filters('SELECT * FROM delta.`/x/t` TABLESAMPLE 10% WHERE id = 1')).toEqual(['-']);
    expect(await filters("COPY (SELECT * FROM delta.`/x/t` WHERE id = 1) TO '/dev/null'")).toEqual(['-']);
    expect(await filters('SELECT * FROM delta.`/x/t` WHERE id = ')).toEqual(['-']);
  });

  it('reaches tables in subqueries, CTEs and set operations', async () => {
    expect(
      await filters(
        'WITH c AS (SELECT * FROM delta.`/x/a` WHERE id < 3) SELECT * FROM c UNION ALL SELECT * FROM delta.`/x/b` WHERE id > 7',
      ),
    ).toEqual(['id < 3', 'id > 7']);
    expect(
      await filters('SELECT * FROM delta.`/x/a` WHERE id IN (SELECT id FROM delta.`/x/b` WHERE id = 2)'),
    ).toEqual([expect.stringMatching(/unknown/i), 'id = 2']);
  });
});
