// PostgreSQL-specific guarantees, against the real server: isolation by schema, SCRAM verifiers
// identical to PostgreSQL's own, races between separate pools, and a clear error when unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.js';
import { openMetastore, parseScramVerifier, scramVerifierFor } from './index.js';
import { migrate } from './sql/migrations.js';
import { PostgresDriver } from './sql/postgres-driver.js';
import {
  dropPgSchema,
  PG_URL,
  pgQuery,
  randomPgSchema,
  requirePg,
  SKIP_PG,
} from './test-support.test-util.js';

describe.skipIf(SKIP_PG)('PostgreSQL metastore', () => {
  const schema = randomPgSchema();
  beforeAll(requirePg);
  afterAll(async () => {
    await dropPgSchema(schema);
  });

  it('keeps all of its tables in its own schema, chosen by search_path', async () => {
    const { metastore } = await openMetastore(`${PG_URL}?schema=${schema}`, {
      adminPassword: 'pw',
      warehouse: 's3://bucket/wh',
    });
    expect(metastore.backend).toBe('postgres');
    await metastore.createSchema({ name: 'main.s', owner: 'admin' });
    const t = (await metastore.createTable({ name: 'main.s.t', owner: 'admin' })).object;
    expect(t.location).toMatch(/^s3:\/\/bucket\/wh\/main\/s\/t-[0-9a-f]{8}$/);
    await metastore.close();
    const tables = await pgQuery<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(tables.map((r) => r.table_name)).toEqual([
      'access_tokens',
      'audit_log',
      'catalogs',
      'column_masks',
      'functions',
      'grants',
      'group_members',
      'lineage',
      'metastore_settings',
      'principals',
      'relations',
      'row_filters',
      'schema_version',
      'schemas',
      'user_credentials',
      'volumes',
    ]);
    const rows = await pgQuery<{ name: string; location: string }>(
      `SELECT name, location FROM "${schema}".relations`,
    );
    expect(rows).toEqual([{ name: 't', location: t.location }]);
    // The warehouse root was stored at bootstrap, so a later open without it still places tables.
    const again = await openMetastore(PG_URL, { pgSchema: schema });
    expect(again.metastore.warehouseRoot).toBe('s3://bucket/wh');
    await again.metastore.close();
  });

  it('settles create races between separate connection pools', async () => {
    const a = (await openMetastore(PG_URL, { pgSchema: schema })).metastore;
    const b = (await openMetastore(PG_URL, { pgSchema: schema })).metastore;
    try {
      await a.createSchema({ name: 'main.race', owner: 'admin' });
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? a : b).createTable({ name: 'main.race.t', owner: 'admin' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' });
      }
      const idem = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? a : b).createView(
            { name: 'main.race.v', owner: 'admin', sql: 'SELECT 1' },
            'ifNotExists',
          ),
        ),
      );
      expect(idem.filter((r) => r.status === 'created')).toHaveLength(1);
      expect(new Set(idem.map((r) => r.object.id)).size).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('bootstraps a fresh schema exactly once when several processes open it together', async () => {
    const fresh = randomPgSchema();
    try {
      const opened = await Promise.all(
        Array.from({ length: 4 }, () =>
          openMetastore(PG_URL, { pgSchema: fresh, adminPassword: 'together' }),
        ),
      );
      expect(opened.filter((o) => o.bootstrap.fresh)).toHaveLength(1);
      const m = opened[0]!.metastore;
      expect((await m.authenticate('admin', 'together')).ok).toBe(true);
      const schemas = await Promise.all(
        opened.map((o) => o.metastore.createSchema({ name: 'main.same', owner: 'admin' }, 'ifNotExists')),
      );
      expect(schemas.filter((r) => r.status === 'created')).toHaveLength(1);
      const plain = await Promise.allSettled(
        opened.map((o) => o.metastore.createCatalog({ name: 'c', owner: 'admin' })),
      );
      expect(plain.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of plain)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' });
      for (const o of opened) await o.metastore.close();
    } finally {
      await dropPgSchema(fresh);
    }
  });

  it('serialises racing bootstrap transactions on a migrated schema', async () => {
    const fresh = randomPgSchema();
    const drivers = await Promise.all(Array.from({ length: 4 }, () => PostgresDriver.connect(PG_URL, fresh)));
    try {
      for (const d of drivers) await migrate(d);
      const results = await Promise.all(
        drivers.map((driver) =>
          bootstrap({ driver, warehouseRoot: undefined, now: Date.now }, { adminPassword: 'race' }),
        ),
      );
      expect(results.filter((r) => r.fresh)).toHaveLength(1);
    } finally {
      for (const d of drivers) await d.close();
      await dropPgSchema(fresh);
    }
  });

  it('produces SCRAM-SHA-256 verifiers identical to the server for the same salt', async () => {
    const role = `loch_scram_${schema.slice(-8)}`;
    for (const password of ['pencil', 'pässwörd\u00a0mit\u00adspace', 'ＡＢＣ']) {
      await pgQuery(`DROP ROLE IF EXISTS ${role}`);
      await pgQuery(
        `SET password_encryption = 'scram-sha-256'; CREATE ROLE ${role} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`,
      );
      const [row] = await pgQuery<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [role],
      );
      const theirs = parseScramVerifier(row!.rolpassword)!;
      expect(theirs.iterations).toBe(4096);
      expect(scramVerifierFor(password, theirs.salt)).toBe(row!.rolpassword);
    }
    await pgQuery(`DROP ROLE IF EXISTS ${role}`);
  });

  it('fails with METASTORE_UNAVAILABLE naming the server when it cannot connect', async () => {
    await expect(
      openMetastore('postgres://postgres@127.0.0.1:1/test', { pgSchema: schema }),
    ).rejects.toMatchObject({
      code: 'METASTORE_UNAVAILABLE',
      sqlstate: '08006',
      message: expect.stringContaining(
        'cannot reach the PostgreSQL metastore at postgres://127.0.0.1:1/test',
      ),
    });
  });
});
