// CREATE TABLE ... AS SELECT with a column list or CLUSTER BY writes one commit, as Spark does:
// version 0 holds the protocol, the metadata (declared columns), the clustering domain and the adds.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTERING_DOMAIN, parseCommitText } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-sql-ctas-' });

/** The commit files of a table and the action kinds of version 0. */
async function log(table: string): Promise<{ commits: string[]; kinds: string[]; text: string }> {
  const logDir = join(fx.dir, table, '_delta_log');
  const commits = (await readdir(logDir)).filter((f) => f.endsWith('.json')).sort();
  const text = await readFile(join(logDir, commits[0]!), 'utf8');
  return { commits, kinds: parseCommitText(text).map((a) => a.kind), text };
}

const rows = async (sql: string): Promise<unknown[][]> => {
  const results = await fx.session.execute(sql);
  return results.at(-1)!.rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
};

describe('CREATE TABLE ... AS SELECT in one commit', () => {
  it('a column list: declared types, NOT NULL and generated columns; query columns by position', async () => {
    await fx.session.execute(
      `CREATE TABLE delta.\`cols\` (id BIGINT NOT NULL, name STRING, twice BIGINT GENERATED ALWAYS AS (id * 2))
       AS SELECT range AS n, 'x' || range AS label FROM range(3)`,
    );
    const { commits, kinds, text } = await log('cols');
    expect(commits).toEqual(['00000000000000000000.json']);
    expect(kinds).toEqual(['commitInfo', 'protocol', 'metaData', 'add']);
    expect(text).toContain('"operation":"CREATE TABLE AS SELECT"');
    expect(await rows('SELECT * FROM delta.`cols` ORDER BY id')).toEqual([
      [0, 'x0', 0],
      [1, 'x1', 2],
      [2, 'x2', 4],
    ]);
    const [detail] = await fx.session.execute('DESCRIBE delta.`cols`');
    const types = detail!.rows.map((r) => String(r[1]).toLowerCase());
    expect(types.slice(0, 3)).toEqual(['bigint', 'string', 'bigint']);
    await expect(
      fx.session.execute('CREATE TABLE delta.`bad` (id BIGINT NOT NULL) AS SELECT NULL::BIGINT AS id'),
    ).rejects.toThrow(/id/);
  });

  it('CLUSTER BY: the clustering domain is in version 0 with the data', async () => {
    await fx.session.execute(
      'CREATE TABLE delta.`clustered` CLUSTER BY (a) AS SELECT range AS a FROM range(3)',
    );
    const { commits, kinds, text } = await log('clustered');
    expect(commits).toHaveLength(1);
    expect(kinds).toEqual(['commitInfo', 'protocol', 'metaData', 'domainMetadata', 'add']);
    expect(text).toContain(CLUSTERING_DOMAIN);
    expect(text).toContain('"clusterBy":"[\\"a\\"]"');
    await fx.session.execute(
      'CREATE TABLE delta.`both` (a BIGINT, b STRING) CLUSTER BY (b) AS SELECT range, range::VARCHAR FROM range(2)',
    );
    const both = await log('both');
    expect(both.commits).toHaveLength(1);
    expect(both.kinds).toEqual(['commitInfo', 'protocol', 'metaData', 'domainMetadata', 'add']);
    expect(await rows('SELECT count(*) FROM delta.`both`')).toEqual([[2]]);
  });

  it('CREATE OR REPLACE with a column list replaces schema and data in one commit', async () => {
    await fx.session.execute('CREATE TABLE delta.`rep` AS SELECT 1 AS old');
    await fx.session.execute("CREATE OR REPLACE TABLE delta.`rep` (k INT, v STRING) AS SELECT 7, 'seven'");
    const commits = (await readdir(join(fx.dir, 'rep', '_delta_log'))).filter((f) => f.endsWith('.json'));
    expect(commits).toHaveLength(2);
    expect(await rows('SELECT * FROM delta.`rep`')).toEqual([[7, 'seven']]);
  });
});
