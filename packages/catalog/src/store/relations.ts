// Tables and views. They share one namespace per schema (as in Unity Catalog), so existence
// checks look at both kinds and a name held by the other kind is reported as such.
import { randomUUID } from 'node:crypto';
import { alreadyExists, CatalogError } from '../errors.js';
import {
  displayLast,
  formatName,
  type ObjectName,
  type ObjectRef,
  objectName,
  type SchemaRef,
} from '../names.js';
import type { SqlTx } from '../sql/driver.js';
import type {
  AlterSpec,
  CreateMode,
  CreateResult,
  CreateTableSpec,
  CreateViewSpec,
  DropOptions,
  ListOptions,
  RelationInfo,
  TableInfo,
  ViewInfo,
} from '../types.js';
import { applyAlter } from './containers.js';
import {
  forgetSecurable,
  json,
  managedLocation,
  renameSecurable,
  requirePrincipal,
  requireSchema,
  type StoreContext,
  settleRace,
} from './context.js';
import { type RelationRow, toRelation } from './rows.js';
import { listInSchema, OBJECT_KEY, objectKey, objectNotFound } from './schema-objects.js';

type Kind = 'table' | 'view';

export async function findRelation(tx: SqlTx, n: ObjectName): Promise<RelationRow | undefined> {
  return tx.get<RelationRow & Record<string, unknown>>(
    `SELECT * FROM relations WHERE ${OBJECT_KEY}`,
    objectKey(n),
  );
}

/** The row, or the most precise not-found / wrong-type error. */
export async function requireRelation(tx: SqlTx, n: ObjectName, kind: Kind): Promise<RelationRow> {
  const row = await findRelation(tx, n);
  if (row !== undefined && row.kind === kind) return row;
  if (row !== undefined) {
    const hint =
      kind === 'table' ? 'use the VIEW form of the statement' : 'use the TABLE form of the statement';
    throw new CatalogError('WRONG_OBJECT_TYPE', `${formatName(n)} is a ${row.kind}, not a ${kind}; ${hint}`, {
      name: formatName(n),
      kind: row.kind,
      expected: kind,
    });
  }
  return objectNotFound(tx, 'relations', kind, n);
}

async function createRelation<T extends RelationInfo>(
  ctx: StoreContext,
  kind: Kind,
  n: ObjectName,
  mode: CreateMode,
  insert: (tx: SqlTx, id: string, previous: RelationRow | undefined) => Promise<void>,
): Promise<CreateResult<T>> {
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<T>> => {
      await requireSchema(tx, n);
      const existing = await findRelation(tx, n);
      if (existing !== undefined) {
        if (existing.kind !== kind) throw alreadyExists(kind, formatName(n), existing.kind);
        if (mode === 'ifNotExists') return { status: 'existed', object: toRelation(existing) as T };
        if (mode === 'error') throw alreadyExists(kind, formatName(n));
        await insert(tx, existing.id, existing);
        const replaced = toRelation((await findRelation(tx, n))!) as T;
        return { status: 'replaced', object: replaced, previous: toRelation(existing) as T };
      }
      await insert(tx, randomUUID(), undefined);
      return { status: 'created', object: toRelation((await findRelation(tx, n))!) as T };
    });
  return settleRace(ctx, attempt, mode !== 'error', () => alreadyExists(kind, formatName(n)));
}

export async function createTable(
  ctx: StoreContext,
  spec: CreateTableSpec,
  mode: CreateMode,
): Promise<CreateResult<TableInfo>> {
  const n = objectName(spec.name, 'table');
  return createRelation<TableInfo>(ctx, 'table', n, mode, async (tx, id, previous) => {
    const owner = previous?.owner ?? (await requirePrincipal(tx, spec.owner));
    const now = ctx.now();
    const external = spec.location !== undefined;
    // A replace keeps a managed table's location (its Delta log carries on); a switch between
    // managed and external takes the new placement.
    const location =
      spec.location ??
      (previous?.table_type === 'managed' && previous.location !== null
        ? previous.location
        : managedLocation(ctx, await requireSchema(tx, n), n, id));
    const values = [spec.comment ?? null, json(spec.properties), external ? 'external' : 'managed', location];
    if (previous !== undefined) {
      await tx.run(
        `UPDATE relations SET comment = ?, properties = ?, table_type = ?, location = ?, updated_at = ? WHERE ${OBJECT_KEY}`,
        [...values, now, ...objectKey(n)],
      );
      return;
    }
    await tx.run(
      `INSERT INTO relations (catalog_name, schema_name, name, display_name, id, kind, format, owner, created_at, updated_at, comment, properties, table_type, location)
       VALUES (?, ?, ?, ?, ?, 'table', 'delta', ?, ?, ?, ?, ?, ?, ?)`,
      [...objectKey(n), displayLast(spec.name), id, owner, now, now, ...values],
    );
  });
}

