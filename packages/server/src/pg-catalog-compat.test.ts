import { describe, expect, it } from 'vitest';
import { rewriteCatalogQuery } from './pg-catalog-compat.js';

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
