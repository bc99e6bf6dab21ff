// Opening a metastore from a location string, the way the CLI and server are configured:
//   /path/to/warehouse          SQLite at <warehouse>/_loch/metastore.db (the embedded default)
//   sqlite:/path/to/file.db     SQLite at that file (sqlite::memory: for a throwaway one)
//   postgres://user@host/db     PostgreSQL; `?schema=name` picks the schema (default `loch`)
import { basename, dirname, join, resolve } from 'node:path';
import { bootstrap, readSetting, WAREHOUSE_ROOT_SETTING } from './bootstrap.js';
import { CatalogError } from './errors.js';
import type { BootstrapResult } from './identity-types.js';
import type { Metastore } from './metastore.js';
import type { SqlDriver } from './sql/driver.js';
import { migrate } from './sql/migrations.js';
import { PostgresDriver } from './sql/postgres-driver.js';
import { SqliteDriver } from './sql/sqlite-driver.js';
import { SqlMetastore } from './sql-metastore.js';

export const METASTORE_DIR = '_loch';
export const METASTORE_FILE = 'metastore.db';

export interface OpenMetastoreOptions {
  /** Root for managed tables; defaults to the warehouse directory, or the root stored at bootstrap. */
  readonly warehouse?: string;
  /** Password for the bootstrap admin; defaults to env LOCH_ADMIN_PASSWORD, else one is generated. */
  readonly adminPassword?: string;
  /** PostgreSQL schema holding the metastore tables (overrides `?schema=`). */
  readonly pgSchema?: string;
}

export interface OpenedMetastore {
  readonly metastore: Metastore;
  readonly bootstrap: BootstrapResult;
}

export type MetastoreTarget =
  | { readonly kind: 'sqlite'; readonly file: string; readonly warehouseRoot?: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };

const PG_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Pure parsing of the location string, separated out so it can be tested without a database. */
export function parseMetastoreTarget(target: string, options: OpenMetastoreOptions = {}): MetastoreTarget {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const url = new URL(target);
    const schema = options.pgSchema ?? url.searchParams.get('schema') ?? 'loch';
    url.searchParams.delete('schema');
    if (!PG_SCHEMA.test(schema)) {
      throw new CatalogError(
        'INVALID_ARGUMENT',
        `PostgreSQL schema ${JSON.stringify(schema)} must be a lower-case identifier (a-z, 0-9, _)`,
        {
          schema,
        },
      );
    }
    return { kind: 'postgres', url: url.toString(), schema };
  }
  if (target.startsWith('sqlite:')) {
    const rest = target.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === ':memory:') return { kind: 'sqlite', file: ':memory:' };
    if (rest === '')
      throw new CatalogError(
        'INVALID_ARGUMENT',
        `metastore URL ${target} names no file; use sqlite:/path/to/metastore.db`,
        {},
      );
    const file = resolve(rest);
    // A file inside a warehouse's _loch folder belongs to that warehouse.
    const inWarehouse = basename(dirname(file)) === METASTORE_DIR ? dirname(dirname(file)) : undefined;
    return { kind: 'sqlite', file, ...(inWarehouse === undefined ? {} : { warehouseRoot: inWarehouse }) };
  }
  const root = resolve(target);
  return { kind: 'sqlite', file: join(root, METASTORE_DIR, METASTORE_FILE), warehouseRoot: root };
}

export async function openMetastore(
  target: string,
  options: OpenMetastoreOptions = {},
): Promise<OpenedMetastore> {
  const parsed = parseMetastoreTarget(target, options);
  const driver: SqlDriver =
    parsed.kind === 'postgres'
      ? await PostgresDriver.connect(parsed.url, parsed.schema)
      : new SqliteDriver(parsed.file);
  try {
    await migrate(driver);
    const explicit = options.warehouse === undefined ? undefined : resolveRoot(options.warehouse);
    const warehouseRoot =
      explicit ??
      (parsed.kind === 'sqlite' ? parsed.warehouseRoot : undefined) ??
      (await readSetting(driver, WAREHOUSE_ROOT_SETTING));
    const metastore = new SqlMetastore(driver, warehouseRoot);
    const adminPassword = options.adminPassword ?? process.env['LOCH_ADMIN_PASSWORD'];
    const result = await bootstrap(
      { driver, warehouseRoot, now: Date.now },
      {
        ...(adminPassword === undefined ? {} : { adminPassword }),
        ...(explicit === undefined ? {} : { warehouseRoot: explicit }),
      },
    );
    return { metastore, bootstrap: result };
  } catch (e) {
    await driver.close().catch(() => undefined);
    throw e;
  }
}

// Object-store URLs stay as given; local paths become absolute so locations survive a cwd change.
const resolveRoot = (root: string): string => (/^[a-z][a-z0-9+.-]*:\/\//i.test(root) ? root : resolve(root));
