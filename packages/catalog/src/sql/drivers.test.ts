// Both drivers: transactions commit or roll back as a whole, and unique violations are recognised
// (the metastore relies on that to settle create races).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, PG_URL, randomPgSchema, requirePg, SKIP_PG } from '../test-support.test-util.js';
import type { SqlDriver } from './driver.js';
import { PostgresDriver } from './postgres-driver.js';
import { SqliteDriver } from './sqlite-driver.js';

const cases: {
  name: 'sqlite' | 'postgres';
  open: () => Promise<{ driver: SqlDriver; cleanup: () => Promise<void> }>;
}[] = [
  {
    name: 'sqlite',
    open: async () => ({ driver: new SqliteDriver(':memory:'), cleanup: async () => undefined }),
  },
  {
    name: 'postgres',
    open: async () => {
      const schema = randomPgSchema();
      return { driver: await PostgresDriver.connect(PG_URL, schema), cleanup: () => dropPgSchema(schema) };
    },
  },
];

for (const c of cases) {
  describe.skipIf(c.name === 'postgres' && SKIP_PG)(`${c.name} driver`, () => {
    let driver: SqlDriver;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      if (c.name === 'postgres') await requirePg();
      ({ driver, cleanup } = await c.open());
      await driver.write((tx) => tx.run('CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT)'));
    });
    afterAll(async () => {
      await driver?.close();
      await cleanup?.();
    });

    it('rolls back every statement of a failed transaction', async () => {
      await expect(
        driver.write(async (tx) => {
          await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['a', 1]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await driver.read((tx) => tx.all('SELECT * FROM t'))).toEqual([]);
    });

    it('commits, counts changes, returns BIGINT as a number and flags unique violations', async () => {
      expect(
        await driver.write((tx) =>
          tx.run('INSERT INTO t (k, n) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2 ** 40]),
        ),
      ).toBe(2);
      expect(await driver.read((tx) => tx.get('SELECT n FROM t WHERE k = ?', ['b']))).toEqual({ n: 2 ** 40 });
      const err = await driver
        .write((tx) => tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['a', 3]))
        .catch((e: unknown) => e);
      expect(driver.isUniqueViolation(err)).toBe(true);
      expect(driver.isUniqueViolation(new Error('other'))).toBe(false);
    });
  });
}
