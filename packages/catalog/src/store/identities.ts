// Users, groups, memberships and passwords. Slow hashing happens before a write
// transaction opens, so the SQLite write lock is never held across a scrypt.
import { dummyVerifier, hashPassword, verifyPassword } from '../auth/password-hash.js';
import { scramVerifierFor } from '../auth/scram.js';
import { alreadyExists, CatalogError } from '../errors.js';
import type { AuthResult, CreateUserSpec, GroupInfo, Principal, UserInfo } from '../identity-types.js';
import { canonical, likeMatcher } from '../names.js';
import type { SqlTx } from '../sql/driver.js';
import type { CreateResult, DropOptions, ListOptions } from '../types.js';
import { requirePrincipal, type StoreContext, settleRace } from './context.js';
import { PRINCIPAL_SELECT, type PrincipalRow, toPrincipal } from './rows.js';

export async function findPrincipal(tx: SqlTx, name: string): Promise<UserInfo | GroupInfo | undefined> {
  const row = await tx.get<PrincipalRow & Record<string, unknown>>(`${PRINCIPAL_SELECT} WHERE p.name = ?`, [
    name,
  ]);
  return row === undefined ? undefined : toPrincipal(row);
}

export interface Credentials {
  readonly verifier: string;
  readonly scram: string;
}

export async function credentialsFor(password: string): Promise<Credentials> {
  if (password.length === 0) throw new CatalogError('INVALID_ARGUMENT', 'password must not be empty', {});
  return { verifier: await hashPassword(password), scram: scramVerifierFor(password) };
}

export async function storeCredentials(
  tx: SqlTx,
  ctx: StoreContext,
  user: string,
  c: Credentials,
): Promise<void> {
  await tx.run('DELETE FROM user_credentials WHERE principal = ?', [user]);
  await tx.run(
    'INSERT INTO user_credentials (principal, password_verifier, scram_verifier, updated_at) VALUES (?, ?, ?, ?)',
    [user, c.verifier, c.scram, ctx.now()],
  );
}

export async function insertPrincipal(
  tx: SqlTx,
  ctx: StoreContext,
  kind: 'user' | 'group',
  display: string,
): Promise<void> {
  await tx.run(
    'INSERT INTO principals (name, display_name, kind, disabled, created_at) VALUES (?, ?, ?, 0, ?)',
    [canonical(display, `${kind} name`), display, kind, ctx.now()],
  );
}

async function createPrincipal<T extends UserInfo | GroupInfo>(
  ctx: StoreContext,
  kind: T['kind'],
  display: string,
  ifNotExists: boolean,
  credentials?: Credentials,
): Promise<CreateResult<T>> {
  const name = canonical(display, `${kind} name`);
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<T>> => {
      const existing = await findPrincipal(tx, name);
      if (existing !== undefined) {
        if (existing.kind === kind && ifNotExists) return { status: 'existed', object: existing as T };
        throw alreadyExists(kind, name, existing.kind);
      }
      await insertPrincipal(tx, ctx, kind, display);
      if (credentials !== undefined) await storeCredentials(tx, ctx, name, credentials);
      return { status: 'created', object: (await findPrincipal(tx, name)) as T };
    });
  return settleRace(ctx, attempt, ifNotExists, () => alreadyExists(kind, name));
}

export async function createUser(ctx: StoreContext, spec: CreateUserSpec): Promise<CreateResult<UserInfo>> {
  canonical(spec.name, 'user name');
  const credentials = spec.password === undefined ? undefined : await credentialsFor(spec.password);
  return createPrincipal<UserInfo>(ctx, 'user', spec.name, spec.ifNotExists === true, credentials);
}

export const createGroup = (ctx: StoreContext, name: string, mode: 'error' | 'ifNotExists' = 'error') =>
  createPrincipal<GroupInfo>(ctx, 'group', name, mode === 'ifNotExists');

export async function listPrincipals<K extends 'user' | 'group'>(
  ctx: StoreContext,
  kind: K,
  options: ListOptions = {},
) {
  const match = likeMatcher(options.like);
  const rows = await ctx.driver.read((tx) =>
    tx.all<PrincipalRow & Record<string, unknown>>(`${PRINCIPAL_SELECT} WHERE p.kind = ? ORDER BY p.name`, [
      kind,
    ]),
  );
  return rows.filter((r) => match(r.name)).map(toPrincipal) as (K extends 'user' ? UserInfo : GroupInfo)[];
}

export async function setPassword(ctx: StoreContext, user: string, password: string): Promise<void> {
  const name = canonical(user, 'user name');
  const credentials = await credentialsFor(password);
  await ctx.driver.write(async (tx) => {
    await requirePrincipal(tx, name, 'user');
    await storeCredentials(tx, ctx, name, credentials);
  });
}

export async function setUserDisabled(ctx: StoreContext, user: string, disabled: boolean): Promise<void> {
  const name = canonical(user, 'user name');
  await ctx.driver.write(async (tx) => {
    await requirePrincipal(tx, name, 'user');
    await tx.run('UPDATE principals SET disabled = ? WHERE name = ?', [disabled ? 1 : 0, name]);
  });
}

