// What every store operation needs, and the existence checks that produce the precise not-found
// errors (a missing catalog is reported as such, not as a missing table).
import { CatalogError, notFound } from '../errors.js';
import { canonical, formatSchema, type ObjectName, type SchemaName } from '../names.js';
import type { SqlDriver, SqlTx } from '../sql/driver.js';
import type { CatalogRow, SchemaRow } from './rows.js';

export interface StoreContext {
  readonly driver: SqlDriver;
  readonly warehouseRoot: string | undefined;
  readonly now: () => number;
}

export async function requireCatalog(tx: SqlTx, catalog: string): Promise<CatalogRow> {
  const row = await tx.get<CatalogRow & Record<string, unknown>>('SELECT * FROM catalogs WHERE name = ?', [
    catalog,
  ]);
  if (row !== undefined) return row;
  const all = await tx.all<{ name: string }>('SELECT name FROM catalogs');
  throw notFound(
    'catalog',
    catalog,
    all.map((r) => r.name),
  );
}

export async function requireSchema(
  tx: SqlTx,
  s: SchemaName,
): Promise<{ catalog: CatalogRow; schema: SchemaRow }> {
  const catalog = await requireCatalog(tx, s.catalog);
  const schema = await tx.get<SchemaRow & Record<string, unknown>>(
    'SELECT * FROM schemas WHERE catalog_name = ? AND name = ?',
    [s.catalog, s.schema],
  );
  if (schema !== undefined) return { catalog, schema };
  const siblings = await tx.all<{ name: string }>('SELECT name FROM schemas WHERE catalog_name = ?', [
    s.catalog,
  ]);
  throw notFound(
    'schema',
    formatSchema(s),
    siblings.map((r) => r.name),
    s.catalog,
  );
}

/** Owners and grantees must exist; returns the canonical name. */
export async function requirePrincipal(tx: SqlTx, name: string, kind?: 'user' | 'group'): Promise<string> {
  const canon = canonical(name, 'principal name');
  const row = await tx.get<{ kind: string }>('SELECT kind FROM principals WHERE name = ?', [canon]);
  if (row === undefined) {
    const all = await tx.all<{ name: string }>('SELECT name FROM principals');
    throw notFound(
      kind ?? 'user',
      canon,
      all.map((r) => r.name),
    );
  }
  if (kind !== undefined && row.kind !== kind) {
    throw new CatalogError('WRONG_OBJECT_TYPE', `${canon} is a ${row.kind}, not a ${kind}`, {
      name: canon,
      kind: row.kind,
    });
  }
  return canon;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/**
 * Where a new managed table or volume goes: under the schema's storage root, else the catalog's,
 * else the warehouse root. The id suffix keeps a recreated name from landing on old files.
 */
export function managedLocation(
  ctx: StoreContext,
  parents: { catalog: CatalogRow; schema: SchemaRow },
  name: ObjectName,
  id: string,
): string {
  const leaf = `${name.name}-${id.slice(0, 8)}`;
  if (parents.schema.storage_root !== null) return `${trimSlash(parents.schema.storage_root)}/${leaf}`;
  if (parents.catalog.storage_root !== null)
    return `${trimSlash(parents.catalog.storage_root)}/${name.schema}/${leaf}`;
  if (ctx.warehouseRoot === undefined) {
    throw new CatalogError(
      'NO_WAREHOUSE_ROOT',
      `cannot place managed ${name.catalog}.${name.schema}.${name.name}: the metastore has no warehouse root and neither the catalog nor the schema has a MANAGED LOCATION; open it with a warehouse directory or give a LOCATION`,
      { name: `${name.catalog}.${name.schema}.${name.name}` },
    );
  }
  return `${trimSlash(ctx.warehouseRoot)}/${name.catalog}/${name.schema}/${leaf}`;
}

/** Governance rows follow their securable: removed on drop, renamed on rename. */
export async function forgetSecurable(tx: SqlTx, type: string, fullName: string): Promise<void> {
  await tx.run('DELETE FROM grants WHERE securable_type = ? AND securable_name = ?', [type, fullName]);
  if (type === 'table') {
    await tx.run('DELETE FROM row_filters WHERE table_name = ?', [fullName]);
    await tx.run('DELETE FROM column_masks WHERE table_name = ?', [fullName]);
  }
}

export async function renameSecurable(tx: SqlTx, type: string, from: string, to: string): Promise<void> {
  await tx.run('UPDATE grants SET securable_name = ? WHERE securable_type = ? AND securable_name = ?', [
    to,
    type,
    from,
  ]);
  if (type === 'table') {
    await tx.run('UPDATE row_filters SET table_name = ? WHERE table_name = ?', [to, from]);
    await tx.run('UPDATE column_masks SET table_name = ? WHERE table_name = ?', [to, from]);
  }
}

export const json = (p: Readonly<Record<string, string>> | undefined): string => JSON.stringify(p ?? {});

/**
 * Runs a create; if another process inserted the same name between our existence check and our
 * insert (possible on PostgreSQL, whose writers are not serialised), settles it as if we had seen
 * that row first: IF NOT EXISTS / OR REPLACE run again, a plain create fails with `duplicate`.
 */
export async function settleRace<T>(
  ctx: StoreContext,
  attempt: () => Promise<T>,
  retry: boolean,
  duplicate: () => Error,
): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (!ctx.driver.isUniqueViolation(e)) throw e;
    if (!retry) throw duplicate();
    return attempt();
  }
}
