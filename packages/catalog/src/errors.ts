// One error type for the catalog; `code` is stable, `sqlstate` is what a pg-wire client sees.
import { closestName } from './suggest.js';

export type CatalogErrorCode =
  | 'CATALOG_NOT_FOUND'
  | 'SCHEMA_NOT_FOUND'
  | 'TABLE_NOT_FOUND'
  | 'VIEW_NOT_FOUND'
  | 'FUNCTION_NOT_FOUND'
  | 'VOLUME_NOT_FOUND'
  | 'PRINCIPAL_NOT_FOUND'
  | 'TOKEN_NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'CATALOG_NOT_EMPTY'
  | 'SCHEMA_NOT_EMPTY'
  | 'PRINCIPAL_IN_USE'
  | 'WRONG_OBJECT_TYPE'
  | 'INVALID_NAME'
  | 'INVALID_ARGUMENT'
  | 'GROUP_CYCLE'
  | 'UNSUPPORTED_OPERATION'
  | 'NO_WAREHOUSE_ROOT'
  | 'METASTORE_UNAVAILABLE'
  | 'METASTORE_TOO_NEW';

/** Kinds of named things, used in messages and to pick the SQLSTATE of ALREADY_EXISTS. */
export type ObjectKind = 'catalog' | 'schema' | 'table' | 'view' | 'function' | 'volume' | 'user' | 'group';

const SQLSTATE: Record<Exclude<CatalogErrorCode, 'ALREADY_EXISTS'>, string> = {
  CATALOG_NOT_FOUND: '3D000',
  SCHEMA_NOT_FOUND: '3F000',
  TABLE_NOT_FOUND: '42P01',
  VIEW_NOT_FOUND: '42P01',
  FUNCTION_NOT_FOUND: '42883',
  VOLUME_NOT_FOUND: '42704',
  PRINCIPAL_NOT_FOUND: '42704',
  TOKEN_NOT_FOUND: '42704',
  CATALOG_NOT_EMPTY: '2BP01',
  SCHEMA_NOT_EMPTY: '2BP01',
  PRINCIPAL_IN_USE: '2BP01',
  WRONG_OBJECT_TYPE: '42809',
  INVALID_NAME: '42602',
  INVALID_ARGUMENT: '22023',
  GROUP_CYCLE: '42P17',
  UNSUPPORTED_OPERATION: '0A000',
  NO_WAREHOUSE_ROOT: '55000',
  METASTORE_UNAVAILABLE: '08006',
  METASTORE_TOO_NEW: '55000',
};

// PostgreSQL's duplicate_* codes, so clients that branch on them behave as against PostgreSQL.
const DUPLICATE_SQLSTATE: Record<ObjectKind, string> = {
  catalog: '42P04',
  schema: '42P06',
  table: '42P07',
  view: '42P07',
  volume: '42P07',
  function: '42723',
  user: '42710',
  group: '42710',
};

export class CatalogError extends Error {
  readonly code: CatalogErrorCode;
  readonly sqlstate: string;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: CatalogErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CatalogError';
    this.code = code;
    this.details = details;
    const kind = details['kind'] as ObjectKind | undefined;
    this.sqlstate = code === 'ALREADY_EXISTS' ? DUPLICATE_SQLSTATE[kind ?? 'table'] : SQLSTATE[code];
  }
}

export const isCatalogError = (e: unknown, code?: CatalogErrorCode): e is CatalogError =>
  e instanceof CatalogError && (code === undefined || e.code === code);

const NOT_FOUND: Record<ObjectKind, CatalogErrorCode> = {
  catalog: 'CATALOG_NOT_FOUND',
  schema: 'SCHEMA_NOT_FOUND',
  table: 'TABLE_NOT_FOUND',
  view: 'VIEW_NOT_FOUND',
  function: 'FUNCTION_NOT_FOUND',
  volume: 'VOLUME_NOT_FOUND',
  user: 'PRINCIPAL_NOT_FOUND',
  group: 'PRINCIPAL_NOT_FOUND',
};

const LIST_HINT: Record<ObjectKind, string> = {
  catalog: 'SHOW CATALOGS',
  schema: 'SHOW SCHEMAS IN',
  table: 'SHOW TABLES IN',
  view: 'SHOW VIEWS IN',
  function: 'SHOW USER FUNCTIONS IN',
  volume: 'SHOW VOLUMES IN',
  user: 'SHOW USERS',
  group: 'SHOW GROUPS',
};

/**
 * "table main.sales.orders not found; did you mean main.sales.order?" — `siblings` are the names
 * that do exist in the same container (last name part only), `container` is the qualified prefix.
 */
export function notFound(
  kind: ObjectKind,
  fullName: string,
  siblings: Iterable<string> = [],
  container?: string,
): CatalogError {
  const last = fullName.slice(fullName.lastIndexOf('.') + 1);
  const guess = closestName(last, siblings);
  const prefix = container === undefined ? '' : `${container}.`;
  const hint =
    guess !== undefined
      ? `did you mean ${prefix}${guess}?`
      : `check the name with ${LIST_HINT[kind]}${container === undefined || kind === 'catalog' ? '' : ` ${container}`}`;
  return new CatalogError(NOT_FOUND[kind], `${kind} ${fullName} not found; ${hint}`, {
    kind,
    name: fullName,
    ...(guess === undefined ? {} : { suggestion: `${prefix}${guess}` }),
  });
}

export function alreadyExists(
  kind: ObjectKind,
  fullName: string,
  existingKind: ObjectKind = kind,
): CatalogError {
  const what = existingKind === kind ? kind : `${existingKind} (not a ${kind})`;
  const fix =
    kind === 'table' || kind === 'view' || kind === 'function'
      ? 'use IF NOT EXISTS, OR REPLACE or another name'
      : 'use IF NOT EXISTS or another name';
  return new CatalogError('ALREADY_EXISTS', `${what} ${fullName} already exists; ${fix}`, {
    kind,
    existingKind,
    name: fullName,
  });
}