const OWNED_BY = ['catalogs', 'schemas', 'relations', 'functions', 'volumes'];

export async function dropPrincipal(
  ctx: StoreContext,
  ref: string,
  options: DropOptions = {},
): Promise<Principal | undefined> {
  const name = canonical(ref, 'principal name');
  return ctx.driver.write(async (tx) => {
    const existing = await findPrincipal(tx, name);
    if (existing === undefined) {
      if (options.ifExists === true) return undefined;
      await requirePrincipal(tx, name);
    }
    const owned: string[] = [];
    for (const table of OWNED_BY) {
      const rows = await tx.all<{ name: string }>(`SELECT name FROM ${table} WHERE owner = ?`, [name]);
      owned.push(
        ...rows.map((r) => `${table === 'relations' ? 'table/view' : table.slice(0, -1)} ${r.name}`),
      );
    }
    if (owned.length > 0) {
      throw new CatalogError(
        'PRINCIPAL_IN_USE',
        `${existing!.kind} ${name} still owns ${owned.length} object(s) (${owned.slice(0, 3).join(', ')}); transfer ownership with ALTER ... OWNER TO first`,
        { name, owned: owned.length },
      );
    }
    await tx.run('DELETE FROM grants WHERE principal = ?', [name]);
    await tx.run('DELETE FROM principals WHERE name = ?', [name]);
    return existing;
  });
}

/** Every group that contains `name`, directly or through nested groups. */
export async function ancestors(tx: SqlTx, name: string): Promise<string[]> {
  const rows = await tx.all<{ name: string }>(
    `WITH RECURSIVE up(name) AS (
       SELECT group_name FROM group_members WHERE member_name = ?
       UNION SELECT gm.group_name FROM group_members gm JOIN up ON gm.member_name = up.name)
     SELECT name FROM up ORDER BY name`,
    [name],
  );
  return rows.map((r) => r.name);
}

export async function addGroupMember(ctx: StoreContext, groupRef: string, memberRef: string): Promise<void> {
  await ctx.driver.write(async (tx) => {
    const group = await requirePrincipal(tx, groupRef, 'group');
    const member = await requirePrincipal(tx, memberRef);
    if (member === group || (await ancestors(tx, group)).includes(member)) {
      throw new CatalogError(
        'GROUP_CYCLE',
        `adding ${member} to group ${group} would make a group contain itself`,
        { group, member },
      );
    }
    await tx.run('INSERT INTO group_members (group_name, member_name) VALUES (?, ?) ON CONFLICT DO NOTHING', [
      group,
      member,
    ]);
  });
}

export async function removeGroupMember(
  ctx: StoreContext,
  groupRef: string,
  memberRef: string,
): Promise<boolean> {
  return ctx.driver.write(async (tx) => {
    const group = await requirePrincipal(tx, groupRef, 'group');
    const changed = await tx.run('DELETE FROM group_members WHERE group_name = ? AND member_name = ?', [
      group,
      canonical(memberRef),
    ]);
    return changed > 0;
  });
}

export async function groupMembers(ctx: StoreContext, groupRef: string): Promise<Principal[]> {
  return ctx.driver.read(async (tx) => {
    const group = await requirePrincipal(tx, groupRef, 'group');
    const rows = await tx.all<PrincipalRow & Record<string, unknown>>(
      `${PRINCIPAL_SELECT} JOIN group_members m ON m.member_name = p.name WHERE m.group_name = ? ORDER BY p.name`,
      [group],
    );
    return rows.map(toPrincipal);
  });
}

export async function groupsOf(ctx: StoreContext, ref: string): Promise<string[]> {
  return ctx.driver.read(async (tx) => ancestors(tx, await requirePrincipal(tx, ref)));
}

export async function authenticate(ctx: StoreContext, user: string, password: string): Promise<AuthResult> {
  const name = user.toLowerCase();
  const row = await ctx.driver.read((tx) =>
    tx.get<{ kind: string; disabled: number; password_verifier: string | null }>(
      `SELECT p.kind, p.disabled, c.password_verifier FROM principals p
       LEFT JOIN user_credentials c ON c.principal = p.name WHERE p.name = ?`,
      [name],
    ),
  );
  if (row === undefined || row.kind !== 'user' || row.password_verifier === null) {
    // Spend the same time as a real check so response timing does not reveal which users exist.
    await verifyPassword(password, await dummyVerifier());
    return {
      ok: false,
      reason: row === undefined || row.kind !== 'user' ? 'unknown_principal' : 'no_password',
    };
  }
  if (!(await verifyPassword(password, row.password_verifier)))
    return { ok: false, reason: 'wrong_password' };
  if (Number(row.disabled) === 1) return { ok: false, reason: 'disabled' };
  const principal = await ctx.driver.read((tx) => findPrincipal(tx, name));
  return { ok: true, principal: principal as UserInfo };
}

export async function scramVerifier(ctx: StoreContext, user: string): Promise<string | undefined> {
  const row = await ctx.driver.read((tx) =>
    tx.get<{ scram_verifier: string }>('SELECT scram_verifier FROM user_credentials WHERE principal = ?', [
      user.toLowerCase(),
    ]),
  );
  return row?.scram_verifier;
}
