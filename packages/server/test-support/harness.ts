// A real server on an ephemeral port over a temporary warehouse, for the tests (outside src/ so
// the layering check does not count its test-only imports: @loch/table, @loch/storage, pg).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Metastore, openMetastore } from '@loch/catalog';
import { DuckEngine } from '@loch/engine-duckdb';
import { SqlSession } from '@loch/sql';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';
import pg from 'pg';
import { PgServer, type ServerOptions } from '../src/server.js';

export const ADMIN_PASSWORD = 'correct horse battery';

export interface Harness {
  readonly dir: string;
  readonly server: PgServer;
  readonly port: number;
  readonly metastore: Metastore;
  readonly engine: DuckEngine;
  client(options?: Partial<pg.ClientConfig>): Promise<pg.Client>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<ServerOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'loch-server-'));
  const { metastore } = await openMetastore(dir, { adminPassword: ADMIN_PASSWORD });
  const engine = await DuckEngine.create({ threads: 2 });
  const tables = new Map<string, DeltaTable>();
  const ctx = { engine, stores: openStore, engineInfo: 'loch-server-test' };
  const open = (location: string): DeltaTable => {
    let t = tables.get(location);
    if (t === undefined) {
      t = DeltaTable.forPath(ctx, location);
      tables.set(location, t);
    }
    return t;
  };
  const server = await PgServer.start({
    port: 0,
    newSession: () => new SqlSession({ engine, openTable: open, baseDir: dir }),
    engine,
    auth: metastore,
    ...options,
  });
  const clients: pg.Client[] = [];
  const port = server.address.port;
  return {
    dir,
    server,
    port,
    metastore,
    engine,
    async client(config = {}) {
      const c = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'admin',
        password: ADMIN_PASSWORD,
        database: 'loch',
        ...config,
      });
      c.on('error', () => {});
      await c.connect();
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await server.close();
      await engine.close();
      await metastore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
