import { describe, expect, it } from 'vitest';
import { findTableRefs, rewriteTableRefs } from './table-refs.js';

/** Rewrites every reference to a placeholder scan naming its location and time travel. */
function rewrite(sql: string): string {
  const refs = findTableRefs(sql);
  const scans = refs.map((r) => {
    const tt = r.timeTravel
      ? r.timeTravel.kind === 'version'
        ? `@${r.timeTravel.version}`
        : `@ts(${r.timeTravel.sql})`
      : '';
    return `SCAN ${r.location}${tt}`;
  });
  return rewriteTableRefs(sql, refs, scans);
}

describe('table reference rewriting', () => {
  it('replaces a reference and adds the last path segment as alias', () => {
    expect(rewrite('SELECT * FROM delta.`/data/orders` WHERE x > 1')).toBe(
      'SELECT * FROM (SCAN /data/orders) AS "orders" WHERE x > 1',
    );
  });

  it('keeps the alias the user wrote, with or without AS', () => {
    expect(rewrite('SELECT o.id FROM delta.`/d/orders` o JOIN delta.`/d/c` AS c ON o.c = c.id')).toBe(
      'SELECT o.id FROM (SCAN /d/orders) o JOIN (SCAN /d/c) AS c ON o.c = c.id',
    );
    expect(rewrite('SELECT * FROM delta.`/d/t` "my t"')).toBe('SELECT * FROM (SCAN /d/t) "my t"');
  });

  it('reads VERSION AS OF, FOR VERSION AS OF and the @v suffix', () => {
    expect(rewrite('SELECT * FROM delta.`/t` VERSION AS OF 3')).toBe('SELECT * FROM (SCAN /t@3) AS "t"');
    expect(rewrite('SELECT * FROM delta.`/t` FOR VERSION AS OF 3 x')).toBe('SELECT * FROM (SCAN /t@3) x');
    expect(rewrite('SELECT * FROM delta.`/t@v12` AS x')).toBe('SELECT * FROM (SCAN /t@12) AS x');
  });

  it('reads TIMESTAMP AS OF a literal or an expression', () => {
    expect(rewrite("SELECT * FROM delta.`/t` TIMESTAMP AS OF '2024-01-15' t2 WHERE 1=1")).toBe(
      "SELECT * FROM (SCAN /t@ts('2024-01-15')) t2 WHERE 1=1",
    );
    expect(
      rewrite("SELECT 1 FROM delta.`/t` TIMESTAMP AS OF current_timestamp() - INTERVAL '1' HOUR WHERE true"),
    ).toBe('SELECT 1 FROM (SCAN /t@ts(current_timestamp() - INTERVAL \'1\' HOUR)) AS "t" WHERE true');
    expect(
      rewrite("SELECT * FROM delta.`/t` TIMESTAMP AS OF TIMESTAMP '2024-01-15 10:00:00' JOIN x ON true"),
    ).toBe('SELECT * FROM (SCAN /t@ts(TIMESTAMP \'2024-01-15 10:00:00\')) AS "t" JOIN x ON true');
    expect(rewrite('SELECT * FROM delta.`/t@20240115103000123`')).toBe(
      'SELECT * FROM (SCAN /t@ts(\'2024-01-15 10:30:00.123\')) AS "t"',
    );
  });

  it('gives unaliased references to same-named tables distinct aliases', () => {
    expect(rewrite('SELECT * FROM delta.`/a/t`, delta.`/b/t`')).toBe(
      'SELECT * FROM (SCAN /a/t) AS "t", (SCAN /b/t) AS "t_2"',
    );
  });

  it('finds references in subqueries, CTEs and set operations', () => {
    expect(
      rewrite('WITH x AS (SELECT * FROM delta.`s`) SELECT * FROM x UNION ALL SELECT * FROM delta.`u`'),
    ).toBe(
      'WITH x AS (SELECT * FROM (SCAN s) AS "s") SELECT * FROM x UNION ALL SELECT * FROM (SCAN u) AS "u"',
    );
    expect(rewrite('SELECT (SELECT count(*) FROM delta.`c`) AS n')).toBe(
      'SELECT (SELECT count(*) FROM (SCAN c) AS "c") AS n',
    );
  });

  it('never touches strings, quoted identifiers or comments', () => {
    const sql = 'SELECT \'delta.`/x`\' AS "delta.`/y`" -- delta.`/z`\n/* delta.`/w` */';
    expect(findTableRefs(sql)).toEqual([]);
    expect(rewrite(sql)).toBe(sql);
  });

  it('ignores qualified names that merely contain delta', () => {
    expect(findTableRefs('SELECT * FROM cat.delta.`x`')).toEqual([]);
  });

  it('records spans and alias facts', () => {
    expect(findTableRefs('SELECT * FROM delta.`./rel/path` VERSION AS OF 0')).toEqual([
      {
        location: './rel/path',
        timeTravel: { kind: 'version', version: 0 },
        start: 14,
        end: 48,
        hasAlias: false,
        alias: 'path',
      },
    ]);
  });

  it('reports a malformed time travel clause with its position', () => {
    expect(() => findTableRefs('SELECT * FROM delta.`/t` VERSION AS OF x')).toThrow(
      /at or near 'x' \(line 1, column 40\): expected a version number/,
    );
  });
});
