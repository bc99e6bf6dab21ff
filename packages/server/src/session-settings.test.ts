import { describe, expect, it } from 'vitest';
import { commandInfo } from './command-info.js';
import { SessionSettings } from './session-settings.js';

describe('SessionSettings', () => {
  it('sets and shows PostgreSQL parameters, reporting the ones clients track', () => {
    const s = new SessionSettings();
    expect(s.handle("SET application_name = 'bi tool'")).toEqual({
      kind: 'command',
      tag: 'SET',
      report: ['application_name', 'bi tool'],
    });
    expect(s.handle('SHOW application_name')).toEqual({
      kind: 'rows',
      columns: [{ name: 'application_name', typeOid: 25 }],
      rows: [['bi tool']],
    });
    expect(s.handle('SET extra_float_digits = 3')).toMatchObject({ kind: 'command' });
    expect(s.extraFloatDigits).toBe(3);
    expect(s.handle("SET TIME ZONE 'UTC'")).toMatchObject({ kind: 'command', report: ['TimeZone', 'UTC'] });
    expect(s.handle('SHOW TRANSACTION ISOLATION LEVEL')).toMatchObject({ rows: [['read committed']] });
  });

  it('refuses values Loch cannot honour', () => {
    const s = new SessionSettings();
    expect(s.handle("SET client_encoding = 'LATIN1'")).toMatchObject({ kind: 'error', sqlstate: '22023' });
    expect(s.handle("SET TimeZone = 'Europe/Paris'")).toMatchObject({ kind: 'error', sqlstate: '22023' });
  });

  it('leaves other statements to the SQL session', () => {
    const s = new SessionSettings();
    expect(s.handle('SET spark.sql.shuffle.partitions = 4')).toBeUndefined();
    expect(s.handle('SHOW TABLES')).toBeUndefined();
    expect(s.handle('SELECT 1')).toBeUndefined();
    expect(s.handle('select version()')).toMatchObject({ kind: 'rows' });
    expect(s.handle('BEGIN')).toEqual({ kind: 'transaction', tag: 'BEGIN' });
    expect(s.handle('DEALLOCATE PREPARE s1')).toEqual({ kind: 'deallocate', name: 's1' });
    expect(s.handle('DEALLOCATE ALL')).toEqual({ kind: 'deallocate', name: undefined });
  });
});

describe('commandInfo', () => {
  it('derives PostgreSQL command tags', () => {
    expect(commandInfo('  select 1')).toMatchObject({ tag: 'SELECT', returnsRows: true });
    expect(commandInfo('(SELECT 1)')).toMatchObject({ returnsRows: true });
    expect(commandInfo('insert into t values (1)')).toMatchObject({ verb: 'INSERT', counted: true });
    expect(commandInfo('CREATE OR REPLACE TABLE t AS SELECT 1')).toMatchObject({ tag: 'CREATE TABLE' });
    expect(commandInfo('drop view if exists v')).toMatchObject({ tag: 'DROP VIEW' });
    expect(commandInfo('OPTIMIZE t')).toMatchObject({ tag: 'OPTIMIZE', returnsRows: false });
  });
});
