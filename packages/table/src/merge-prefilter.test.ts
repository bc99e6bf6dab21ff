// The MERGE key prefilter (`t.k IN (SELECT s.k FROM source)`, see merge-sql.ts) runs only when a
// target file the MERGE scans has no numRecords in its stats: with row counts DuckDB sizes the scan
// itself (decision 0003) and the prefilter costs more than it saves. Both paths give the same rows.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeltaTable } from './delta-table.js';
import { plain, tableAt, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();
const MARKER = '__loch_may_match';

/** Drops `stats` from every add of the table's (only) commit, as a writer without stats would. */
async function dropStats(dir: string): Promise<void> {
  const file = path.join(dir, '_delta_log', `${'0'.repeat(20)}.json`);
  const lines = (await fs.readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const out = lines.map((l) => {
    const action = JSON.parse(l) as { add?: Record<string, unknown> };
    if (action.add !== undefined) delete action.add.stats;
    return JSON.stringify(action);
  });
  await fs.writeFile(file, `${out.join('\n')}\n`);
}

describe.each([
  ['with stats', false],
  ['without stats', true],
] as const)('target files %s', (_stats, withoutStats) => {
  describe.each([
    ['copy-on-write', {}],
    ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
  ])('MERGE prefilter with %s', (_mode, properties) => {
    let table: DeltaTable;
    let queries: string[];
    const rows = async (): Promise<string[]> =>
      plain(await table.toArray({ orderBy: ['k', 'g', 'v'] })).map((r) => `${r.k}/${r.g}:${r.v}`);

    beforeEach(async () => {
      await fx.table.write(
        `SELECT * FROM (VALUES (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (NULL, 'a', 40), (5, 'b', 50)) AS x(k, g, v)`,
        { mode: 'errorIfExists', properties },
      );
      if (withoutStats) await dropStats(fx.dir);
      // A fresh handle reads the log as it is now.
      table = tableAt(fx.ctx, fx.dir);
      const files = (await table.snapshot()).files;
      expect(files.length).toBeGreaterThan(0);
      expect(files.every((f) => f.stats == null)).toBe(withoutStats);
      queries = [];
      const query = fx.engine.query.bind(fx.engine);
      vi.spyOn(fx.engine, 'query').mockImplementation(async (sql) => {
        queries.push(sql);
        return query(sql);
      });
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** Whether the MERGE's action pass used the prefilter. */
    const prefiltered = () => queries.some((q) => q.includes(MARKER));

    it('keeps rows whose key matches but whose clause condition or extra ON conjunct fails', async () => {
      const r = await table
        .merge(
          `SELECT * FROM (VALUES (1, 'a', 11), (2, 'a', 0), (3, 'a', 33), (NULL, 'a', 44), (7, 'a', 77)) AS s(k, g, v)`,
          't.k = s.k AND t.g = s.g',
          { targetAlias: 't', sourceAlias: 's' },
        )
        .whenMatchedDelete({ condition: 's.v = 0' })
        .whenMatchedUpdate({ condition: 't.v < 15', set: { v: 's.v' } })
        .whenNotMatchedInsertAll()
        .execute();
      // 1/a updated; 2/a deleted; 3/b kept (g differs: inserted 3/a); NULL/a kept (NULL never
      // matches: the source's NULL row is inserted); 5/b untouched; 7/a inserted.
      expect(await rows()).toEqual([
        '1/a:11',
        '3/a:33',
        '3/b:30',
        '5/b:50',
        '7/a:77',
        'null/a:40',
        'null/a:44',
      ]);
      expect(r).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsDeleted: 1, numTargetRowsInserted: 3 });
      expect(prefiltered()).toBe(withoutStats);
    });

    it('a matched row whose update condition is false stays as it was', async () => {
      await table
        .merge('SELECT 5 AS k, 99 AS v', 't.k = s.k', { targetAlias: 't', sourceAlias: 's' })
        .whenMatchedUpdate({ condition: 's.v < 0', set: { v: 's.v' } })
        .whenNotMatchedInsertAll()
        .execute();
      expect(await rows()).toEqual(['1/a:10', '2/a:20', '3/b:30', '5/b:50', 'null/a:40']);
      expect(prefiltered()).toBe(withoutStats);
    });
  });
});
