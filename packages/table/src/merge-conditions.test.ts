// Non-deterministic functions in MERGE conditions fail before anything is written
// (DELTA_NON_DETERMINISTIC_FUNCTION_NOT_SUPPORTED); in SET and INSERT expressions they are allowed.
import { beforeEach, describe, expect, it } from 'vitest';
import { NON_DETERMINISTIC } from './merge-conditions.js';
import { dataFilesIn, expectDeltaError, plain, useTableFixture } from './test-helpers.test-util.js';

const fx = useTableFixture();
const SOURCE = 'SELECT * FROM (VALUES (1, 100), (9, 900)) AS x(id, v)';
const ALIASES = { targetAlias: 't', sourceAlias: 's' };

const rows = async (): Promise<string[]> =>
  plain(await fx.table.toArray({ orderBy: ['id'] })).map((r) => `${r.id}:${r.v}`);

describe('MERGE conditions must be deterministic', () => {
  let files: string[];
  beforeEach(async () => {
    await fx.table.write('SELECT range AS id, range * 10 AS v FROM range(3)', { mode: 'errorIfExists' });
    files = await dataFilesIn(fx.dir);
  });

  const expectRejected = async (run: Promise<unknown>, clause: string): Promise<void> => {
    const e = await expectDeltaError(run, 'INVALID_ARGUMENT');
    expect(e.message).toContain(NON_DETERMINISTIC);
    expect(e.message).toContain(`MERGE ${clause} condition: random()`);
    expect(e.details).toMatchObject({ errorClass: NON_DETERMINISTIC, clause, functions: ['random'] });
    // Nothing committed, nothing left behind.
    expect((await fx.table.snapshot()).version).toBe(0);
    expect(await dataFilesIn(fx.dir)).toEqual(files);
    expect(await rows()).toEqual(['0:0', '1:10', '2:20']);
  };

  it('rejects random() in the ON condition', async () => {
    await expectRejected(
      fx.table
        .merge(SOURCE, 't.id = s.id AND random() < 2', ALIASES)
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(),
      'ON',
    );
  });

  it('rejects random() in a WHEN MATCHED AND condition', async () => {
    await expectRejected(
      fx.table
        .merge(SOURCE, 't.id = s.id', ALIASES)
        .whenMatchedUpdate({ condition: 'RANDOM() >= 0', set: { v: 's.v' } })
        .execute(),
      'WHEN MATCHED AND',
    );
  });

  it('rejects random() in a WHEN NOT MATCHED BY SOURCE AND condition', async () => {
    await expectRejected(
      fx.table
        .merge(SOURCE, 't.id = s.id', ALIASES)
        .whenNotMatchedBySourceDelete({ condition: 't.v > 0 AND random() < 0.5' })
        .execute(),
      'WHEN NOT MATCHED BY SOURCE AND',
    );
  });

  it('rejects random() inside a subquery of a WHEN NOT MATCHED AND condition', async () => {
    await expectRejected(
      fx.table
        .merge(SOURCE, 't.id = s.id', ALIASES)
        .whenNotMatchedInsertAll({ condition: 's.v > (SELECT random())' })
        .execute(),
      'WHEN NOT MATCHED AND',
    );
  });

  it('accepts deterministic functions in conditions', async () => {
    const r = await fx.table
      .merge(SOURCE, 'abs(t.id) = s.id', ALIASES)
      .whenMatchedUpdate({ condition: "lower('X') = 'x'", set: { v: 's.v' } })
      .whenNotMatchedInsertAll()
      .execute();
    expect(r).toMatchObject({ committed: true, numTargetRowsUpdated: 1, numTargetRowsInserted: 1 });
    expect(await rows()).toEqual(['0:0', '1:100', '2:20', '9:900']);
  });

  it('allows random() in an UPDATE SET of a MERGE', async () => {
    const r = await fx.table
      .merge(SOURCE, 't.id = s.id', ALIASES)
      .whenMatchedUpdate({ set: { v: 'CAST(1000 + floor(random() * 10) AS BIGINT)' } })
      .execute();
    expect(r).toMatchObject({ committed: true, numTargetRowsUpdated: 1 });
    const after = plain(await fx.table.toArray({ orderBy: ['id'] }));
    expect(after.map((x) => x.id)).toEqual([0, 1, 2]);
    expect(after[0]!.v).toBe(0);
    expect(after[2]!.v).toBe(20);
    expect(after[1]!.v).toBeGreaterThanOrEqual(1000);
    expect(after[1]!.v).toBeLessThan(1010);
  });
});

describe('UPDATE and DELETE conditions must be deterministic', () => {
  beforeEach(async () => {
    await fx.table.write('SELECT range AS id, range * 10 AS v FROM range(3)', { mode: 'errorIfExists' });
  });

  const expectRejected = async (run: Promise<unknown>, operation: string): Promise<void> => {
    const e = await expectDeltaError(run, 'INVALID_ARGUMENT');
    expect(e.message).toContain(`INVALID_NON_DETERMINISTIC_EXPRESSIONS`);
    expect(e.message).toContain(`${operation} WHERE condition: random()`);
    expect(e.details).toMatchObject({ clause: 'WHERE', functions: ['random'] });
    expect((await fx.table.snapshot()).version).toBe(0);
    expect(await rows()).toEqual(['0:0', '1:10', '2:20']);
  };

  it('rejects random() in a DELETE condition', async () => {
    await expectRejected(fx.table.delete('id > 0 AND random() < 2'), 'DELETE');
  });

  it('rejects random() in an UPDATE condition, and allows it in SET', async () => {
    await expectRejected(fx.table.update({ v: '0' }, 'random() >= 0'), 'UPDATE');
    const r = await fx.table.update({ v: 'CAST(500 + floor(random() * 10) AS BIGINT)' }, 'id = 2');
    expect(r.numUpdatedRows).toBe(1);
    const after = plain(await fx.table.toArray({ orderBy: ['id'] }));
    expect(after[2]!.v).toBeGreaterThanOrEqual(500);
    expect(after[2]!.v).toBeLessThan(510);
  });

  it('accepts deterministic conditions', async () => {
    const r = await fx.table.delete("lower('X') = 'x' AND id = 1");
    expect(r.numDeletedRows).toBe(1);
    expect(await rows()).toEqual(['0:0', '2:20']);
  });
});
