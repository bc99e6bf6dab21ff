// `loch sql --metrics`: one JSON line per query statement on stderr, data skipping visible in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, loch, ndjson, sqlOk, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  ({ dir, cleanup } = tempDir());
  const inserts = Array.from(
    { length: 4 },
    (_, k) => `INSERT INTO delta.\`m\` SELECT ${k * 10} + i FROM range(10) r(i)`,
  ).join(';\n');
  sqlOk(dir, `CREATE TABLE delta.\`m\` (id BIGINT);\n${inserts}`);
});
afterAll(() => cleanup());

describe('loch sql --metrics', () => {
  it('prints one JSON line per query with the files data skipping kept', () => {
    const r = loch([
      'sql',
      '--metrics',
      '--format',
      'ndjson',
      '--warehouse',
      dir,
      'SELECT count(*) AS n FROM delta.`m`; INSERT INTO delta.`m` VALUES (100); SELECT id FROM delta.`m` WHERE id = 25',
    ]);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toEqual([{ id: 25 }]);
    const lines = ndjson(r.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ filesTotal: 4, filesScanned: 4 });
    expect(lines[1]).toMatchObject({ filesTotal: 5, filesScanned: 1 });
    for (const m of lines) {
      for (const key of ['filesTotal', 'filesScanned', 'bytesScanned', 'planningMs', 'executionMs']) {
        expect(typeof m[key]).toBe('number');
      }
    }
    expect(lines[1]!['tables']).toEqual([
      expect.objectContaining({ table: 'm', filesScanned: 1, predicate: 'id = 25' }),
    ]);
  });

  it('prints nothing on stderr without --metrics', () => {
    const r = loch(['sql', '--warehouse', dir, 'SELECT id FROM delta.`m` WHERE id = 25']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('shows the pruning in EXPLAIN', () => {
    const out = sqlOk(dir, 'EXPLAIN SELECT * FROM delta.`m` WHERE id < 5', 'json');
    expect(out).toContain('files scanned 1/');
    expect(out).toContain('predicate: id < 5');
    // The table format prints the plan text itself, pruning first.
    const text = sqlOk(dir, 'EXPLAIN SELECT * FROM delta.`m` WHERE id < 5', 'table');
    expect(text.indexOf('files scanned 1/')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('files scanned 1/')).toBeLessThan(text.indexOf('READ_PARQUET'));
    expect(text).not.toContain('\\n');
  });
});
