// Named objects through SqlSession: a real SQLite metastore in a temp warehouse, DuckDB, Delta tables.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-catalog-sql-', threads: 2, metastore: true });
const { rows, failure } = fx;

describe('named tables', () => {
  it('creates a managed table in the default schema and runs DML and time travel on it', async () => {
    await fx.session.execute(`
      CREATE TABLE orders (id INT, amount DOUBLE) USING DELTA;
      INSERT INTO orders VALUES (1, 10.0), (2, 20.0);
      INSERT INTO main.default.orders VALUES (3, 30.0);
      UPDATE orders SET amount = amount + 1 WHERE id = 1;
      DELETE FROM orders WHERE id = 2;`);
    expect(await rows('SELECT o.id, amount FROM `main`.Default.ORDERS o ORDER BY id')).toEqual([
      { id: 1, amount: 11 },
      { id: 3, amount: 30 },
    ]);
    expect(await rows('SELECT orders.id FROM orders VERSION AS OF 1 ORDER BY 1')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    const info = await fx.metastore.getTable('main.default.orders');
    expect(info.tableType).toBe('managed');
    expect(info.location.startsWith(fx.dir)).toBe(true);
    expect(existsSync(join(info.location, '_delta_log'))).toBe(true);
    expect(
      (await rows('DESCRIBE TABLE `main`.`default`.orders VERSION AS OF 0')).map((r) => r['col_name']),
    ).toEqual(['id', 'amount']);
    const history = await rows('DESCRIBE HISTORY orders');
    expect(history.length).toBe(5);
  });

  it('uses catalogs and schemas, SHOW and DESCRIBE EXTENDED', async () => {
    await fx.session.execute(`
      CREATE CATALOG IF NOT EXISTS shop COMMENT 'the shop';
      CREATE SCHEMA shop.sales;
      USE CATALOG shop;
      USE SCHEMA sales;
      CREATE TABLE items (sku STRING COMMENT 'stock unit', qty INT) PARTITIONED BY (qty) COMMENT 'items' TBLPROPERTIES ('team' = 'a');
      INSERT INTO items VALUES ('a', 1);`);
    expect(await rows('SELECT * FROM sales.items')).toEqual([{ sku: 'a', qty: 1 }]);
    expect((await rows('SHOW CATALOGS')).map((r) => r['catalog'])).toEqual(
      expect.arrayContaining(['main', 'shop']),
    );
    expect(await rows("SHOW SCHEMAS IN shop LIKE 'sal*'")).toEqual([{ databaseName: 'sales' }]);
    expect(await rows('SHOW TABLES IN shop.sales')).toEqual([
      { database: 'sales', tableName: 'items', isTemporary: false },
    ]);
    expect(await rows('SHOW COLUMNS IN items')).toEqual([{ col_name: 'sku' }, { col_name: 'qty' }]);
    const described = await rows('DESCRIBE EXTENDED shop.sales.items');
    const value = (k: string) => described.find((r) => r['col_name'] === k)?.['data_type'];
    expect(value('Catalog')).toBe('shop');
    expect(value('Database')).toBe('sales');
    expect(value('Type')).toBe('MANAGED');
    expect(value('Provider')).toBe('delta');
    expect(value('Owner')).toBe('admin');
    expect(String(value('Table Properties'))).toContain('team=a');
    const [create] = await rows('SHOW CREATE TABLE items');
    expect(String(create!['createtab_stmt'])).toContain('PARTITIONED BY (`qty`)');
    expect(await rows("SHOW TBLPROPERTIES items ('team')")).toEqual([{ key: 'team', value: 'a' }]);
    await fx.session.execute("COMMENT ON TABLE items IS 'all items'; ALTER TABLE items RENAME TO goods");
    expect((await fx.metastore.getTable('shop.sales.goods')).comment).toBe('all items');
    await fx.session.execute('USE main.default');
  });

  it('reports missing objects with SQLSTATE and a suggestion', async () => {
    const e = await failure('SELECT * FROM main.default.order');
    expect(e.sqlState).toBe('42P01');
    expect(e.message).toContain('main.default.order not found; did you mean main.default.orders?');
    expect((await failure('CREATE TABLE nope.t (a INT)')).sqlState).toBe('3F000');
    const schema = await failure('SELECT * FROM main.nope.t');
    expect(schema.sqlState).toBe('3F000');
    expect(schema.message).toContain('schema main.nope not found');
    expect((await failure('SELECT * FROM nocat.s.t')).sqlState).toBe('3D000');
    expect((await failure('CREATE TABLE orders (a INT)')).sqlState).toBe('42P07');
    expect((await failure('USE SCHEMA missing')).sqlState).toBe('3F000');
  });

  it('keeps external data on DROP and deletes managed data', async () => {
    const ext = join(fx.dir, 'ext-data');
    await fx.session.execute(`CREATE TABLE ext (a INT) LOCATION '${ext}'; INSERT INTO ext VALUES (1)`);
    expect((await fx.metastore.getTable('main.default.ext')).tableType).toBe('external');
    await fx.session.execute('DROP TABLE ext');
    expect(existsSync(join(ext, '_delta_log'))).toBe(true);
    // Registering an existing Delta location needs no columns.
    await fx.session.execute(`CREATE TABLE ext2 LOCATION '${ext}'`);
    expect(await rows('SELECT * FROM ext2')).toEqual([{ a: 1 }]);
    await fx.session.execute('CREATE TABLE tmp (a INT)');
    const { location } = await fx.metastore.getTable('main.default.tmp');
    await fx.session.execute('DROP TABLE tmp; DROP TABLE IF EXISTS tmp');
    expect(existsSync(location)).toBe(false);
  });

  it('does not register a name whose Delta create fails', async () => {
    const e = await failure('CREATE TABLE bad (a INT) PARTITIONED BY (nope)');
    expect(e).toBeDefined();
    expect(await fx.metastore.lookup('main.default.bad')).toBeUndefined();
  });

  it('expands views at query time and runs SQL functions', async () => {
    await fx.session.execute(`
      CREATE VIEW big AS SELECT id FROM orders WHERE amount > 20;
      CREATE FUNCTION plus_one(x INT) RETURNS INT RETURN x + 1;`);
    expect(await rows('SELECT b.id, plus_one(b.id) AS p FROM big b')).toEqual([{ id: 3, p: 4 }]);
    await fx.session.execute('INSERT INTO orders VALUES (4, 40.0)');
    expect(await rows('SELECT id FROM big ORDER BY id')).toEqual([{ id: 3 }, { id: 4 }]);
    expect(await rows('SELECT main.default.plus_one(1) AS p')).toEqual([{ p: 2 }]);
    expect((await rows('DESCRIBE FUNCTION plus_one')).map((r) => r['function_desc'])).toEqual([
      'Function: main.default.plus_one',
      'Type:     SCALAR',
      'Input:    x INT',
      'Returns:  INT',
    ]);
    expect(await rows('SHOW VIEWS')).toEqual([{ namespace: 'default', viewName: 'big', isTemporary: false }]);
    await fx.session.execute('DROP VIEW big; DROP FUNCTION plus_one');
    expect((await failure('SELECT * FROM big')).sqlState).toBe('42P01');
  });

  it('is visible to a new session on the same metastore, with functions registered', async () => {
    await fx.session.execute('CREATE FUNCTION twice(x INT) RETURNS INT RETURN x * 2');
    await fx.engine.run('DROP MACRO twice');
    const other = fx.newSession();
    expect(await rows('SELECT twice(count(*)::INT) AS n FROM orders', other)).toEqual([{ n: 6 }]);
  });

  it('resolves names in rewriteQuery too (what a streaming server calls)', async () => {
    const sql = await fx.session.rewriteQuery('SELECT count(*) AS n FROM orders');
    expect(sql).not.toContain('FROM orders');
    expect((await fx.engine.query(sql)).rows).toEqual([[3n]]);
  });

  it('leaves CTEs, DuckDB relations, path tables and FROM inside calls alone', async () => {
    await fx.session.execute(`CREATE TABLE delta.\`paths/p\` AS SELECT 1 AS a`);
    expect(await rows('WITH orders AS (SELECT 7 AS id) SELECT id FROM orders')).toEqual([{ id: 7 }]);
    expect(await rows('SELECT a FROM delta.`paths/p`')).toEqual([{ a: 1 }]);
    expect(
      await rows("SELECT extract(year FROM DATE '2024-05-01') AS y, trim(BOTH 'x' FROM 'xax') AS t"),
    ).toEqual([{ y: 2024n, t: 'a' }]);
    await fx.session.execute('CREATE TEMP TABLE scratch AS SELECT 5 AS v');
    expect(await rows('SELECT v FROM scratch')).toEqual([{ v: 5 }]);
    expect((await rows('SELECT count(*) > 0 AS ok FROM pg_catalog.pg_class'))[0]).toEqual({ ok: true });
    expect((await rows('SELECT count(*) > 0 AS ok FROM information_schema.tables'))[0]).toEqual({ ok: true });
  });

  it('joins named tables with comma lists and MERGEs into them', async () => {
    await fx.session.execute(`
      CREATE TABLE src (id INT, amount DOUBLE);
      INSERT INTO src VALUES (3, 33.0), (9, 99.0);
      MERGE INTO orders USING src ON orders.id = src.id
        WHEN MATCHED THEN UPDATE SET amount = src.amount
        WHEN NOT MATCHED THEN INSERT *`);
    expect(
      await rows('SELECT orders.id, src.amount FROM orders, src WHERE orders.id = src.id ORDER BY 1'),
    ).toEqual([
      { id: 3, amount: 33 },
      { id: 9, amount: 99 },
    ]);
  });

  it('creates tables AS SELECT and replaces them in place', async () => {
    await fx.session.execute('CREATE TABLE ctas AS SELECT id FROM orders WHERE id < 3');
    const before = await fx.metastore.getTable('main.default.ctas');
    await fx.session.execute("CREATE OR REPLACE TABLE ctas COMMENT 'again' AS SELECT 42 AS answer");
    const after = await fx.metastore.getTable('main.default.ctas');
    expect(after.location).toBe(before.location);
    expect(after.comment).toBe('again');
    expect(await rows('SELECT * FROM ctas')).toEqual([{ answer: 42 }]);
    expect((await rows('DESCRIBE HISTORY ctas')).length).toBe(2);
    await fx.session.execute('CREATE TABLE IF NOT EXISTS ctas (x INT)');
    expect(await rows('SELECT * FROM ctas')).toEqual([{ answer: 42 }]);
  });

  it('runs ALTER, OPTIMIZE, VACUUM, RESTORE and DESCRIBE DETAIL on a named table', async () => {
    await fx.session.execute(`
      CREATE TABLE maint (id INT) TBLPROPERTIES ('delta.enableDeletionVectors' = 'false');
      INSERT INTO maint VALUES (1);
      INSERT INTO maint (id) VALUES (2);
      ALTER TABLE maint ADD COLUMNS (note STRING);
      ALTER TABLE maint SET TBLPROPERTIES ('owner.team' = 'x');
      OPTIMIZE maint;
      SET spark.databricks.delta.retentionDurationCheck.enabled = false;
      VACUUM maint RETAIN 0 HOURS DRY RUN;`);
    expect(await rows('SELECT * FROM maint ORDER BY id')).toEqual([
      { id: 1, note: null },
      { id: 2, note: null },
    ]);
    await fx.session.execute('RESTORE TABLE maint TO VERSION AS OF 1');
    expect(await rows('SELECT * FROM maint')).toEqual([{ id: 1 }]);
    const [detail] = await rows('DESCRIBE DETAIL maint');
    expect(detail!['name']).toBe('main.default.maint');
    await fx.session.execute('CREATE TEMP TABLE scratch2 AS SELECT 1 AS x; DROP TABLE scratch2');
  });

  it('creates and drops volumes and schemas with CASCADE', async () => {
    await fx.session.execute('CREATE SCHEMA tmp_s; CREATE VOLUME tmp_s.files; CREATE TABLE tmp_s.t (a INT)');
    const vol = await fx.metastore.getVolume('main.tmp_s.files');
    expect(vol.volumeType).toBe('managed');
    await mkdir(vol.location, { recursive: true });
    await writeFile(join(vol.location, 'a.csv'), 'x\n1\n');
    expect(await rows("LIST '/Volumes/main/tmp_s/files/'")).toEqual([
      {
        path: '/Volumes/main/tmp_s/files/a.csv',
        name: 'a.csv',
        size: 4n,
        modification_time: expect.any(BigInt),
      },
    ]);
    const t = await fx.metastore.getTable('main.tmp_s.t');
    expect((await failure('DROP SCHEMA tmp_s')).sqlState).toBe('2BP01');
    await fx.session.execute('DROP SCHEMA tmp_s CASCADE');
    expect(existsSync(t.location)).toBe(false);
  });
});
