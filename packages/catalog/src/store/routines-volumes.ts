// SQL functions and volumes. Each has its own namespace per schema (a function may share a name
// with a table), so they are looked up in their own tables.
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
  CreateFunctionSpec,
  CreateMode,
  CreateResult,
  CreateVolumeSpec,
  DropOptions,
  FunctionInfo,
  ListOptions,
  VolumeInfo,
} from '../types.js';
import { applyAlter } from './containers.js';
import {
  forgetSecurable,
  managedLocation,
  requirePrincipal,
  requireSchema,
  type StoreContext,
  settleRace,
} from './context.js';
import { type FunctionRow, toFunction, toVolume, type VolumeRow } from './rows.js';
import { listInSchema, OBJECT_KEY, objectKey, objectNotFound } from './schema-objects.js';

type Kind = 'function' | 'volume';
const TABLE: Record<Kind, string> = { function: 'functions', volume: 'volumes' };

async function find<R>(tx: SqlTx, kind: Kind, n: ObjectName): Promise<R | undefined> {
  return (await tx.get(`SELECT * FROM ${TABLE[kind]} WHERE ${OBJECT_KEY}`, objectKey(n))) as R | undefined;
}

async function require<R>(tx: SqlTx, kind: Kind, n: ObjectName): Promise<R> {
  const row = await find<R>(tx, kind, n);
  if (row !== undefined) return row;
  return objectNotFound(tx, TABLE[kind], kind, n);
}

export async function createFunction(
  ctx: StoreContext,
  spec: CreateFunctionSpec,
  mode: CreateMode,
): Promise<CreateResult<FunctionInfo>> {
  const n = objectName(spec.name, 'function');
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<FunctionInfo>> => {
      await requireSchema(tx, n);
      const existing = await find<FunctionRow>(tx, 'function', n);
      const now = ctx.now();
      const values = [
        JSON.stringify(spec.params),
        spec.returnType,
        spec.body,
        spec.deterministic === false ? 0 : 1,
        spec.comment ?? null,
      ];
      if (existing !== undefined) {
        if (mode === 'ifNotExists') return { status: 'existed', object: toFunction(existing) };
        if (mode === 'error') throw alreadyExists('function', formatName(n));
        await tx.run(
          `UPDATE functions SET params = ?, return_type = ?, body = ?, deterministic = ?, comment = ?, updated_at = ? WHERE ${OBJECT_KEY}`,
          [...values, now, ...objectKey(n)],
        );
        const object = toFunction((await find<FunctionRow>(tx, 'function', n))!);
        return { status: 'replaced', object, previous: toFunction(existing) };
      }
      const owner = await requirePrincipal(tx, spec.owner);
      await tx.run(
        `INSERT INTO functions (catalog_name, schema_name, name, display_name, id, owner, created_at, updated_at, params, return_type, body, deterministic, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...objectKey(n), displayLast(spec.name), randomUUID(), owner, now, now, ...values],
      );
      return { status: 'created', object: toFunction((await find<FunctionRow>(tx, 'function', n))!) };
    });
  return settleRace(ctx, attempt, mode !== 'error', () => alreadyExists('function', formatName(n)));
}

export async function createVolume(
  ctx: StoreContext,
  spec: CreateVolumeSpec,
  mode: 'error' | 'ifNotExists',
): Promise<CreateResult<VolumeInfo>> {
  const n = objectName(spec.name, 'volume');
  const attempt = () =>
    ctx.driver.write(async (tx): Promise<CreateResult<VolumeInfo>> => {
      const parents = await requireSchema(tx, n);
      const existing = await find<VolumeRow>(tx, 'volume', n);
      if (existing !== undefined) {
        if (mode === 'ifNotExists') return { status: 'existed', object: toVolume(existing) };
        throw alreadyExists('volume', formatName(n));
      }
      const owner = await requirePrincipal(tx, spec.owner);
      const id = randomUUID();
      const location = spec.location ?? managedLocation(ctx, parents, n, id);
      const now = ctx.now();
      await tx.run(
        `INSERT INTO volumes (catalog_name, schema_name, name, display_name, id, volume_type, location, owner, comment, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          ...objectKey(n),
          displayLast(spec.name),
          id,
          spec.location === undefined ? 'managed' : 'external',
          location,
          owner,
          spec.comment ?? null,
          now,
          now,
        ],
      );
      return { status: 'created', object: toVolume((await find<VolumeRow>(tx, 'volume', n))!) };
    });
  return settleRace(ctx, attempt, mode !== 'error', () => alreadyExists('volume', formatName(n)));
}

