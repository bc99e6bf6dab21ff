import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetastore } from '@loch/catalog';
import { DuckEngine } from '@loch/engine-duckdb';
import { SqlSession } from '@loch/sql';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgServer } from './server.js';

// Sessions are created for the authenticated user, so what a user creates is owned by that user.
describe('session user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loch-session-user-'));
  let server: PgServer;
  let engine: DuckEngine;
  let metastore: Awaited<ReturnType<typeof openMetastore>>['metastore'];
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    ({ metastore } = await openMetastore(dir, { adminPassword: 'admin-pw' }));
    await metastore.createUser({ name: 'analyst', password: 'analyst-pw' });
    engine = await DuckEngine.create({ threads: 2 });
    const ctx = { engine, stores: openStore };
    server = await PgServer.start({
      port: 0,
      engine,
      auth: metastore,
      newSession: (user) => {
        seen.push(user);
        return new SqlSession({
          engine,
          openTable: (l) => DeltaTable.forPath(ctx, l),
          baseDir: dir,
          metastore,
          ...(user === undefined ? {} : { user }),
        });
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await engine.close();
    await metastore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates objects owned by the user who logged in', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: server.address.port,
      user: 'analyst',
      password: 'analyst-pw',
      database: 'loch',
    });
    await client.connect();
    try {
      await client.query('CREATE TABLE owned_by_analyst (a INT)');
    } finally {
      await client.end();
    }
    expect(seen).toContain('analyst');
    const table = await metastore.getTable({ catalog: 'main', schema: 'default', name: 'owned_by_analyst' });
    expect(table.owner).toBe('analyst');
  });
});
