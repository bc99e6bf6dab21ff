// Catalogs and schemas: the containers. Dropping a non-empty one needs CASCADE, and a cascade
// reports everything it removed so the caller can delete managed data.
import { alreadyExists, CatalogError } from '../errors.js';
import { canonical, displayLast, formatSchema, likeMatcher, type SchemaRef, schemaName } from '../names.js';
import type { SqlTx } from '../sql/driver.js';
import type {
  AlterSpec,
  CatalogInfo,
  CreateCatalogSpec,
  CreateResult,
  CreateSchemaSpec,
  DropContainerOptions,
  Dropped,
  ListOptions,
  SchemaInfo,
  TableInfo,
  ViewInfo,
} from '../types.js';
import {
  forgetSecurable,
  json,
  requireCatalog,
  requirePrincipal,
  requireSchema,
  type StoreContext,
  settleRace,
} from './context.js';
import {
  type CatalogRow,
  type FunctionRow,
  type RelationRow,
  type SchemaRow,
  toCatalog,
  toFunction,
  toRelation,
  toSchema,
  toVolume,
  type VolumeRow,
} from './rows.js';

const EMPTY: Dropped = { catalogs: [], schemas: [], tables: [], views: [], functions: [], volumes: [] };

export async function createCatalog(
  ctx: StoreContext,
  spec: CreateCatalogSpec,
  mode: 'error' | 'ifNotExists',
): Promise<CreateResult<CatalogInfo>> {
  const name = canonical(spec.name, 'catalog name');
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<CatalogInfo>> => {
      const existing = await tx.get<CatalogRow & Record<string, unknown>>(
        'SELECT * FROM catalogs WHERE name = ?',
        [name],
      );
      if (existing !== undefined) {
        if (mode === 'ifNotExists') return { status: 'existed', object: toCatalog(existing) };
        throw alreadyExists('catalog', name);
      }
      const owner = await requirePrincipal(tx, spec.owner);
      const now = ctx.now();
      await tx.run(
        'INSERT INTO catalogs (name, display_name, owner, comment, storage_root, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          name,
          spec.name,
          owner,
          spec.comment ?? null,
          spec.storageRoot ?? null,
          json(spec.properties),
          now,
          now,
        ],
      );
      // Every new catalog has a `default` schema, as in Databricks: USE CATALOG lands in it.
      await tx.run(
        'INSERT INTO schemas (catalog_name, name, display_name, owner, comment, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [name, 'default', 'default', owner, 'Default schema', '{}', now, now],
      );
      return { status: 'created', object: toCatalog(await requireCatalog(tx, name)) };
    });
  return settleRace(ctx, attempt, mode === 'ifNotExists', () => alreadyExists('catalog', name));
}

export async function listCatalogs(ctx: StoreContext, options: ListOptions = {}): Promise<CatalogInfo[]> {
  const match = likeMatcher(options.like);
  const rows = await ctx.driver.read((tx) =>
    tx.all<CatalogRow & Record<string, unknown>>('SELECT * FROM catalogs ORDER BY name'),
  );
  return rows.filter((r) => match(r.name)).map(toCatalog);
}

