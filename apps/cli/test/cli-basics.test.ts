import { describe, expect, it } from 'vitest';
import { loch, sqlOk, useCliDir } from './helpers.js';

const cli = useCliDir();

describe('loch basics', () => {
  it('prints help and version', () => {
    const help = loch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('loch sql [--format table|ndjson|csv|json]');
    const version = loch(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^loch \d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on usage errors', () => {
    for (const args of [
      ['bogus'],
      ['sql'],
      ['sql', '--format', 'xml', 'SELECT 1'],
      ['sql', '--nope', 'SELECT 1'],
      [],
    ]) {
      const r = loch(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(loch(['sql', '--format', 'xml', 'SELECT 1']).stderr).toContain("unknown format 'xml'");
  });

  it('reads statements from stdin with -', () => {
    const r = loch(['sql', '--format', 'csv', '-'], { input: "SELECT 'a`b' AS x;\nSELECT 'c' AS y;\n" });
    expect([r.code, r.stdout.trim()]).toEqual([0, 'y\nc']);
    expect(loch(['sql', '-'], { input: '  ' }).code).toBe(2);
  });

  it('runs plain DuckDB queries and prints the last result', () => {
    expect(sqlOk(cli.dir, 'SELECT 1 AS a; SELECT 2 AS b')).toBe('{"b":2}\n');
  });
});
