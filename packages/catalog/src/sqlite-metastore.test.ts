// SQLite-specific guarantees: where the file lives, WAL, what is (not) stored, schema versioning,
// and several processes sharing one warehouse.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METASTORE_SCHEMA_VERSION, openMetastore } from './index.js';
import { removeDir, tempDir } from './test-support.test-util.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../../..');
const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const dbFile = () => nodePath.join(dir, '_loch', 'metastore.db');

function raw<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbFile(), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('SQLite metastore', () => {
  it('lives in <warehouse>/_loch/metastore.db in WAL mode with versioned, empty governance tables', async () => {
    const { metastore } = await openMetastore(dir, { adminPassword: 'pw' });
    await metastore.close();
    expect(existsSync(dbFile())).toBe(true);
    raw((db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({
        v: METASTORE_SCHEMA_VERSION,
      });
      for (const t of ['grants', 'row_filters', 'column_masks', 'audit_log', 'lineage']) {
        expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
      }
    });
  });

  it('stores only verifiers and token hashes, never secrets', async () => {
    const { metastore } = await openMetastore(dir, { adminPassword: 'admin-plaintext' });
    await metastore.createUser({ name: 'u', password: 'user-plaintext' });
    const { token } = await metastore.createToken('u');
    await metastore.close();
    raw((db) => {
      const creds = db.prepare('SELECT password_verifier, scram_verifier FROM user_credentials').all() as {
        password_verifier: string;
        scram_verifier: string;
      }[];
      expect(creds).toHaveLength(2);
      for (const c of creds) {
        expect(c.password_verifier).toMatch(/^scrypt\$16384:8:1\$/);
        expect(c.scram_verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
      }
      const dump =
        JSON.stringify(db.prepare('SELECT * FROM user_credentials').all()) +
        JSON.stringify(db.prepare('SELECT * FROM access_tokens').all());
      expect(dump).not.toContain('plaintext');
      expect(dump).not.toContain(token);
      const hash = createHash('sha256').update(token).digest('hex');
      expect(db.prepare('SELECT COUNT(*) AS n FROM access_tokens WHERE token_hash = ?').get(hash)).toEqual({
        n: 1,
      });
    });
  });

  it('reads the admin password from LOCH_ADMIN_PASSWORD', async () => {
    const before = process.env['LOCH_ADMIN_PASSWORD'];
    process.env['LOCH_ADMIN_PASSWORD'] = 'from-env';
    try {
      const { metastore, bootstrap } = await openMetastore(dir);
      expect(bootstrap).toEqual({ fresh: true, adminUser: 'admin' });
      expect((await metastore.authenticate('admin', 'from-env')).ok).toBe(true);
      await metastore.close();
    } finally {
      if (before === undefined) delete process.env['LOCH_ADMIN_PASSWORD'];
      else process.env['LOCH_ADMIN_PASSWORD'] = before;
    }
  });

  it('opens sqlite: URLs, with or without a warehouse root', async () => {
    const inWarehouse = await openMetastore(`sqlite:${dbFile()}`, { adminPassword: 'pw' });
    expect(inWarehouse.metastore.warehouseRoot).toBe(dir);
    await inWarehouse.metastore.close();
    const loose = await openMetastore(`sqlite:${nodePath.join(dir, 'elsewhere.db')}`, {
      adminPassword: 'pw',
    });
    expect(loose.metastore.warehouseRoot).toBeUndefined();
    await loose.metastore.createSchema({ name: 'main.s', owner: 'admin' });
    await expect(loose.metastore.createTable({ name: 'main.s.t', owner: 'admin' })).rejects.toMatchObject({
      code: 'NO_WAREHOUSE_ROOT',
    });
    expect(
      (await loose.metastore.createTable({ name: 'main.s.t', owner: 'admin', location: '/x' })).object
        .location,
    ).toBe('/x');
    await loose.metastore.close();
    const memory = await openMetastore('sqlite::memory:', { adminPassword: 'pw' });
    expect((await memory.metastore.listCatalogs()).map((c) => c.name)).toEqual(['main']);
    await memory.metastore.close();
  });

  it('carries governance rows along on rename and removes them on drop', async () => {
    const { metastore } = await openMetastore(dir, { adminPassword: 'pw' });
    await metastore.createSchema({ name: 'main.s', owner: 'admin' });
    await metastore.createTable({ name: 'main.s.t', owner: 'admin' });
    const db = new Database(dbFile());
    db.prepare("INSERT INTO grants VALUES ('table', 'main.s.t', 'admin', 'SELECT', 'admin', 0)").run();
    db.prepare("INSERT INTO row_filters VALUES ('main.s.t', 'main.s.f', '[]', 0)").run();
    await metastore.renameTable('main.s.t', 'main.s.u');
    const names = () =>
      [
        ...(db.prepare('SELECT securable_name AS n FROM grants').all() as { n: string }[]),
        ...(db.prepare('SELECT table_name AS n FROM row_filters').all() as { n: string }[]),
      ].map((r) => r.n);
    expect(names()).toEqual(['main.s.u', 'main.s.u']);
    await metastore.dropTable('main.s.u');
    expect(names()).toEqual([]);
    db.close();
    await metastore.close();
  });

  it('refuses a metastore written by a newer Loch', async () => {
    await (await openMetastore(dir, { adminPassword: 'pw' })).metastore.close();
    const db = new Database(dbFile());
    db.prepare(
      "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)",
    ).run();
    db.close();
    await expect(openMetastore(dir)).rejects.toMatchObject({
      code: 'METASTORE_TOO_NEW',
      message: expect.stringContaining('version 99'),
    });
  });

  it('lets two processes bootstrap and write one fresh warehouse at once', async () => {
    await run(nodePath.join(repoRoot, 'node_modules/.bin/tsc'), ['-b', 'packages/catalog'], {
      cwd: repoRoot,
    });
    const perChild = 15;
    const child = (prefix: string) =>
      run(
        process.execPath,
        [nodePath.join(here, 'concurrent-writer.mjs'), dir, prefix, String(perChild), String(2 * perChild)],
        {
          cwd: repoRoot,
          env: { ...process.env, LOCH_ADMIN_PASSWORD: 'shared-secret' },
        },
      );
    const outputs = await Promise.all([child('a'), child('b')]);
    const reports = outputs.map((o) => JSON.parse(o.stdout.trim()) as { fresh: boolean; seen: number });
    expect(reports.filter((r) => r.fresh)).toHaveLength(1);
    expect(reports.map((r) => r.seen)).toEqual([2 * perChild, 2 * perChild]);
    const { metastore, bootstrap } = await openMetastore(dir);
    expect(bootstrap.fresh).toBe(false);
    const names = (await metastore.listTables('main.shared')).map((t) => t.name);
    expect(names).toHaveLength(2 * perChild);
    expect(names.filter((n) => n.startsWith('a_'))).toHaveLength(perChild);
    expect((await metastore.authenticate('admin', 'shared-secret')).ok).toBe(true);
    await metastore.close();
  }, 120_000);
});
