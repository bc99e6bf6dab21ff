import { describe, expect, it } from 'vitest';
import { answersEmpty, rewriteCatalogQuery } from './pg-catalog-compat.js';

describe('rewriteCatalogQuery', () => {
  it('rewrites the PostgreSQL-only syntax of psql catalog queries', () => {
    expect(
      rewriteCatalogQuery(
        "SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default",
      ),
    ).toBe("SELECT pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.relname  ~  '^(t)$' ");
    expect(rewriteCatalogQuery('SELECT x::pg_catalog.regtype::pg_catalog.text FROM pg_catalog.pg_type')).toBe(
      'SELECT x::VARCHAR::text FROM pg_catalog.pg_type',
    );
  });

  it('leaves other statements and string contents alone', () => {
    expect(rewriteCatalogQuery('SELECT 1::INTEGER')).toBe('SELECT 1::INTEGER');
    expect(rewriteCatalogQuery("SELECT 'OPERATOR(pg_catalog.~)'")).toBe("SELECT 'OPERATOR(pg_catalog.~)'");
  });
});

describe('answersEmpty', () => {
  it('recognises queries over catalogs Loch has no entries in', () => {
    expect(answersEmpty("SELECT pol.polname FROM pg_catalog.pg_policy pol WHERE pol.polrelid = '1'")).toBe(
      true,
    );
    expect(answersEmpty('SELECT c.relname FROM pg_catalog.pg_class c')).toBe(false);
    expect(answersEmpty("SELECT 'pg_catalog.pg_policy'")).toBe(false);
  });

  it('rewrites columns DuckDB lacks and renamed functions', () => {
    expect(
      rewriteCatalogQuery(
        'SELECT c.relforcerowsecurity, pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_class c',
      ),
    ).toBe('SELECT false, loch_pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_class c');
  });
});