export async function getFunction(ctx: StoreContext, ref: ObjectRef): Promise<FunctionInfo> {
  const n = objectName(ref, 'function');
  return ctx.driver.read(async (tx) => toFunction(await require<FunctionRow>(tx, 'function', n)));
}

export async function getVolume(ctx: StoreContext, ref: ObjectRef): Promise<VolumeInfo> {
  const n = objectName(ref, 'volume');
  return ctx.driver.read(async (tx) => toVolume(await require<VolumeRow>(tx, 'volume', n)));
}

export async function alterVolume(ctx: StoreContext, ref: ObjectRef, spec: AlterSpec): Promise<VolumeInfo> {
  const n = objectName(ref, 'volume');
  if (spec.properties !== undefined) {
    throw new CatalogError(
      'UNSUPPORTED_OPERATION',
      `volume ${formatName(n)} has no properties to set; change its owner or comment`,
      {
        name: formatName(n),
      },
    );
  }
  return ctx.driver.write(async (tx) => {
    await require<VolumeRow>(tx, 'volume', n);
    await applyAlter(tx, ctx, 'volumes', OBJECT_KEY, objectKey(n), spec);
    return toVolume((await find<VolumeRow>(tx, 'volume', n))!);
  });
}

async function drop<R>(
  ctx: StoreContext,
  kind: Kind,
  ref: ObjectRef,
  options: DropOptions,
): Promise<R | undefined> {
  const n = objectName(ref, kind);
  return ctx.driver.write(async (tx) => {
    let row: R;
    try {
      row = await require<R>(tx, kind, n);
    } catch (e) {
      if (options.ifExists === true && e instanceof CatalogError) return undefined;
      throw e;
    }
    await tx.run(`DELETE FROM ${TABLE[kind]} WHERE ${OBJECT_KEY}`, objectKey(n));
    await forgetSecurable(tx, kind, formatName(n));
    return row;
  });
}

export async function dropFunction(
  ctx: StoreContext,
  ref: ObjectRef,
  options: DropOptions = {},
): Promise<FunctionInfo | undefined> {
  const row = await drop<FunctionRow>(ctx, 'function', ref, options);
  return row === undefined ? undefined : toFunction(row);
}

export async function dropVolume(
  ctx: StoreContext,
  ref: ObjectRef,
  options: DropOptions = {},
): Promise<VolumeInfo | undefined> {
  const row = await drop<VolumeRow>(ctx, 'volume', ref, options);
  return row === undefined ? undefined : toVolume(row);
}

async function list<R extends { name: string }>(
  ctx: StoreContext,
  kind: Kind,
  ref: SchemaRef,
  options: ListOptions,
): Promise<R[]> {
  return listInSchema<R>(ctx, TABLE[kind], ref, options.like);
}

export const listFunctions = async (ctx: StoreContext, ref: SchemaRef, options: ListOptions = {}) =>
  (await list<FunctionRow>(ctx, 'function', ref, options)).map(toFunction);
export const listVolumes = async (ctx: StoreContext, ref: SchemaRef, options: ListOptions = {}) =>
  (await list<VolumeRow>(ctx, 'volume', ref, options)).map(toVolume);

export async function findFunction(tx: SqlTx, n: ObjectName): Promise<FunctionInfo | undefined> {
  const row = await find<FunctionRow>(tx, 'function', n);
  return row === undefined ? undefined : toFunction(row);
}

export async function findVolume(tx: SqlTx, n: ObjectName): Promise<VolumeInfo | undefined> {
  const row = await find<VolumeRow>(tx, 'volume', n);
  return row === undefined ? undefined : toVolume(row);
}
