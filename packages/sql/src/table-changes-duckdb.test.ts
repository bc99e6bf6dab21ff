// table_changes through SqlSession on the real stack.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { SqlSession } from './session.js';

let dir: string;
let engine: DuckEngine;
let session: SqlSession;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loch-sql-cdf-'));
  engine = await DuckEngine.create({ threads: 1 });
  const ctx = { engine, stores: openStore };
  session = new SqlSession({ engine, openTable: (l) => DeltaTable.forPath(ctx, l), baseDir: dir });
});

afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

const rows = async (sql: string) => {
  const results = await session.execute(sql);
  const last = results[results.length - 1]!;
  return last.rows.map((r) => Object.fromEntries(last.columns.map((c, i) => [c.name, r[i]])));
};

describe('table_changes', () => {
  it('reads the change feed by version, joined with a table', async () => {
    await session.execute(`
      CREATE TABLE delta.\`c\` (id INT, v STRING) TBLPROPERTIES (delta.enableChangeDataFeed = true);
      INSERT INTO delta.\`c\` VALUES (1, 'a'), (2, 'b');`);
    // Commit times are file modification times: keep version 2's apart from version 1's.
    await sleep(5);
    await session.execute("INSERT OVERWRITE delta.`c` VALUES (3, 'c')");
    expect(
      await rows(
        "SELECT id, _change_type, _commit_version FROM table_changes('c', 1) ORDER BY _commit_version, id",
      ),
    ).toEqual([
      { id: 1, _change_type: 'insert', _commit_version: 1n },
      { id: 2, _change_type: 'insert', _commit_version: 1n },
      { id: 1, _change_type: 'delete', _commit_version: 2n },
      { id: 2, _change_type: 'delete', _commit_version: 2n },
      { id: 3, _change_type: 'insert', _commit_version: 2n },
    ]);
    expect(
      await rows('SELECT count(*) AS n FROM table_changes(delta.`c`, 1, 1) AS x JOIN delta.`c` USING (id)'),
    ).toEqual([{ n: 0n }]);
    const history = await rows('DESCRIBE HISTORY delta.`c`');
    const ts = history.find((h) => h['version'] === 2n)!['timestamp'];
    const iso = new Date(Number((ts as { micros: bigint }).micros / 1000n)).toISOString();
    expect(await rows(`SELECT DISTINCT _commit_version AS v FROM table_changes('c', '${iso}')`)).toEqual([
      { v: 2n },
    ]);
  });

  it('fails clearly without CDF and past the latest version', async () => {
    await session.execute('CREATE TABLE delta.`plain` AS SELECT 1 AS id');
    const off = await session.execute("SELECT * FROM table_changes('plain', 0)").catch((e: unknown) => e);
    expect(isSqlError(off, 'INVALID_ARGUMENT')).toBe(true);
    expect((off as Error).message).toMatch(/change data feed is not enabled at version 0/);
    const late = await session.execute("SELECT * FROM table_changes('c', 9)").catch((e: unknown) => e);
    expect(isSqlError(late, 'VERSION_NOT_FOUND')).toBe(true);
    expect((late as Error).message).toMatch(/latest version 2/);
    const missing = await session.execute("SELECT * FROM table_changes('nope', 0)").catch((e: unknown) => e);
    expect(isSqlError(missing, 'TABLE_NOT_FOUND')).toBe(true);
  });
});
