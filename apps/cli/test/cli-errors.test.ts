import { describe, expect, it } from 'vitest';
import { loch, ndjson, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe('errors', () => {
  it('a schema mismatch exits 1 naming the column and both types, without a stack', () => {
    sqlOk(cli.dir, 'CREATE TABLE delta.`strict` (id INT, amount DECIMAL(18,2))');
    const r = loch([
      'sql',
      '--warehouse',
      cli.dir,
      "INSERT INTO delta.`strict` SELECT 'x' AS id, 1.5 AS amount",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/id/);
    expect(r.stderr.toLowerCase()).toMatch(/string|varchar/);
    expect(r.stderr.toLowerCase()).toMatch(/int/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = loch(['sql', '--warehouse', cli.dir, "INSERT INTO delta.`strict` SELECT 'x', 1.5"], {
      env: { LOCH_DEBUG: '1' },
    });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // nothing was written
    expect(ndjson(sqlOk(cli.dir, 'SELECT count(*) AS n FROM delta.`strict`'))).toEqual([{ n: 0 }]);
  });

  it('a missing table exits 1 with 42P01, its path and the failing statement', () => {
    const r = loch(['sql', '--warehouse', cli.dir, 'SELECT 1; SELECT * FROM delta.`missing`']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing');
    expect(r.stderr).toContain('(SQLSTATE 42P01, statement 2 of 2)');
  });

  it('a syntax error exits 1 with its position', () => {
    const r = loch(['sql', '--warehouse', cli.dir, 'CREATE TABLE delta.`x` (a STRNG)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("at or near 'STRNG' (line 1, column 27)");
    expect(r.stderr).toContain('42601');
  });

  it('creating an existing table fails', () => {
    const r = loch(['sql', '--warehouse', cli.dir, 'CREATE TABLE delta.`strict` (id INT)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });
});
