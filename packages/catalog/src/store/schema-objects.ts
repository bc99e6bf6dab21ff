// What the objects inside a schema (tables, views, functions, volumes) share: the row key
// `catalog.schema.name`, the not-found error that names the schema's other objects, and listing.
import { notFound, type ObjectKind } from '../errors.js';
import {
  formatName,
  formatSchema,
  likeMatcher,
  type ObjectName,
  type SchemaRef,
  schemaName,
} from '../names.js';
import type { SqlTx } from '../sql/driver.js';
import { requireSchema, type StoreContext } from './context.js';

/** The WHERE clause that selects one object's row; its parameters are `objectKey(n)`. */
export const OBJECT_KEY = 'catalog_name = ? AND schema_name = ? AND name = ?';
export const objectKey = (n: ObjectName): string[] => [n.catalog, n.schema, n.name];

/**
 * The error for an object of `kind` that `table` does not hold: the schema's own not-found error
 * if the schema is missing, else one that names the objects `table` has in the schema.
 */
export async function objectNotFound(
  tx: SqlTx,
  table: string,
  kind: ObjectKind,
  n: ObjectName,
): Promise<never> {
  await requireSchema(tx, n);
  const siblings = await tx.all<{ name: string }>(
    `SELECT name FROM ${table} WHERE catalog_name = ? AND schema_name = ?`,
    [n.catalog, n.schema],
  );
  throw notFound(
    kind,
    formatName(n),
    siblings.map((r) => r.name),
    formatSchema(n),
  );
}

/** The rows of `table` in a schema whose names match `like`, by name. */
export async function listInSchema<R extends { name: string }>(
  ctx: StoreContext,
  table: string,
  ref: SchemaRef,
  like: string | undefined,
): Promise<R[]> {
  const s = schemaName(ref);
  const match = likeMatcher(like);
  const rows = await ctx.driver.read(async (tx) => {
    await requireSchema(tx, s);
    return (await tx.all(`SELECT * FROM ${table} WHERE catalog_name = ? AND schema_name = ? ORDER BY name`, [
      s.catalog,
      s.schema,
    ])) as unknown as R[];
  });
  return rows.filter((r) => match(r.name));
}
