// Named tables across processes: each `loch sql` opens the warehouse's metastore anew.
import { describe, expect, it } from 'vitest';
import { loch, ndjson, useCliDir } from './helpers.js';

const cli = useCliDir();

const sql = (text: string, env: Record<string, string> = {}) =>
  loch(['sql', '--format', 'ndjson', '--warehouse', `${cli.dir}/wh`, text], { env });

describe('loch sql with named tables', () => {
  it('prints the generated admin password once, and later processes see the tables', () => {
    const first = sql(`
      CREATE SCHEMA sales COMMENT 'orders and customers';
      CREATE TABLE main.sales.orders (id INT, amount DOUBLE);
      INSERT INTO sales.orders VALUES (1, 2.5), (2, 4.0);
      USE sales;
      CREATE VIEW big_orders AS SELECT id FROM orders WHERE amount > 3`);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^Created user admin with password: \S+\n\(shown once/);

    const second = sql(
      'SELECT o.id, b.id AS big FROM sales.orders o LEFT JOIN main.sales.big_orders b ON o.id = b.id ORDER BY o.id',
    );
    expect(second.stderr).toBe('');
    expect(ndjson(second.stdout)).toEqual([
      { id: 1, big: null },
      { id: 2, big: 2 },
    ]);
    expect(ndjson(sql('SHOW TABLES IN main.sales').stdout)).toEqual([
      { database: 'sales', tableName: 'big_orders', isTemporary: false },
      { database: 'sales', tableName: 'orders', isTemporary: false },
    ]);
  });

  it('names the missing table, suggests the closest one and gives the SQLSTATE', () => {
    const r = sql('SELECT * FROM main.sales.order');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('table main.sales.order not found; did you mean main.sales.orders?');
    expect(r.stderr).toContain('SQLSTATE 42P01');
  });
});