/** UPDATE for ALTER ... SET OWNER / COMMENT / PROPERTIES; shared by every securable table. */
export async function applyAlter(
  tx: SqlTx,
  ctx: StoreContext,
  table: string,
  where: string,
  key: readonly string[],
  spec: AlterSpec,
  extra: Readonly<Record<string, string>> = {},
): Promise<void> {
  const sets: string[] = [];
  const params: (string | number | null)[] = [];
  if (spec.owner !== undefined) {
    sets.push('owner = ?');
    params.push(await requirePrincipal(tx, spec.owner));
  }
  if (spec.comment !== undefined) {
    sets.push('comment = ?');
    params.push(spec.comment);
  }
  if (spec.properties !== undefined) {
    sets.push('properties = ?');
    params.push(json(spec.properties));
  }
  for (const [column, value] of Object.entries(extra)) {
    sets.push(`${column} = ?`);
    params.push(value);
  }
  sets.push('updated_at = ?');
  params.push(ctx.now());
  await tx.run(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${where}`, [...params, ...key]);
}

export async function alterCatalog(ctx: StoreContext, ref: string, spec: AlterSpec): Promise<CatalogInfo> {
  const name = canonical(ref, 'catalog name');
  return ctx.driver.write(async (tx) => {
    await requireCatalog(tx, name);
    await applyAlter(tx, ctx, 'catalogs', 'name = ?', [name], spec);
    return toCatalog(await requireCatalog(tx, name));
  });
}

export async function createSchema(
  ctx: StoreContext,
  spec: CreateSchemaSpec,
  mode: 'error' | 'ifNotExists',
): Promise<CreateResult<SchemaInfo>> {
  const s = schemaName(spec.name);
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<SchemaInfo>> => {
      await requireCatalog(tx, s.catalog);
      const existing = await tx.get<SchemaRow & Record<string, unknown>>(
        'SELECT * FROM schemas WHERE catalog_name = ? AND name = ?',
        [s.catalog, s.schema],
      );
      if (existing !== undefined) {
        if (mode === 'ifNotExists') return { status: 'existed', object: toSchema(existing) };
        throw alreadyExists('schema', formatSchema(s));
      }
      const owner = await requirePrincipal(tx, spec.owner);
      const now = ctx.now();
      await tx.run(
        'INSERT INTO schemas (catalog_name, name, display_name, owner, comment, storage_root, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          s.catalog,
          s.schema,
          displayLast(spec.name),
          owner,
          spec.comment ?? null,
          spec.storageRoot ?? null,
          json(spec.properties),
          now,
          now,
        ],
      );
      return { status: 'created', object: toSchema((await requireSchema(tx, s)).schema) };
    });
  return settleRace(ctx, attempt, mode === 'ifNotExists', () => alreadyExists('schema', formatSchema(s)));
}

export async function listSchemas(
  ctx: StoreContext,
  catalog: string,
  options: ListOptions = {},
): Promise<SchemaInfo[]> {
  const name = canonical(catalog, 'catalog name');
  const match = likeMatcher(options.like);
  const rows = await ctx.driver.read(async (tx) => {
    await requireCatalog(tx, name);
    return tx.all<SchemaRow & Record<string, unknown>>(
      'SELECT * FROM schemas WHERE catalog_name = ? ORDER BY name',
      [name],
    );
  });
  return rows.filter((r) => match(r.name)).map(toSchema);
}

export async function alterSchema(ctx: StoreContext, ref: SchemaRef, spec: AlterSpec): Promise<SchemaInfo> {
  const s = schemaName(ref);
  return ctx.driver.write(async (tx) => {
    await requireSchema(tx, s);
    await applyAlter(tx, ctx, 'schemas', 'catalog_name = ? AND name = ?', [s.catalog, s.schema], spec);
    return toSchema((await requireSchema(tx, s)).schema);
  });
}

/** Removes a schema's contents and the schema itself; the caller has checked CASCADE. */
async function removeSchema(tx: SqlTx, row: SchemaRow, cascade: boolean): Promise<Dropped> {
  const key = [row.catalog_name, row.name];
  const where = 'catalog_name = ? AND schema_name = ?';
  const relations = await tx.all<RelationRow & Record<string, unknown>>(
    `SELECT * FROM relations WHERE ${where} ORDER BY name`,
    key,
  );
  const functions = await tx.all<FunctionRow & Record<string, unknown>>(
    `SELECT * FROM functions WHERE ${where} ORDER BY name`,
    key,
  );
  const volumes = await tx.all<VolumeRow & Record<string, unknown>>(
    `SELECT * FROM volumes WHERE ${where} ORDER BY name`,
    key,
  );
  const count = relations.length + functions.length + volumes.length;
  const full = `${row.catalog_name}.${row.name}`;
  if (count > 0 && !cascade) {
    const sample = [...relations, ...functions, ...volumes].slice(0, 3).map((r) => `${full}.${r.name}`);
    throw new CatalogError(
      'SCHEMA_NOT_EMPTY',
      `schema ${full} is not empty (${count} object${count === 1 ? '' : 's'}, e.g. ${sample.join(', ')}); drop them first or use CASCADE`,
      { name: full, count },
    );
  }
  const infos = relations.map(toRelation);
  for (const info of infos) await forgetSecurable(tx, info.kind, info.fullName);
  for (const r of functions) await forgetSecurable(tx, 'function', `${full}.${r.name}`);
  for (const r of volumes) await forgetSecurable(tx, 'volume', `${full}.${r.name}`);
  await forgetSecurable(tx, 'schema', full);
  for (const t of ['relations', 'functions', 'volumes']) await tx.run(`DELETE FROM ${t} WHERE ${where}`, key);
  await tx.run('DELETE FROM schemas WHERE catalog_name = ? AND name = ?', key);
  return {
    catalogs: [],
    schemas: [toSchema(row)],
    tables: infos.filter((i): i is TableInfo => i.kind === 'table'),
    views: infos.filter((i): i is ViewInfo => i.kind === 'view'),
    functions: functions.map(toFunction),
    volumes: volumes.map(toVolume),
  };
}

const merge = (a: Dropped, b: Dropped): Dropped => ({
  catalogs: [...a.catalogs, ...b.catalogs],
  schemas: [...a.schemas, ...b.schemas],
  tables: [...a.tables, ...b.tables],
  views: [...a.views, ...b.views],
  functions: [...a.functions, ...b.functions],
  volumes: [...a.volumes, ...b.volumes],
});

export async function dropSchema(
  ctx: StoreContext,
  ref: SchemaRef,
  options: DropContainerOptions = {},
): Promise<Dropped | undefined> {
  const s = schemaName(ref);
  return ctx.driver.write(async (tx) => {
    let row: SchemaRow;
    try {
      row = (await requireSchema(tx, s)).schema;
    } catch (e) {
      if (options.ifExists === true && e instanceof CatalogError) return undefined;
      throw e;
    }
    return removeSchema(tx, row, options.cascade === true);
  });
}

export async function dropCatalog(
  ctx: StoreContext,
  ref: string,
  options: DropContainerOptions = {},
): Promise<Dropped | undefined> {
  const name = canonical(ref, 'catalog name');
  return ctx.driver.write(async (tx) => {
    let catalog: CatalogRow;
    try {
      catalog = await requireCatalog(tx, name);
    } catch (e) {
      if (options.ifExists === true && e instanceof CatalogError) return undefined;
      throw e;
    }
    const schemas = await tx.all<SchemaRow & Record<string, unknown>>(
      'SELECT * FROM schemas WHERE catalog_name = ? ORDER BY name',
      [name],
    );
    // An empty `default` schema does not make a catalog "non-empty", as in Databricks.
    const blocking = schemas.filter((r) => r.name !== 'default');
    if (options.cascade !== true && blocking.length > 0) {
      throw new CatalogError(
        'CATALOG_NOT_EMPTY',
        `catalog ${name} is not empty (schemas ${blocking
          .slice(0, 3)
          .map((r) => `${name}.${r.name}`)
          .join(', ')}); drop them first or use CASCADE`,
        { name, count: blocking.length },
      );
    }
    let dropped = EMPTY;
    for (const s of schemas) dropped = merge(dropped, await removeSchema(tx, s, options.cascade === true));
    await forgetSecurable(tx, 'catalog', name);
    await tx.run('DELETE FROM catalogs WHERE name = ?', [name]);
    return { ...dropped, catalogs: [toCatalog(catalog)] };
  });
}
