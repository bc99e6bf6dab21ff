// The metastore side of name resolution, and its errors in the SQL layer's shape.
import { isCatalogError, type Metastore, type ObjectName, type SchemaName } from '@loch/catalog';
import type { Engine } from '@loch/engine-duckdb';
import { SqlError } from './errors.js';
import type { NameResolver } from './name-resolution.js';
import { quoteString } from './tokenizer.js';

const fmt = (n: ObjectName): string => `${n.catalog}.${n.schema}.${n.name}`;

/** CatalogError -> SqlError (the SQLSTATE is kept). */
export function catalogToSqlError(e: unknown): unknown {
  if (!isCatalogError(e)) return e;
  const code =
    e.code === 'TABLE_NOT_FOUND' || e.code === 'VIEW_NOT_FOUND'
      ? 'TABLE_NOT_FOUND'
      : e.code === 'ALREADY_EXISTS'
        ? 'TABLE_ALREADY_EXISTS'
        : e.code === 'UNSUPPORTED_OPERATION'
          ? 'UNSUPPORTED'
          : 'INVALID_ARGUMENT';
  return new SqlError(
    code,
    e.message,
    { ...e.details, sqlState: e.sqlstate, catalogCode: e.code },
    { cause: e },
  );
}

/** Name lookups against the metastore, and DuckDB for the names that are its own. */
export function metastoreResolver(ms: Metastore, engine: Engine, current: SchemaName): NameResolver {
  return {
    current,
    lookup: (name, kinds) => ms.lookup(name, kinds),
    notFound: async (name) => {
      await ms.getTable(name);
      throw new SqlError('TABLE_NOT_FOUND', `table ${fmt(name)} not found`, { table: fmt(name) });
    },
    schemaExists: async (s) => {
      try {
        await ms.getSchema(s);
        return true;
      } catch {
        return false;
      }
    },
    catalogExists: async (c) => {
      try {
        await ms.getCatalog(c);
        return true;
      } catch {
        return false;
      }
    },
    engineHasCatalog: async (name) => {
      const r = await engine.query(
        `SELECT 1 FROM duckdb_databases() WHERE database_name = ${quoteString(name)}`,
      );
      return r.rows.length > 0;
    },
    engineHasRelation: async (name) => {
      const q = quoteString(name);
      const r = await engine.query(
        `SELECT 1 FROM duckdb_tables() WHERE table_name = ${q} UNION ALL SELECT 1 FROM duckdb_views() WHERE view_name = ${q}`,
      );
      return r.rows.length > 0;
    },
  };
}
