import { describe, expect, it } from 'vitest';
import { CatalogMirror, type MirrorRelation, mirrorDdl } from './catalog-mirror.js';

const table = (name: string, schema = 'default'): MirrorRelation => ({
  schema,
  name,
  kind: 'table',
  columns: [
    { name: 'a', duckType: 'INTEGER', nullable: false },
    { name: 'b"q', duckType: 'DECIMAL(10,2)', nullable: true },
  ],
});

describe('mirrorDdl', () => {
  it('creates an empty table of the same shape, quoting names', () => {
    expect(mirrorDdl(table('t'))).toBe(
      'CREATE OR REPLACE TABLE "default"."t" ("a" INTEGER NOT NULL, "b""q" DECIMAL(10,2))',
    );
  });

  it('creates a view with no rows for a catalog view', () => {
    expect(mirrorDdl({ ...table('v'), kind: 'view' })).toBe(
      'CREATE OR REPLACE VIEW "default"."v" AS SELECT CAST(NULL AS INTEGER) AS "a", CAST(NULL AS DECIMAL(10,2)) AS "b""q" WHERE false',
    );
  });
});

describe('CatalogMirror', () => {
  it('creates, keeps, and drops only what it mirrored; skips DuckDB schemas', async () => {
    const ran: string[] = [];
    const mirror = new CatalogMirror({ run: async (sql) => void ran.push(sql) });
    await mirror.refresh([table('t'), table('u'), table('x', 'main')]);
    expect(ran).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "default"',
      mirrorDdl(table('t')),
      mirrorDdl(table('u')),
    ]);
    ran.length = 0;
    await mirror.refresh([table('t')]);
    expect(ran).toEqual(['DROP TABLE IF EXISTS "default"."u"']);
  });
});
