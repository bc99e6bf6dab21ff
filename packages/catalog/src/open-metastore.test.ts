import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMetastoreTarget } from './open-metastore.js';

describe('parseMetastoreTarget', () => {
  it('treats a plain path as a warehouse directory with an embedded SQLite metastore', () => {
    expect(parseMetastoreTarget('./warehouse')).toEqual({
      kind: 'sqlite',
      file: join(resolve('warehouse'), '_loch', 'metastore.db'),
      warehouseRoot: resolve('warehouse'),
    });
  });

  it('accepts sqlite: URLs and knows when the file sits in a warehouse', () => {
    expect(parseMetastoreTarget('sqlite:/w/_loch/metastore.db')).toEqual({
      kind: 'sqlite',
      file: '/w/_loch/metastore.db',
      warehouseRoot: '/w',
    });
    expect(parseMetastoreTarget('sqlite:///tmp/m.db')).toEqual({ kind: 'sqlite', file: '/tmp/m.db' });
    expect(parseMetastoreTarget('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(() => parseMetastoreTarget('sqlite:')).toThrow(/names no file/);
  });

  it('takes the PostgreSQL schema from the URL or the options and strips it from the URL', () => {
    expect(parseMetastoreTarget('postgres://u@h:5432/db?schema=meta&sslmode=disable')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db?sslmode=disable',
      schema: 'meta',
    });
    expect(parseMetastoreTarget('postgresql://u@h/db', { pgSchema: 'x' })).toMatchObject({ schema: 'x' });
    expect(parseMetastoreTarget('postgres://u@h/db')).toMatchObject({ schema: 'loch' });
    expect(() => parseMetastoreTarget('postgres://u@h/db?schema=Bad;drop')).toThrow(
      /must be a lower-case identifier/,
    );
  });
});
