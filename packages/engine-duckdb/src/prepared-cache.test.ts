import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from './duck-engine.js';

describe('repeated queries (prepared statements per connection)', () => {
  let engine: DuckEngine;
  let dir: string;
  beforeAll(async () => {
    // One connection, so every repeat meets the statement the previous run prepared.
    engine = await DuckEngine.create({ connections: 1, threads: 1 });
    dir = mkdtempSync(join(tmpdir(), 'loch-prepared-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = async (sql: string) => (await engine.query(sql)).rows.map((r) => r.map(String));

  it('give the same answers, and see a table replaced between runs', async () => {
    await engine.run('CREATE TABLE prep_t AS SELECT 1 AS a');
    const sql = 'SELECT * FROM prep_t';
    for (let i = 0; i < 3; i++) expect(await values(sql)).toEqual([['1']]);
    await engine.run("CREATE OR REPLACE TABLE prep_t AS SELECT 'x' AS a, 2 AS b");
    expect(await values(sql)).toEqual([['x', '2']]);
    expect((await engine.query(sql)).columns.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('read files afresh: a file rewritten between runs shows its new columns', async () => {
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'a\n1\n');
    const sql = `SELECT * FROM read_csv('${file}')`;
    expect(await values(sql)).toEqual([['1']]);
    expect(await values(sql)).toEqual([['1']]);
    writeFileSync(file, 'a,b\n5,6\n');
    expect(await values(sql)).toEqual([['5', '6']]);
  });

  it('return every chunk of a large result', async () => {
    const sql = 'SELECT range AS i FROM range(5000) ORDER BY i';
    for (let i = 0; i < 2; i++) {
      const rows = (await engine.query(sql)).rows;
      expect(rows.length).toBe(5000);
      expect(Number(rows[4999]![0])).toBe(4999);
    }
  });
});
