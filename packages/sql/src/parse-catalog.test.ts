import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { parseCatalogStatement } from './parse-catalog.js';
import { splitStatements } from './split-statements.js';

const parse = (sql: string) => parseCatalogStatement(splitStatements(sql)[0]!);

describe('parseCatalogStatement', () => {
  it('parses USE, CREATE and DROP of catalogs and schemas', () => {
    expect(parse('USE CATALOG shop')).toEqual({ kind: 'use', what: 'catalog', name: ['shop'] });
    expect(parse('use `my cat`.s')).toEqual({ kind: 'use', name: ['my cat', 's'] });
    expect(parse("CREATE SCHEMA IF NOT EXISTS c.s COMMENT 'x' MANAGED LOCATION '/data'")).toEqual({
      kind: 'createContainer',
      what: 'schema',
      name: ['c', 's'],
      ifNotExists: true,
      comment: 'x',
      location: '/data',
      properties: {},
    });
    expect(parse('DROP DATABASE IF EXISTS s CASCADE')).toEqual({
      kind: 'dropContainer',
      what: 'schema',
      name: ['s'],
      ifExists: true,
      cascade: true,
    });
  });

  it('parses SHOW with IN and LIKE', () => {
    expect(parse("SHOW TABLES IN c.s LIKE 'o*'")).toEqual({
      kind: 'show',
      what: 'tables',
      in: ['c', 's'],
      like: 'o*',
    });
    expect(parse('SHOW DATABASES')).toEqual({ kind: 'show', what: 'schemas' });
    expect(parse('SHOW COLUMNS IN t IN s')).toEqual({ kind: 'showColumns', table: ['s', 't'] });
  });

  it('rewrites CREATE TABLE <name> to the path form, dropping LOCATION', () => {
    const s = parse(
      "CREATE OR REPLACE TABLE c.s.t (a INT) USING DELTA LOCATION '/x' TBLPROPERTIES ('k' = 'v')",
    );
    expect(s?.kind).toBe('createTable');
    if (s?.kind !== 'createTable') return;
    expect(s.orReplace).toBe(true);
    expect(s.location).toBe('/x');
    expect(s.properties).toEqual({ k: 'v' });
    expect(s.pathSql('/loc')).toBe(
      "CREATE OR REPLACE TABLE delta.`/loc` (a INT) USING DELTA  TBLPROPERTIES ('k' = 'v')",
    );
  });

  it('parses views and SQL functions', () => {
    expect(parse("CREATE VIEW v COMMENT 'c' AS SELECT 1")).toMatchObject({
      kind: 'createView',
      query: 'SELECT 1',
    });
    expect(
      parse("CREATE FUNCTION f(x INT, y DECIMAL(10, 2) DEFAULT 1) RETURNS DOUBLE COMMENT 'add' RETURN x + y"),
    ).toEqual({
      kind: 'createFunction',
      name: ['f'],
      orReplace: false,
      ifNotExists: false,
      params: [
        { name: 'x', type: 'INT' },
        { name: 'y', type: 'DECIMAL(10, 2)', default: '1' },
      ],
      returnType: 'DOUBLE',
      body: 'x + y',
      deterministic: true,
      comment: 'add',
    });
  });

  it('leaves path-based and DuckDB statements to the other parsers', () => {
    expect(parse('CREATE TABLE delta.`/x` (a INT)')).toBeUndefined();
    expect(parse('CREATE TEMP TABLE x AS SELECT 1')).toBeUndefined();
    expect(parse('DESCRIBE HISTORY t')).toBeUndefined();
    expect(parse('SELECT 1')).toBeUndefined();
    expect(parse('ALTER TABLE t ADD COLUMNS (b INT)')).toBeUndefined();
    expect(parse('ALTER TABLE t RENAME TO u')).toEqual({
      kind: 'rename',
      what: 'table',
      from: ['t'],
      to: ['u'],
    });
  });

  it('reports syntax errors with a position', () => {
    try {
      parse('COMMENT ON TABLE t IS 42');
      expect.unreachable();
    } catch (e) {
      expect(isSqlError(e, 'SYNTAX_ERROR')).toBe(true);
    }
  });
});
