// Test scaffolding shared by the metastore test files (not built into dist/).
// PostgreSQL tests run against the real server; an unreachable server FAILS them, loudly, unless
// LOCH_SKIP_PG=1 says skipping is intended.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type OpenedMetastore, openMetastore } from './index.js';

export const PG_URL = process.env['LOCH_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SKIP_PG = process.env['LOCH_SKIP_PG'] === '1';
export const ADMIN_PASSWORD = 'admin-secret';

/** Undefined when the server answers; otherwise what went wrong, for the failure message. */
export async function pgProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function requirePg(): Promise<void> {
  const problem = await pgProblem();
  if (problem !== undefined) {
    throw new Error(
      `PostgreSQL metastore tests need the server at ${PG_URL} (set LOCH_TEST_PG_URL to change it): ${problem}. ` +
        'Start PostgreSQL, or set LOCH_SKIP_PG=1 to skip these tests on purpose.',
    );
  }
}

export const randomPgSchema = (): string => `loch_test_${randomBytes(6).toString('hex')}`;

export async function pgQuery<T extends pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function dropPgSchema(schema: string): Promise<void> {
  await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'loch-catalog-'));
export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** A fresh metastore on one backend, plus how to reopen the same store and throw it away. */
export interface Harness {
  readonly opened: OpenedMetastore;
  /** Warehouse root managed tables land under. */
  readonly root: string;
  reopen(options?: { adminPassword?: string }): Promise<OpenedMetastore>;
  dispose(): Promise<void>;
}

export type Backend = 'sqlite' | 'postgres';

export async function freshHarness(
  backend: Backend,
  adminPassword: string = ADMIN_PASSWORD,
): Promise<Harness> {
  if (backend === 'sqlite') {
    const dir = await tempDir();
    const opened = await openMetastore(dir, { adminPassword });
    const extra: OpenedMetastore[] = [];
    return {
      opened,
      root: dir,
      reopen: async (o = {}) => {
        const again = await openMetastore(dir, { adminPassword: o.adminPassword ?? adminPassword });
        extra.push(again);
        return again;
      },
      dispose: async () => {
        for (const m of [opened, ...extra]) await m.metastore.close().catch(() => undefined);
        await removeDir(dir);
      },
    };
  }
  const schema = randomPgSchema();
  const root = `/srv/warehouse-${schema}`;
  const opened = await openMetastore(PG_URL, { pgSchema: schema, adminPassword, warehouse: root });
  const extra: OpenedMetastore[] = [];
  return {
    opened,
    root,
    reopen: async (o = {}) => {
      const again = await openMetastore(PG_URL, {
        pgSchema: schema,
        adminPassword: o.adminPassword ?? adminPassword,
      });
      extra.push(again);
      return again;
    },
    dispose: async () => {
      for (const m of [opened, ...extra]) await m.metastore.close().catch(() => undefined);
      await dropPgSchema(schema);
    },
  };
}
