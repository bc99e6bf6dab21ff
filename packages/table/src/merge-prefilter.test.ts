import { beforeEach, describe, expect, it } from 'vitest';
import { plain, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();

const rows = async (): Promise<string[]> =>
  plain(await fx.table.toArray({ orderBy: ['k', 'g', 'v'] })).map((r) => `${r.k}/${r.g}:${r.v}`);

describe.each([
  ['copy-on-write', {}],
  ['deletion vectors', { 'delta.enableDeletionVectors': 'true' }],
])('MERGE prefilter with %s', (_mode, properties) => {
  beforeEach(async () => {
    await fx.table.write(
      `SELECT * FROM (VALUES (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (NULL, 'a', 40), (5, 'b', 50)) AS x(k, g, v)`,
      { mode: 'errorIfExists', properties },
    );
  });

  it('keeps rows whose key matches but whose clause condition or extra ON conjunct fails', async () => {
    const r = await fx.table
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
  });

  it('a matched row whose update condition is false stays as it was', async () => {
    await fx.table
      .merge('SELECT 5 AS k, 99 AS v', 't.k = s.k', { targetAlias: 't', sourceAlias: 's' })
      .whenMatchedUpdate({ condition: 's.v < 0', set: { v: 's.v' } })
      .whenNotMatchedInsertAll()
      .execute();
    expect(await rows()).toEqual(['1/a:10', '2/a:20', '3/b:30', '5/b:50', 'null/a:40']);
  });
});
