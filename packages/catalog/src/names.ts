// Three-level names (catalog.schema.object). Unity Catalog names are case-insensitive: the
// canonical form is lower case, and the spelling the user gave is kept for display.
import { CatalogError } from './errors.js';

export interface SchemaName {
  readonly catalog: string;
  readonly schema: string;
}

export interface ObjectName extends SchemaName {
  readonly name: string;
}

/** A fully qualified object name as a dotted string or its parts. */
export type ObjectRef = string | ObjectName;
/** A schema as `catalog.schema` or its parts. */
export type SchemaRef = string | SchemaName;

// Unity Catalog forbids these in names; forbidding them here keeps dotted names unambiguous.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is forbidden
const FORBIDDEN = /[.\s/\u0000-\u001f\u007f]/;

/** Validates one name part and returns its canonical (lower-case) form. */
export function canonical(part: string, what = 'name'): string {
  if (part.length === 0) throw new CatalogError('INVALID_NAME', `${what} must not be empty`, { name: part });
  if (part.length > 255) {
    throw new CatalogError('INVALID_NAME', `${what} ${part.slice(0, 40)}... is longer than 255 characters`, {
      name: part,
    });
  }
  const bad = FORBIDDEN.exec(part);
  if (bad !== null) {
    throw new CatalogError(
      'INVALID_NAME',
      `${what} ${JSON.stringify(part)} contains ${JSON.stringify(bad[0])}; names may not contain periods, spaces, slashes or control characters`,
      { name: part },
    );
  }
  return part.toLowerCase();
}

function split(ref: string, parts: number, what: string): string[] {
  const pieces = ref.split('.');
  if (pieces.length !== parts) {
    throw new CatalogError(
      'INVALID_NAME',
      `${what} name ${JSON.stringify(ref)} must have ${parts} dot-separated parts (${parts === 3 ? 'catalog.schema.name' : 'catalog.schema'}); resolve it against the current catalog and schema first`,
      { name: ref },
    );
  }
  return pieces;
}

/** Parses and canonicalises a fully qualified object reference. */
export function objectName(ref: ObjectRef, what = 'object'): ObjectName {
  const [catalog, schema, name] =
    typeof ref === 'string' ? split(ref, 3, what) : [ref.catalog, ref.schema, ref.name];
  return {
    catalog: canonical(catalog!, 'catalog name'),
    schema: canonical(schema!, 'schema name'),
    name: canonical(name!, `${what} name`),
  };
}

/** The last part as the user spelled it, for display (call after validating with `objectName`). */
export function displayLast(ref: ObjectRef | SchemaRef): string {
  if (typeof ref !== 'string') return 'name' in ref ? ref.name : ref.schema;
  return ref.slice(ref.lastIndexOf('.') + 1);
}

export function schemaName(ref: SchemaRef): SchemaName {
  const [catalog, schema] = typeof ref === 'string' ? split(ref, 2, 'schema') : [ref.catalog, ref.schema];
  return { catalog: canonical(catalog!, 'catalog name'), schema: canonical(schema!, 'schema name') };
}

export const formatSchema = (s: SchemaName): string => `${s.catalog}.${s.schema}`;
export const formatName = (o: ObjectName): string => `${o.catalog}.${o.schema}.${o.name}`;

/**
 * Resolves a 1-, 2- or 3-part name against the session's current catalog and schema, the way
 * `USE CATALOG` / `USE SCHEMA` make unqualified names work.
 */
export function resolveName(parts: readonly string[], current: SchemaName): ObjectName {
  if (parts.length === 1) return objectName({ ...current, name: parts[0]! });
  if (parts.length === 2) return objectName({ catalog: current.catalog, schema: parts[0]!, name: parts[1]! });
  if (parts.length === 3) return objectName({ catalog: parts[0]!, schema: parts[1]!, name: parts[2]! });
  throw new CatalogError(
    'INVALID_NAME',
    `name ${parts.join('.')} has ${parts.length} parts; use at most catalog.schema.name`,
    {
      name: parts.join('.'),
    },
  );
}

/** Resolves a 1- or 2-part schema name against the current catalog. */
export function resolveSchema(parts: readonly string[], currentCatalog: string): SchemaName {
  if (parts.length === 1) return schemaName({ catalog: currentCatalog, schema: parts[0]! });
  if (parts.length === 2) return schemaName({ catalog: parts[0]!, schema: parts[1]! });
  throw new CatalogError(
    'INVALID_NAME',
    `schema name ${parts.join('.')} has ${parts.length} parts; use catalog.schema`,
    {
      name: parts.join('.'),
    },
  );
}

/**
 * A matcher for `SHOW ... LIKE 'pattern'`. Databricks patterns use `*` for any run of characters
 * and `|` between alternatives; SQL's `%` and `_` are accepted too. Matching is case-insensitive.
 */
export function likeMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const alternatives = pattern.split('|').map((alt) => {
    let re = '';
    for (const ch of alt.trim().toLowerCase()) {
      if (ch === '*' || ch === '%') re += '.*';
      else if (ch === '_') re += '.';
      else re += ch.replace(/[\\^$.+?()[\]{}]/g, '\\$&');
    }
    return re;
  });
  const regex = new RegExp(`^(?:${alternatives.join('|')})$`, 's');
  return (name) => regex.test(name.toLowerCase());
}
