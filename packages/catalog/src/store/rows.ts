// Database rows and their mapping to the public records. Row shapes are the column sets of the
// migration; both backends return the same keys (lower-case, snake_case).
import type { GroupInfo, TokenInfo, UserInfo } from '../identity-types.js';
import type {
  CatalogInfo,
  FunctionInfo,
  FunctionParam,
  Properties,
  SchemaInfo,
  TableInfo,
  ViewInfo,
  VolumeInfo,
} from '../types.js';

interface OwnedRow {
  owner: string;
  comment: string | null;
  created_at: number;
  updated_at: number;
}

export interface CatalogRow extends OwnedRow {
  name: string;
  display_name: string;
  storage_root: string | null;
  properties: string;
}

export interface SchemaRow extends CatalogRow {
  catalog_name: string;
}

interface InSchemaRow extends OwnedRow {
  catalog_name: string;
  schema_name: string;
  name: string;
  display_name: string;
  id: string;
}

export interface RelationRow extends InSchemaRow {
  kind: 'table' | 'view';
  table_type: 'managed' | 'external' | null;
  location: string | null;
  format: string | null;
  view_sql: string | null;
  properties: string;
}

export interface FunctionRow extends InSchemaRow {
  params: string;
  return_type: string;
  body: string;
  language: string;
  deterministic: number;
}

export interface VolumeRow extends InSchemaRow {
  volume_type: 'managed' | 'external';
  location: string;
}

export interface PrincipalRow {
  name: string;
  display_name: string;
  kind: 'user' | 'group';
  disabled: number;
  created_at: number;
  has_password: number | null;
}

export interface TokenRow {
  id: string;
  principal: string;
  comment: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

const owned = (r: OwnedRow) => ({
  owner: r.owner,
  ...(r.comment === null ? {} : { comment: r.comment }),
  createdAt: new Date(Number(r.created_at)),
  updatedAt: new Date(Number(r.updated_at)),
});

const props = (text: string): Properties => Object.freeze(JSON.parse(text) as Record<string, string>);

export const toCatalog = (r: CatalogRow): CatalogInfo => ({
  kind: 'catalog',
  name: r.name,
  displayName: r.display_name,
  ...(r.storage_root === null ? {} : { storageRoot: r.storage_root }),
  properties: props(r.properties),
  ...owned(r),
});

export const toSchema = (r: SchemaRow): SchemaInfo => ({
  kind: 'schema',
  catalog: r.catalog_name,
  name: r.name,
  displayName: r.display_name,
  fullName: `${r.catalog_name}.${r.name}`,
  ...(r.storage_root === null ? {} : { storageRoot: r.storage_root }),
  properties: props(r.properties),
  ...owned(r),
});

const inSchema = (r: InSchemaRow) => ({
  catalog: r.catalog_name,
  schema: r.schema_name,
  name: r.name,
  displayName: r.display_name,
  fullName: `${r.catalog_name}.${r.schema_name}.${r.name}`,
  id: r.id,
  ...owned(r),
});

export const toRelation = (r: RelationRow): TableInfo | ViewInfo =>
  r.kind === 'table'
    ? {
        kind: 'table',
        ...inSchema(r),
        tableType: r.table_type ?? 'managed',
        location: r.location ?? '',
        format: 'delta',
        properties: props(r.properties),
      }
    : { kind: 'view', ...inSchema(r), sql: r.view_sql ?? '', properties: props(r.properties) };

export const toFunction = (r: FunctionRow): FunctionInfo => ({
  kind: 'function',
  ...inSchema(r),
  params: JSON.parse(r.params) as FunctionParam[],
  returnType: r.return_type,
  body: r.body,
  language: 'SQL',
  deterministic: Number(r.deterministic) === 1,
});

export const toVolume = (r: VolumeRow): VolumeInfo => ({
  kind: 'volume',
  ...inSchema(r),
  volumeType: r.volume_type,
  location: r.location,
});

export const toPrincipal = (r: PrincipalRow): UserInfo | GroupInfo =>
  r.kind === 'user'
    ? {
        kind: 'user',
        name: r.name,
        displayName: r.display_name,
        createdAt: new Date(Number(r.created_at)),
        hasPassword: Number(r.has_password ?? 0) === 1,
        disabled: Number(r.disabled) === 1,
      }
    : { kind: 'group', name: r.name, displayName: r.display_name, createdAt: new Date(Number(r.created_at)) };

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(Number(ms)));

export const toToken = (r: TokenRow): TokenInfo => {
  const expiresAt = date(r.expires_at);
  const revokedAt = date(r.revoked_at);
  const lastUsedAt = date(r.last_used_at);
  return {
    id: r.id,
    principal: r.principal,
    ...(r.comment === null ? {} : { comment: r.comment }),
    createdAt: new Date(Number(r.created_at)),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  };
};

export const PRINCIPAL_SELECT = `SELECT p.name, p.display_name, p.kind, p.disabled, p.created_at,
  CASE WHEN c.principal IS NULL THEN 0 ELSE 1 END AS has_password
  FROM principals p LEFT JOIN user_credentials c ON c.principal = p.name`;