export async function createView(
  ctx: StoreContext,
  spec: CreateViewSpec,
  mode: CreateMode,
): Promise<CreateResult<ViewInfo>> {
  const n = objectName(spec.name, 'view');
  return createRelation<ViewInfo>(ctx, 'view', n, mode, async (tx, id, previous) => {
    const now = ctx.now();
    const values = [spec.comment ?? null, json(spec.properties), spec.sql];
    if (previous !== undefined) {
      await tx.run(
        `UPDATE relations SET comment = ?, properties = ?, view_sql = ?, updated_at = ? WHERE ${OBJECT_KEY}`,
        [...values, now, ...objectKey(n)],
      );
      return;
    }
    const owner = await requirePrincipal(tx, spec.owner);
    await tx.run(
      `INSERT INTO relations (catalog_name, schema_name, name, display_name, id, kind, owner, created_at, updated_at, comment, properties, view_sql)
       VALUES (?, ?, ?, ?, ?, 'view', ?, ?, ?, ?, ?, ?)`,
      [...objectKey(n), displayLast(spec.name), id, owner, now, now, ...values],
    );
  });
}

export async function getRelation<T extends RelationInfo>(
  ctx: StoreContext,
  ref: ObjectRef,
  kind: Kind,
): Promise<T> {
  const n = objectName(ref, kind);
  return ctx.driver.read(async (tx) => toRelation(await requireRelation(tx, n, kind)) as T);
}

export async function alterRelation<T extends RelationInfo>(
  ctx: StoreContext,
  ref: ObjectRef,
  kind: Kind,
  spec: AlterSpec & { readonly sql?: string },
): Promise<T> {
  const n = objectName(ref, kind);
  return ctx.driver.write(async (tx) => {
    await requireRelation(tx, n, kind);
    await applyAlter(
      tx,
      ctx,
      'relations',
      OBJECT_KEY,
      objectKey(n),
      spec,
      spec.sql === undefined ? {} : { view_sql: spec.sql },
    );
    return toRelation((await findRelation(tx, n))!) as T;
  });
}

export async function renameRelation<T extends RelationInfo>(
  ctx: StoreContext,
  fromRef: ObjectRef,
  toRef: ObjectRef,
  kind: Kind,
): Promise<T> {
  const from = objectName(fromRef, kind);
  const to = objectName(toRef, kind);
  if (from.catalog !== to.catalog) {
    throw new CatalogError(
      'UNSUPPORTED_OPERATION',
      `cannot rename ${formatName(from)} to ${formatName(to)}: a ${kind} can only move within its catalog (${from.catalog})`,
      { from: formatName(from), to: formatName(to) },
    );
  }
  return ctx.driver.write(async (tx) => {
    await requireRelation(tx, from, kind);
    await requireSchema(tx, to);
    const clash = await findRelation(tx, to);
    if (clash !== undefined && formatName(from) !== formatName(to))
      throw alreadyExists(kind, formatName(to), clash.kind);
    await tx.run(
      `UPDATE relations SET catalog_name = ?, schema_name = ?, name = ?, display_name = ?, updated_at = ? WHERE ${OBJECT_KEY}`,
      [...objectKey(to), displayLast(toRef), ctx.now(), ...objectKey(from)],
    );
    await renameSecurable(tx, kind, formatName(from), formatName(to));
    return toRelation((await findRelation(tx, to))!) as T;
  });
}

export async function dropRelation<T extends RelationInfo>(
  ctx: StoreContext,
  ref: ObjectRef,
  kind: Kind,
  options: DropOptions = {},
): Promise<T | undefined> {
  const n = objectName(ref, kind);
  return ctx.driver.write(async (tx) => {
    let row: RelationRow;
    try {
      row = await requireRelation(tx, n, kind);
    } catch (e) {
      // IF EXISTS forgives a missing object, never one of the wrong kind.
      if (options.ifExists === true && e instanceof CatalogError && e.code !== 'WRONG_OBJECT_TYPE')
        return undefined;
      throw e;
    }
    await tx.run(`DELETE FROM relations WHERE ${OBJECT_KEY}`, objectKey(n));
    await forgetSecurable(tx, kind, formatName(n));
    return toRelation(row) as T;
  });
}

export async function listRelations(
  ctx: StoreContext,
  ref: SchemaRef,
  options: ListOptions & { readonly kind?: Kind } = {},
): Promise<RelationInfo[]> {
  return (await listInSchema<RelationRow>(ctx, 'relations', ref, options.like))
    .filter((r) => options.kind === undefined || r.kind === options.kind)
    .map(toRelation);
}
