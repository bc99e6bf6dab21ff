import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-sql-cdf-' });
const { rows } = fx;

describe('table_changes', () => {
  it('reads the change feed by version, joined with a table', async () => {
    await fx.session.execute(`
      CREATE TABLE delta.\`c\` (id INT, v STRING) TBLPROPERTIES (delta.enableChangeDataFeed = true);
      INSERT INTO delta.\`c\` VALUES (1, 'a'), (2, 'b');`);
    // Commit times are file modification times: keep version 2's apart from version 1's.
    await sleep(5);
    await fx.session.execute("INSERT OVERWRITE delta.`c` VALUES (3, 'c')");
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
    await fx.session.execute('CREATE TABLE delta.`plain` AS SELECT 1 AS id');
    const off = await fx.session.execute("SELECT * FROM table_changes('plain', 0)").catch((e: unknown) => e);
    expect(isSqlError(off, 'INVALID_ARGUMENT')).toBe(true);
    expect((off as Error).message).toMatch(/change data feed is not enabled at version 0/);
    const late = await fx.session.execute("SELECT * FROM table_changes('c', 9)").catch((e: unknown) => e);
    expect(isSqlError(late, 'VERSION_NOT_FOUND')).toBe(true);
    expect((late as Error).message).toMatch(/latest version 2/);
    const missing = await fx.session
      .execute("SELECT * FROM table_changes('nope', 0)")
      .catch((e: unknown) => e);
    expect(isSqlError(missing, 'TABLE_NOT_FOUND')).toBe(true);
  });
});
