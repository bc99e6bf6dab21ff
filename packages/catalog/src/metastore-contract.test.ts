// The one contract every metastore backend must meet, run against SQLite and the real PostgreSQL.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Metastore } from './index.js';
import {
  ADMIN_PASSWORD,
  type Backend,
  freshHarness,
  type Harness,
  requirePg,
  SKIP_PG,
} from './test-support.test-util.js';

const backends: readonly Backend[] = ['sqlite', 'postgres'];

for (const backend of backends) {
  describe.skipIf(backend === 'postgres' && SKIP_PG)(`metastore contract: ${backend}`, () => {
    let h: Harness;
    let m: Metastore;
    if (backend === 'postgres') beforeAll(requirePg);
    beforeEach(async () => {
      h = await freshHarness(backend);
      m = h.opened.metastore;
      expect(m.backend).toBe(backend);
    });
    afterEach(async () => {
      await h?.dispose();
    });

    const table = (name: string, extra: Record<string, unknown> = {}) =>
      m.createTable({ name, owner: 'admin', ...extra });
    const schema = (name: string) => m.createSchema({ name, owner: 'admin' });

    describe('bootstrap', () => {
      it('creates admin, main and main.default once', async () => {
        expect(h.opened.bootstrap).toEqual({ fresh: true, adminUser: 'admin' });
        expect((await m.getCatalog('main')).owner).toBe('admin');
        expect((await m.getSchema('main.default')).fullName).toBe('main.default');
        expect(await m.authenticate('admin', ADMIN_PASSWORD)).toMatchObject({
          ok: true,
          principal: { name: 'admin' },
        });
        const again = await h.reopen({ adminPassword: 'ignored-now' });
        expect(again.bootstrap).toEqual({ fresh: false });
        expect(await again.metastore.authenticate('admin', 'ignored-now')).toEqual({
          ok: false,
          reason: 'wrong_password',
        });
      });

      it('generates and returns an admin password when none is given', async () => {
        const g = await freshHarness(backend, '');
        try {
          const b = g.opened.bootstrap;
          expect(b.fresh).toBe(true);
          const password = b.fresh ? b.generatedPassword : undefined;
          expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
          expect((await g.opened.metastore.authenticate('admin', password!)).ok).toBe(true);
        } finally {
          await g.dispose();
        }
      });
    });

    describe('catalogs and schemas', () => {
      it('are case-insensitive, keep the display spelling, and honour IF NOT EXISTS', async () => {
        const c = await m.createCatalog({ name: 'Sales', owner: 'ADMIN', comment: 'money' });
        expect(c.status).toBe('created');
        expect(c.object).toMatchObject({
          name: 'sales',
          displayName: 'Sales',
          owner: 'admin',
          comment: 'money',
        });
        expect((await m.getCatalog('SALES')).displayName).toBe('Sales');
        // A new catalog comes with its `default` schema, owned by the catalog's owner.
        expect((await m.listSchemas('sales')).map((x) => [x.fullName, x.owner])).toEqual([
          ['sales.default', 'admin'],
        ]);
        expect((await m.createCatalog({ name: 'sALES', owner: 'admin' }, 'ifNotExists')).status).toBe(
          'existed',
        );
        await expect(m.createCatalog({ name: 'sales', owner: 'admin' })).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
          sqlstate: '42P04',
          message: 'catalog sales already exists; use IF NOT EXISTS or another name',
        });
        const s = await m.createSchema({ name: 'Sales.EU', owner: 'admin' });
        expect(s.object).toMatchObject({
          catalog: 'sales',
          name: 'eu',
          displayName: 'EU',
          fullName: 'sales.eu',
        });
        await expect(schema('sales.eu')).rejects.toMatchObject({ code: 'ALREADY_EXISTS', sqlstate: '42P06' });
      });

      it('lists with LIKE patterns', async () => {
        for (const n of ['sales', 'salt', 'hr']) await m.createCatalog({ name: n, owner: 'admin' });
        expect((await m.listCatalogs()).map((c) => c.name)).toEqual(['hr', 'main', 'sales', 'salt']);
        expect((await m.listCatalogs({ like: 'sal*' })).map((c) => c.name)).toEqual(['sales', 'salt']);
        expect((await m.listCatalogs({ like: 'HR|main' })).map((c) => c.name)).toEqual(['hr', 'main']);
        expect((await m.listCatalogs({ like: 'sal_' })).map((c) => c.name)).toEqual(['salt']);
        for (const n of ['b', 'a']) await schema(`main.${n}`);
        expect((await m.listSchemas('MAIN')).map((s) => s.name)).toEqual(['a', 'b', 'default']);
      });

      it('names the missing container and suggests a near miss', async () => {
        await m.createCatalog({ name: 'sales', owner: 'admin' });
        await expect(schema('sale.eu')).rejects.toMatchObject({
          code: 'CATALOG_NOT_FOUND',
          sqlstate: '3D000',
          message: 'catalog sale not found; did you mean sales?',
        });
        await expect(m.getSchema('main.defualt')).rejects.toMatchObject({
          code: 'SCHEMA_NOT_FOUND',
          sqlstate: '3F000',
          message: 'schema main.defualt not found; did you mean main.default?',
        });
        await expect(m.getSchema('main.zzzzzz')).rejects.toMatchObject({
          message: 'schema main.zzzzzz not found; check the name with SHOW SCHEMAS IN main',
        });
      });

      it('refuses to drop non-empty containers without CASCADE and reports what CASCADE removed', async () => {
        await schema('main.sales');
        await table('main.sales.orders');
        await m.createView({ name: 'main.sales.v', owner: 'admin', sql: 'SELECT 1' });
        await m.createVolume({ name: 'main.sales.files', owner: 'admin' });
        await m.createFunction({
          name: 'main.sales.f',
          owner: 'admin',
          params: [],
          returnType: 'INT',
          body: '1',
        });
        await expect(m.dropSchema('main.sales')).rejects.toMatchObject({
          code: 'SCHEMA_NOT_EMPTY',
          sqlstate: '2BP01',
        });
        await expect(m.dropCatalog('main')).rejects.toMatchObject({
          code: 'CATALOG_NOT_EMPTY',
          sqlstate: '2BP01',
        });
        const dropped = await m.dropSchema('main.sales', { cascade: true });
        expect(dropped?.tables.map((t) => t.fullName)).toEqual(['main.sales.orders']);
        expect(dropped?.views.map((t) => t.fullName)).toEqual(['main.sales.v']);
        expect(dropped?.volumes.map((t) => t.name)).toEqual(['files']);
        expect(dropped?.functions.map((t) => t.name)).toEqual(['f']);
        expect(await m.lookup('main.sales.orders')).toBeUndefined();
        expect(await m.dropSchema('main.sales', { ifExists: true })).toBeUndefined();
        // An empty default schema does not block dropping its catalog.
        const c = await m.dropCatalog('main');
        expect(c?.catalogs.map((x) => x.name)).toEqual(['main']);
        expect(c?.schemas.map((x) => x.fullName)).toEqual(['main.default']);
        await expect(m.getCatalog('main')).rejects.toMatchObject({ code: 'CATALOG_NOT_FOUND' });
      });

      it('alters owner, comment and properties; the owner must exist', async () => {
        await m.createUser({ name: 'bob' });
        const s = await m.alterSchema('main.default', { owner: 'Bob', comment: 'c', properties: { a: '1' } });
        expect(s).toMatchObject({ owner: 'bob', comment: 'c', properties: { a: '1' } });
        expect((await m.alterSchema('main.default', { comment: null })).comment).toBeUndefined();
        expect((await m.alterCatalog('main', { comment: 'top' })).comment).toBe('top');
        await expect(m.alterCatalog('main', { owner: 'bobb' })).rejects.toMatchObject({
          code: 'PRINCIPAL_NOT_FOUND',
          message: 'user bobb not found; did you mean bob?',
        });
        await expect(m.createCatalog({ name: 'x', owner: 'nobody' })).rejects.toMatchObject({
          code: 'PRINCIPAL_NOT_FOUND',
        });
        await expect(m.getCatalog('x')).rejects.toMatchObject({ code: 'CATALOG_NOT_FOUND' });
      });
    });

    describe('tables and views', () => {
      beforeEach(async () => {
        await schema('main.sales');
      });

      it('places managed tables under the warehouse root and keeps external locations', async () => {
        const t = (
          await table('main.sales.Orders', {
            comment: 'all orders',
            properties: { 'delta.appendOnly': 'true' },
          })
        ).object;
        expect(t).toMatchObject({
          kind: 'table',
          name: 'orders',
          displayName: 'Orders',
          fullName: 'main.sales.orders',
          tableType: 'managed',
          format: 'delta',
          owner: 'admin',
          comment: 'all orders',
          properties: { 'delta.appendOnly': 'true' },
        });
        expect(t.location).toBe(`${h.root}/main/sales/orders-${t.id.slice(0, 8)}`);
        expect(t.createdAt).toBeInstanceOf(Date);
        const e = (await table('main.sales.ext', { location: 's3://bucket/ext' })).object;
        expect(e).toMatchObject({ tableType: 'external', location: 's3://bucket/ext' });
        await m.createSchema({ name: 'main.rooted', owner: 'admin', storageRoot: '/data/rooted/' });
        const r = (await table('main.rooted.t')).object;
        expect(r.location).toBe(`/data/rooted/t-${r.id.slice(0, 8)}`);
      });

      it('reports a missing table with a did-you-mean from the same schema', async () => {
        await table('main.sales.order');
        const err = await m.getTable('main.sales.orders').catch((e: unknown) => e);
        expect(err).toMatchObject({
          name: 'CatalogError',
          code: 'TABLE_NOT_FOUND',
          sqlstate: '42P01',
          message: 'table main.sales.orders not found; did you mean main.sales.order?',
          details: { suggestion: 'main.sales.order' },
        });
        await expect(m.getTable('main.sale.orders')).rejects.toMatchObject({
          code: 'SCHEMA_NOT_FOUND',
          message: 'schema main.sale not found; did you mean main.sales?',
        });
        await expect(m.getTable('main.sales.customers')).rejects.toMatchObject({
          message: 'table main.sales.customers not found; check the name with SHOW TABLES IN main.sales',
        });
      });

      it('implements error, IF NOT EXISTS and OR REPLACE', async () => {
        const first = (await table('main.sales.t', { comment: 'v1' })).object;
        await expect(table('main.sales.T')).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
          sqlstate: '42P07',
        });
        const again = await m.createTable(
          { name: 'main.sales.t', owner: 'admin', comment: 'ignored' },
          'ifNotExists',
        );
        expect(again).toMatchObject({ status: 'existed', object: { id: first.id, comment: 'v1' } });
        const replaced = await m.createTable(
          { name: 'main.sales.t', owner: 'admin', comment: 'v2' },
          'orReplace',
        );
        expect(replaced.status).toBe('replaced');
        expect(replaced.object).toMatchObject({ id: first.id, location: first.location, comment: 'v2' });
        expect(replaced.previous?.comment).toBe('v1');
        const created = await m.createTable({ name: 'main.sales.u', owner: 'admin' }, 'orReplace');
        expect(created.status).toBe('created');
      });

      it('moves a table between managed and external placement on OR REPLACE', async () => {
        const ext = (await table('main.sales.t', { location: '/ext/t' })).object;
        const managed = (await m.createTable({ name: 'main.sales.t', owner: 'admin' }, 'orReplace')).object;
        expect(managed).toMatchObject({
          id: ext.id,
          tableType: 'managed',
          location: `${h.root}/main/sales/t-${ext.id.slice(0, 8)}`,
        });
        const back = (
          await m.createTable({ name: 'main.sales.t', owner: 'admin', location: '/ext/t2' }, 'orReplace')
        ).object;
        expect(back).toMatchObject({ id: ext.id, tableType: 'external', location: '/ext/t2' });
      });

      it('shares one namespace between tables and views and refuses the wrong kind', async () => {
        await table('main.sales.t');
        await m.createView({ name: 'main.sales.v', owner: 'admin', sql: 'SELECT 1 AS x' });
        await expect(
          m.createView({ name: 'main.sales.t', owner: 'admin', sql: 'SELECT 1' }, 'orReplace'),
        ).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
          message: expect.stringContaining('table (not a view) main.sales.t already exists'),
        });
        await expect(table('main.sales.v')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
        await expect(m.getTable('main.sales.v')).rejects.toMatchObject({
          code: 'WRONG_OBJECT_TYPE',
          sqlstate: '42809',
        });
        await expect(m.dropTable('main.sales.v', { ifExists: true })).rejects.toMatchObject({
          code: 'WRONG_OBJECT_TYPE',
        });
        expect((await m.listTables('main.sales')).map((r) => `${r.kind}:${r.name}`)).toEqual([
          'table:t',
          'view:v',
        ]);
        expect((await m.listTables('main.sales', { kind: 'view' })).map((r) => r.name)).toEqual(['v']);
        expect((await m.listTables('main.sales', { like: 't*' })).map((r) => r.name)).toEqual(['t']);
      });

      it('replaces and alters views', async () => {
        const v = (await m.createView({ name: 'main.sales.v', owner: 'admin', sql: 'SELECT 1' })).object;
        const r = await m.createView(
          { name: 'main.sales.v', owner: 'admin', sql: 'SELECT 2', comment: 'two' },
          'orReplace',
        );
        expect(r.object).toMatchObject({ id: v.id, sql: 'SELECT 2', comment: 'two' });
        expect((await m.alterView('main.sales.v', { sql: 'SELECT 3' })).sql).toBe('SELECT 3');
        expect((await m.getView('MAIN.SALES.V')).sql).toBe('SELECT 3');
        expect((await m.renameView('main.sales.v', 'main.sales.w')).name).toBe('w');
        expect((await m.dropView('main.sales.w'))?.sql).toBe('SELECT 3');
      });

      it('renames within a catalog without moving data', async () => {
        const t = (await table('main.sales.t')).object;
        await schema('main.archive');
        const moved = await m.renameTable('main.sales.t', 'main.archive.Old_T');
        expect(moved).toMatchObject({
          fullName: 'main.archive.old_t',
          displayName: 'Old_T',
          id: t.id,
          location: t.location,
        });
        expect(await m.lookup('main.sales.t')).toBeUndefined();
        await table('main.sales.t2');
        await expect(m.renameTable('main.sales.t2', 'main.archive.old_t')).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
        await expect(m.renameTable('main.sales.t2', 'other.sales.t2')).rejects.toMatchObject({
          code: 'UNSUPPORTED_OPERATION',
          sqlstate: '0A000',
        });
        await expect(m.renameTable('main.sales.nope', 'main.sales.x')).rejects.toMatchObject({
          code: 'TABLE_NOT_FOUND',
        });
      });

      it('drops tables, returning what was dropped', async () => {
        const t = (await table('main.sales.t')).object;
        expect((await m.dropTable('main.sales.t'))?.location).toBe(t.location);
        expect(await m.dropTable('main.sales.t', { ifExists: true })).toBeUndefined();
        await expect(m.dropTable('main.sales.t')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
        // A recreated name gets a new id and a fresh managed location.
        const again = (await table('main.sales.t')).object;
        expect(again.id).not.toBe(t.id);
        expect(again.location).not.toBe(t.location);
      });

      it('alters table comment, owner and properties snapshot', async () => {
        await table('main.sales.t', { comment: 'c' });
        await m.createUser({ name: 'carol' });
        const a = await m.alterTable('main.sales.t', { owner: 'carol', properties: { k: 'v' } });
        expect(a).toMatchObject({ owner: 'carol', comment: 'c', properties: { k: 'v' } });
        expect(a.updatedAt.getTime()).toBeGreaterThanOrEqual(a.createdAt.getTime());
        expect((await m.alterTable('main.sales.t', { comment: null })).comment).toBeUndefined();
      });

      it('rejects names Unity Catalog would reject', async () => {
        await expect(table('main.sales.my table')).rejects.toMatchObject({
          code: 'INVALID_NAME',
          sqlstate: '42602',
        });
        await expect(m.getTable('sales.orders')).rejects.toMatchObject({ code: 'INVALID_NAME' });
        await expect(m.getTable({ catalog: 'main', schema: 'sales', name: 'a/b' })).rejects.toMatchObject({
          code: 'INVALID_NAME',
        });
      });

      it('keeps every write consistent under concurrent creates', async () => {
        const names = Array.from({ length: 12 }, (_, i) => `main.sales.t${i % 4}`);
        const results = await Promise.all(
          names.map((name) => m.createTable({ name, owner: 'admin' }, 'ifNotExists')),
        );
        expect(results.filter((r) => r.status === 'created')).toHaveLength(4);
        expect((await m.listTables('main.sales')).map((t) => t.name)).toEqual(['t0', 't1', 't2', 't3']);
      });
    });

    describe('functions, volumes and lookup', () => {
      beforeEach(async () => {
        await schema('main.sales');
      });

      it('stores SQL functions', async () => {
        const params = [
          { name: 'amount', type: 'DECIMAL(18,2)' },
          { name: 'rate', type: 'DOUBLE', default: '0.2', comment: 'tax' },
        ];
        const f = await m.createFunction({
          name: 'main.sales.Net',
          owner: 'admin',
          params,
          returnType: 'DOUBLE',
          body: 'amount * (1 - rate)',
        });
        expect(f.object).toMatchObject({
          kind: 'function',
          name: 'net',
          params,
          returnType: 'DOUBLE',
          language: 'SQL',
          deterministic: true,
        });
        await expect(
          m.createFunction({
            name: 'main.sales.net',
            owner: 'admin',
            params: [],
            returnType: 'INT',
            body: '1',
          }),
        ).rejects.toMatchObject({ code: 'ALREADY_EXISTS', sqlstate: '42723' });
        const r = await m.createFunction(
          {
            name: 'main.sales.net',
            owner: 'admin',
            params: [],
            returnType: 'INT',
            body: '1',
            deterministic: false,
          },
          'orReplace',
        );
        expect(r).toMatchObject({
          status: 'replaced',
          object: { id: f.object.id, body: '1', deterministic: false },
        });
        expect((await m.listFunctions('main.sales', { like: 'n*' })).map((x) => x.name)).toEqual(['net']);
        await expect(m.getFunction('main.sales.nett')).rejects.toMatchObject({
          code: 'FUNCTION_NOT_FOUND',
          sqlstate: '42883',
          message: 'function main.sales.nett not found; did you mean main.sales.net?',
        });
        expect((await m.dropFunction('main.sales.net'))?.name).toBe('net');
        expect(await m.dropFunction('main.sales.net', { ifExists: true })).toBeUndefined();
      });

      it('stores managed and external volumes', async () => {
        const v = (await m.createVolume({ name: 'main.sales.raw', owner: 'admin', comment: 'landing' }))
          .object;
        expect(v).toMatchObject({ kind: 'volume', volumeType: 'managed', comment: 'landing' });
        expect(v.location).toBe(`${h.root}/main/sales/raw-${v.id.slice(0, 8)}`);
        const e = (await m.createVolume({ name: 'main.sales.ext', owner: 'admin', location: '/mnt/ext' }))
          .object;
        expect(e).toMatchObject({ volumeType: 'external', location: '/mnt/ext' });
        expect((await m.createVolume({ name: 'main.sales.raw', owner: 'admin' }, 'ifNotExists')).status).toBe(
          'existed',
        );
        await expect(m.createVolume({ name: 'main.sales.raw', owner: 'admin' })).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
        expect((await m.alterVolume('main.sales.raw', { comment: 'x' })).comment).toBe('x');
        expect((await m.listVolumes('main.sales')).map((x) => x.name)).toEqual(['ext', 'raw']);
        expect((await m.getVolume('main.sales.raw')).id).toBe(v.id);
        expect((await m.dropVolume('main.sales.raw'))?.id).toBe(v.id);
        await expect(m.getVolume('main.sales.raw')).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
      });

      it('looks up three-part names as a discriminated union', async () => {
        await table('main.sales.t');
        await m.createView({ name: 'main.sales.v', owner: 'admin', sql: 'SELECT 1' });
        await m.createVolume({ name: 'main.sales.vol', owner: 'admin' });
        await m.createFunction({
          name: 'main.sales.t',
          owner: 'admin',
          params: [],
          returnType: 'INT',
          body: '1',
        });
        expect((await m.lookup('main.sales.T'))?.kind).toBe('table');
        expect((await m.lookup('main.sales.t', ['function']))?.kind).toBe('function');
        expect((await m.lookup('main.sales.v'))?.kind).toBe('view');
        expect((await m.lookup('main.sales.vol'))?.kind).toBe('volume');
        expect(await m.lookup('main.sales.v', ['table'])).toBeUndefined();
        expect(await m.lookup('nope.sales.t')).toBeUndefined();
        expect(await m.lookup('main.nope.t')).toBeUndefined();
      });
    });

    describe('identities', () => {
      it('authenticates passwords and returns typed failures', async () => {
        const u = await m.createUser({ name: 'Alice', password: 'correct horse' });
        expect(u.object).toMatchObject({
          kind: 'user',
          name: 'alice',
          displayName: 'Alice',
          hasPassword: true,
          disabled: false,
        });
        expect(await m.authenticate('ALICE', 'correct horse')).toMatchObject({
          ok: true,
          principal: { name: 'alice' },
        });
        expect(await m.authenticate('alice', 'wrong')).toEqual({ ok: false, reason: 'wrong_password' });
        expect(await m.authenticate('mallory', 'x')).toEqual({ ok: false, reason: 'unknown_principal' });
        await m.createUser({ name: 'nopass' });
        expect(await m.authenticate('nopass', '')).toEqual({ ok: false, reason: 'no_password' });
        await m.setPassword('nopass', 'now-set');
        expect((await m.authenticate('nopass', 'now-set')).ok).toBe(true);
        await m.setUserDisabled('alice', true);
        expect(await m.authenticate('alice', 'correct horse')).toEqual({ ok: false, reason: 'disabled' });
        expect(await m.authenticate('alice', 'wrong')).toEqual({ ok: false, reason: 'wrong_password' });
        expect((await m.createUser({ name: 'alice', ifNotExists: true })).status).toBe('existed');
        await expect(m.createUser({ name: 'alice' })).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
          sqlstate: '42710',
        });
        expect((await m.listUsers()).map((x) => x.name)).toEqual(['admin', 'alice', 'nopass']);
      });

      it('keeps users and groups in one namespace with nested membership', async () => {
        await m.createUser({ name: 'alice' });
        await expect(m.createGroup('alice')).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
          message: expect.stringContaining('user (not a group)'),
        });
        for (const g of ['analysts', 'staff', 'everyone']) await m.createGroup(g);
        await m.addGroupMember('analysts', 'alice');
        await m.addGroupMember('staff', 'analysts');
        await m.addGroupMember('everyone', 'staff');
        await m.addGroupMember('everyone', 'alice');
        await m.addGroupMember('analysts', 'alice'); // idempotent
        expect(await m.groupsOf('alice')).toEqual(['analysts', 'everyone', 'staff']);
        expect((await m.groupMembers('everyone')).map((p) => `${p.kind}:${p.name}`)).toEqual([
          'user:alice',
          'group:staff',
        ]);
        await expect(m.addGroupMember('analysts', 'everyone')).rejects.toMatchObject({ code: 'GROUP_CYCLE' });
        await expect(m.addGroupMember('staff', 'staff')).rejects.toMatchObject({ code: 'GROUP_CYCLE' });
        await expect(m.addGroupMember('alice', 'staff')).rejects.toMatchObject({ code: 'WRONG_OBJECT_TYPE' });
        expect(await m.removeGroupMember('analysts', 'alice')).toBe(true);
        expect(await m.removeGroupMember('analysts', 'alice')).toBe(false);
        expect(await m.groupsOf('alice')).toEqual(['everyone']);
        expect((await m.listGroups({ like: '*s' })).map((g) => g.name)).toEqual(['analysts']);
        expect((await m.getPrincipal('STAFF'))?.kind).toBe('group');
      });

      it('issues, authenticates and revokes access tokens', async () => {
        await m.createUser({ name: 'bob' });
        const t = await m.createToken('bob', { comment: 'ci' });
        expect(t.token).toMatch(/^loch_[A-Za-z0-9_-]{43}$/);
        expect(await m.authenticateToken(t.token)).toMatchObject({
          ok: true,
          principal: { name: 'bob' },
          tokenId: t.info.id,
        });
        const listed = await m.listTokens('bob');
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ id: t.info.id, comment: 'ci', principal: 'bob' });
        expect(listed[0]!.lastUsedAt).toBeInstanceOf(Date);
        expect(JSON.stringify(listed)).not.toContain(t.token.slice(5));
        expect(
          await m.authenticateToken(`${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}`),
        ).toEqual({
          ok: false,
          reason: 'invalid_token',
        });
        expect(await m.authenticateToken('garbage')).toEqual({ ok: false, reason: 'invalid_token' });
        expect(await m.revokeToken(t.info.id)).toBe(true);
        expect(await m.revokeToken(t.info.id)).toBe(false);
        expect(await m.authenticateToken(t.token)).toEqual({ ok: false, reason: 'revoked_token' });
        const expired = await m.createToken('bob', { expiresAt: new Date(Date.now() - 1000) });
        expect(await m.authenticateToken(expired.token)).toEqual({ ok: false, reason: 'expired_token' });
        const future = await m.createToken('bob', { expiresAt: new Date(Date.now() + 3_600_000) });
        expect((await m.authenticateToken(future.token)).ok).toBe(true);
        await m.setUserDisabled('bob', true);
        expect(await m.authenticateToken(future.token)).toEqual({ ok: false, reason: 'disabled' });
        await m.createGroup('g');
        await expect(m.createToken('g')).rejects.toMatchObject({ code: 'WRONG_OBJECT_TYPE' });
      });

      it('refuses to drop a principal that still owns objects', async () => {
        await m.createUser({ name: 'dave', password: 'pw' });
        await m.createGroup('team');
        await m.addGroupMember('team', 'dave');
        await m.createSchema({ name: 'main.d', owner: 'dave' });
        await expect(m.dropPrincipal('dave')).rejects.toMatchObject({
          code: 'PRINCIPAL_IN_USE',
          sqlstate: '2BP01',
        });
        await m.alterSchema('main.d', { owner: 'admin' });
        expect((await m.dropPrincipal('Dave'))?.name).toBe('dave');
        expect(await m.getPrincipal('dave')).toBeUndefined();
        expect(await m.groupMembers('team')).toEqual([]);
        expect(await m.dropPrincipal('dave', { ifExists: true })).toBeUndefined();
        await expect(m.dropPrincipal('dave')).rejects.toMatchObject({ code: 'PRINCIPAL_NOT_FOUND' });
      });

      it('stores a PostgreSQL-format SCRAM-SHA-256 verifier, never the password', async () => {
        await m.createUser({ name: 'erin', password: 'pencil' });
        const v = await m.scramVerifier('ERIN');
        expect(v).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
        expect(v).not.toContain('pencil');
        expect(await m.scramVerifier('nobody')).toBeUndefined();
      });
    });
  });
}
