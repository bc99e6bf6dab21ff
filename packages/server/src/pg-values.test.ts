import { parseDuckType } from '@loch/engine-duckdb';
import { PgOid } from '@loch/pgwire';
import { describe, expect, it } from 'vitest';
import { pgColumnName, pgColumns, pgRow, wireTypeOf } from './pg-values.js';

const oidOf = (t: string) => wireTypeOf(parseDuckType(t)).typeOid;

describe('wire types', () => {
  it('maps DuckDB types to PostgreSQL OIDs', () => {
    expect(oidOf('BIGINT')).toBe(PgOid.int8);
    expect(oidOf('TINYINT')).toBe(PgOid.int2);
    expect(oidOf('HUGEINT')).toBe(PgOid.numeric);
    expect(oidOf('DECIMAL(18,2)')).toBe(PgOid.numeric);
    expect(wireTypeOf(parseDuckType('DECIMAL(18,2)')).typeModifier).toBe(((18 << 16) | 2) + 4);
    expect(oidOf('TIMESTAMP WITH TIME ZONE')).toBe(PgOid.timestamptz);
    expect(oidOf('VARCHAR[]')).toBe(PgOid._text);
    expect(oidOf('INTEGER[][]')).toBe(PgOid.json);
    expect(oidOf('STRUCT(a INTEGER)')).toBe(PgOid.json);
    expect(oidOf('MAP(VARCHAR, INTEGER)')).toBe(PgOid.json);
    expect(oidOf("ENUM('a', 'b')")).toBe(PgOid.text);
    expect(oidOf('UUID')).toBe(PgOid.uuid);
  });

  it('converts DuckDB values structurally', () => {
    const cols = pgColumns([
      { name: 'd', type: 'DATE' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'n', type: 'DECIMAL(5,2)' },
      { name: 'l', type: 'INTEGER[]' },
      { name: 'x', type: 'BIGINT' },
    ]);
    expect(
      pgRow([{ days: 1 }, { micros: 5n }, { value: 1234n, scale: 2 }, { items: [1, null] }, null], cols),
    ).toEqual([1, 5n, '12.34', [1, null], null]);
  });

  it('names unaliased expression columns as PostgreSQL does', () => {
    expect(pgColumnName('count_star()')).toBe('count');
    expect(pgColumnName('current_schema()')).toBe('current_schema');
    expect(pgColumnName('main.list_value(1, 2)')).toBe('list_value');
    expect(pgColumnName('(1 + 1)')).toBe('?column?');
    expect(pgColumnName('id')).toBe('id');
  });
});
