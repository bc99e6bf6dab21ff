// The records the metastore holds. Columns are deliberately absent: a table's schema lives in its
// Delta log, which is the single source of truth; the metastore maps names to locations.

export type Properties = Readonly<Record<string, string>>;

interface Owned {
  /** Canonical (lower-case) name of the principal that owns the object. */
  readonly owner: string;
  readonly comment?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CatalogInfo extends Owned {
  readonly kind: 'catalog';
  readonly name: string;
  readonly displayName: string;
  /** MANAGED LOCATION: where managed tables of this catalog go instead of the warehouse root. */
  readonly storageRoot?: string;
  readonly properties: Properties;
}

export interface SchemaInfo extends Owned {
  readonly kind: 'schema';
  readonly catalog: string;
  readonly name: string;
  readonly displayName: string;
  readonly fullName: string;
  readonly storageRoot?: string;
  readonly properties: Properties;
}

interface InSchema extends Owned {
  readonly catalog: string;
  readonly schema: string;
  readonly name: string;
  readonly displayName: string;
  /** `catalog.schema.name`, canonical. */
  readonly fullName: string;
}

export type TableType = 'managed' | 'external';

export interface TableInfo extends InSchema {
  readonly kind: 'table';
  /** Stable id (UUID); managed locations embed it so a dropped-and-recreated name never collides. */
  readonly id: string;
  readonly tableType: TableType;
  readonly location: string;
  readonly format: 'delta';
  /** A snapshot of TBLPROPERTIES for listings; the Delta log stays authoritative. */
  readonly properties: Properties;
}

export interface ViewInfo extends InSchema {
  readonly kind: 'view';
  readonly id: string;
  readonly sql: string;
  readonly properties: Properties;
}

export interface FunctionParam {
  readonly name: string;
  /** SQL type text, e.g. `DECIMAL(18,2)`. */
  readonly type: string;
  /** Default expression text, if the parameter has one. */
  readonly default?: string;
  readonly comment?: string;
}

export interface FunctionInfo extends InSchema {
  readonly kind: 'function';
  readonly id: string;
  readonly params: readonly FunctionParam[];
  /** Return type text; `TABLE(...)` for table functions. */
  readonly returnType: string;
  /** The SQL expression or query after `RETURN`. */
  readonly body: string;
  readonly language: 'SQL';
  readonly deterministic: boolean;
}

export type VolumeType = 'managed' | 'external';

export interface VolumeInfo extends InSchema {
  readonly kind: 'volume';
  readonly id: string;
  readonly volumeType: VolumeType;
  readonly location: string;
}

export type RelationInfo = TableInfo | ViewInfo;
/** What `lookup` finds for a three-part name. */
export type ObjectInfo = TableInfo | ViewInfo | FunctionInfo | VolumeInfo;
export type Securable = CatalogInfo | SchemaInfo | ObjectInfo;

/** How a create behaves when the name is taken. */
export type CreateMode = 'error' | 'ifNotExists' | 'orReplace';

export interface CreateResult<T> {
  /** `existed`: IF NOT EXISTS found the name taken and changed nothing. */
  readonly status: 'created' | 'existed' | 'replaced';
  readonly object: T;
  /** The object that OR REPLACE replaced, so the caller can clean up after it. */
  readonly previous?: T;
}

export interface DropOptions {
  readonly ifExists?: boolean;
}

export interface DropContainerOptions extends DropOptions {
  /** Drop everything inside too (CASCADE); otherwise a non-empty container is an error. */
  readonly cascade?: boolean;
}

/** Everything a drop removed, so the caller can delete managed data afterwards. */
export interface Dropped {
  readonly catalogs: readonly CatalogInfo[];
  readonly schemas: readonly SchemaInfo[];
  readonly tables: readonly TableInfo[];
  readonly views: readonly ViewInfo[];
  readonly functions: readonly FunctionInfo[];
  readonly volumes: readonly VolumeInfo[];
}

export interface ListOptions {
  /** `SHOW ... LIKE` pattern: `*`/`%` any run, `_` one character, `|` alternatives. */
  readonly like?: string;
}

export interface CreateCatalogSpec {
  readonly name: string;
  readonly owner: string;
  readonly comment?: string;
  readonly storageRoot?: string;
  readonly properties?: Properties;
}

export interface CreateSchemaSpec {
  /** `catalog.schema` */
  readonly name: string;
  readonly owner: string;
  readonly comment?: string;
  readonly storageRoot?: string;
  readonly properties?: Properties;
}

export interface CreateTableSpec {
  /** `catalog.schema.table` */
  readonly name: string;
  readonly owner: string;
  /** Given: an external table at this location. Absent: a managed table under the storage root. */
  readonly location?: string;
  readonly comment?: string;
  readonly properties?: Properties;
}

export interface CreateViewSpec {
  readonly name: string;
  readonly owner: string;
  readonly sql: string;
  readonly comment?: string;
  readonly properties?: Properties;
}

export interface CreateFunctionSpec {
  readonly name: string;
  readonly owner: string;
  readonly params: readonly FunctionParam[];
  readonly returnType: string;
  readonly body: string;
  readonly deterministic?: boolean;
  readonly comment?: string;
}

export interface CreateVolumeSpec {
  readonly name: string;
  readonly owner: string;
  /** Given: an external volume. Absent: managed under the storage root. */
  readonly location?: string;
  readonly comment?: string;
}

/** Fields ALTER can change; `null` clears a comment. */
export interface AlterSpec {
  readonly owner?: string;
  readonly comment?: string | null;
  /** Replaces the stored properties snapshot. */
  readonly properties?: Properties;
}
