import { DeltaError } from '@loch/delta';
import { EngineError } from '@loch/engine-duckdb';
import { describe, expect, it } from 'vitest';
import { SqlError } from './errors.js';
import { toSqlError } from './wrap-error.js';

describe('toSqlError', () => {
  it('maps DeltaError codes to SQL codes and SQLSTATEs, keeping the message', () => {
    const cases: [DeltaError, string, string][] = [
      [new DeltaError('TABLE_NOT_FOUND', 'no table at /x'), 'TABLE_NOT_FOUND', '42P01'],
      [new DeltaError('SCHEMA_MISMATCH', "column 'a' ..."), 'SCHEMA_MISMATCH', '42804'],
      [new DeltaError('VERSION_NOT_FOUND', 'version 9'), 'VERSION_NOT_FOUND', '22023'],
      [new DeltaError('UNSUPPORTED_READER_FEATURE', 'feature x'), 'UNSUPPORTED', '0A000'],
      [new DeltaError('REPLACE_WHERE_MISMATCH', 'row outside'), 'CONSTRAINT_VIOLATION', '44000'],
    ];
    for (const [e, code, state] of cases) {
      const s = toSqlError(e);
      expect([s.code, s.sqlState, s.message]).toEqual([code, state, e.message]);
      expect(s.details['deltaCode']).toBe(e.code);
      expect(s.cause).toBe(e);
    }
  });

  it('maps DuckDB error classes and drops the LINE excerpt of rewritten SQL', () => {
    const e = new EngineError(
      'DUCKDB_ERROR',
      "Conversion Error: Could not convert string 'x' to INT32\n\nLINE 1: SELECT CAST(...)\n        ^",
    );
    const s = toSqlError(e);
    expect([s.code, s.sqlState, s.message]).toEqual([
      'DATA_ERROR',
      '22018',
      "Conversion Error: Could not convert string 'x' to INT32",
    ]);
    expect(toSqlError(e, { keepExcerpt: true }).message).toContain('LINE 1: SELECT CAST(...)');
    expect(toSqlError(new Error('Catalog Error: Table with name t does not exist!')).sqlState).toBe('42P01');
    expect(toSqlError(new Error('Parser Error: syntax error at or near "SELEC"')).sqlState).toBe('42601');
    expect(toSqlError(new Error('Binder Error: Referenced column "z" not found')).sqlState).toBe('42703');
    expect(toSqlError(new Error('Conversion Error: value is out of range for INT16')).sqlState).toBe('22003');
  });

  it('passes SqlErrors through and wraps anything else as INTERNAL', () => {
    const s = new SqlError('SYNTAX_ERROR', 'x');
    expect(toSqlError(s)).toBe(s);
    expect(toSqlError('boom')).toMatchObject({ code: 'INTERNAL', sqlState: 'XX000', message: 'boom' });
  });
});
