import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, loch, ndjson, sqlOk, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

it('builds bronze/silver/gold, shows history and time travel, and can run again', () => {
  for (let run = 0; run < 2; run++) {
    const r = loch(['demo'], { env: { LOCH_WAREHOUSE: `${dir}/wh`, LOCH_ADMIN_PASSWORD: 'test' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('== Bronze');
    expect(r.stdout).toContain('== Silver');
    expect(r.stdout).toContain('== Gold');
    expect(r.stdout).toContain('DESCRIBE HISTORY');
    expect(r.stdout).toContain('VERSION AS OF 1');
  }
  const wh = `${dir}/wh`;
  const counts = ndjson(
    sqlOk(
      wh,
      `SELECT (SELECT count(*) FROM delta.\`bronze/orders\`) AS bronze,
              (SELECT count(*) FROM delta.\`bronze/orders\` VERSION AS OF 1) AS bronze_v1,
              (SELECT count(*) FROM delta.\`silver/orders\`) AS silver,
              (SELECT count(DISTINCT order_id) FROM delta.\`silver/orders\`) AS silver_distinct,
              (SELECT sum(orders) FROM delta.\`gold/daily_sales\`) AS gold_orders`,
    ),
  )[0]!;
  expect(counts['bronze']).toBe(1100);
  expect(counts['bronze_v1']).toBe(600);
  expect(counts['silver']).toBe(counts['silver_distinct']);
  expect(counts['gold_orders']).toBe(counts['silver']);
  const history = ndjson(sqlOk(wh, 'DESCRIBE HISTORY delta.`bronze/orders`'));
  expect(history.map((h) => h['version'])).toEqual([2, 1, 0]);
});

it('--warehouse wins over LOCH_WAREHOUSE', () => {
  const r = loch(['demo', '--warehouse', `${dir}/other`], {
    env: { LOCH_WAREHOUSE: `${dir}/ignored`, LOCH_ADMIN_PASSWORD: 'test' },
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`${dir}/other`);
});
