import { tokenize } from '@loch/sql';
import { describe, expect, it } from 'vitest';
import { isPlainQuery } from './plain-query.js';
import { planOf } from './statement-plan.js';

const streamable = (sql: string) => planOf(sql, false).streamable;

describe('streamable statements', () => {
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

describe('planOf', () => {
  it('keeps the plan of a repeated text, but not of one-off texts', () => {
    const sql = 'SELECT 42 AS plan_cache_probe';
    expect(planOf(sql)).toBe(planOf(sql));
    const once = 'SELECT 43 AS plan_cache_probe';
    expect(planOf(once, false)).not.toBe(planOf(once, false));
  });

  it('classifies blank, catalog and plain statements', () => {
    expect(planOf('  -- nothing\n', false).blank).toBe(true);
    const catalog = planOf('SELECT polname FROM pg_catalog.pg_policy', false);
    expect([catalog.answersEmpty, catalog.plain]).toEqual([true, false]);
    const plain = planOf('SELECT 1', false);
    expect([plain.plain, plain.streamable, plain.info.tag]).toEqual([true, false, 'SELECT']);
  });
});
