// table_changes(...) calls found by token: arguments, aliases, and what is not a call.
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { findTableChanges, outsideTableChanges } from './table-changes.js';
import { findTableRefs } from './table-refs.js';

describe('findTableChanges', () => {
  it('reads a path string with versions, and delta.`path` with timestamps', () => {
    const sql = "SELECT * FROM table_changes('/t', 2, 5) WHERE x";
    const [call] = findTableChanges(sql);
    expect(call).toMatchObject({
      location: '/t',
      range: { startVersion: 2, endVersion: 5 },
      hasAlias: false,
      alias: 'table_changes',
    });
    expect(sql.slice(call!.start, call!.end)).toBe("table_changes('/t', 2, 5)");
    const [ts] = findTableChanges("SELECT * FROM TABLE_CHANGES(delta.`/t`, '2024-01-01 00:00:00') c");
    expect(ts).toMatchObject({
      location: '/t',
      range: { startTimestamp: '2024-01-01 00:00:00' },
      hasAlias: true,
    });
  });

  it('ignores strings, qualified names and non-calls', () => {
    expect(findTableChanges("SELECT 'table_changes(1)', x.table_changes(1), table_changes FROM t")).toEqual(
      [],
    );
  });

  it('rejects bad arguments with a syntax error', () => {
    for (const sql of [
      'SELECT * FROM table_changes(t, 1)',
      "SELECT * FROM table_changes('/t', x)",
      "SELECT * FROM table_changes('/t')",
    ]) {
      let err: unknown;
      try {
        findTableChanges(sql);
      } catch (e) {
        err = e;
      }
      expect(isSqlError(err, 'SYNTAX_ERROR'), sql).toBe(true);
    }
  });

  it('leaves delta.`path` inside a call to the call', () => {
    const sql = 'SELECT * FROM table_changes(delta.`/a`, 0) JOIN delta.`/b` USING (id)';
    const refs = outsideTableChanges(findTableRefs(sql), findTableChanges(sql));
    expect(refs.map((r) => r.location)).toEqual(['/b']);
  });
});
