import { tokenize } from '@loch/sql';
import { describe, expect, it } from 'vitest';
import { isStreamable } from './query-stream.js';

const streamable = (sql: string) => isStreamable(sql, tokenize(sql));

describe('isStreamable', () => {
  it('streams plain queries that read from something', () => {
    expect(streamable('SELECT * FROM range(10)')).toBe(true);
    expect(streamable('WITH t AS (SELECT 1 AS a) SELECT a FROM t')).toBe(true);
  });

  it('leaves constant selects, Loch statements, commands and catalog-only answers to the regular path', () => {
    expect(streamable('SELECT 1')).toBe(false);
    expect(streamable('INSERT INTO t SELECT * FROM s')).toBe(false);
    expect(streamable('DESCRIBE HISTORY delta.`t`')).toBe(false);
    expect(streamable('SELECT polname FROM pg_catalog.pg_policy')).toBe(false);
    expect(streamable('SELEC * FROM t')).toBe(false);
  });
});
