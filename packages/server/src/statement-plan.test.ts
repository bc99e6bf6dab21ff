import { tokenize } from '@loch/sql';
import { describe, expect, it } from 'vitest';
import { isPlainQuery } from './plain-query.js';
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

describe('isPlainQuery', () => {
  const plain = (sql: string) => isPlainQuery(sql, tokenize(sql));

  it('takes queries with or without FROM', () => {
    expect(plain('SELECT 1')).toBe(true);
    expect(plain('SELECT * FROM delta.`t` WHERE id = 1')).toBe(true);
  });

  it('leaves EXPLAIN, Loch statements and commands to the session', () => {
    expect(plain('EXPLAIN SELECT * FROM delta.`t`')).toBe(false);
    expect(plain('DESCRIBE HISTORY delta.`t`')).toBe(false);
    expect(plain('SHOW TABLES')).toBe(false);
    expect(plain('SHOW TABLES FROM main.default')).toBe(false);
    expect(streamable('SHOW TABLES FROM main.default')).toBe(false);
    expect(plain('INSERT INTO t VALUES (1)')).toBe(false);
    expect(plain('SELEC 1')).toBe(false);
  });
});
