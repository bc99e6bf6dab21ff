// The metastore contract: names, locations, ownership and comments for every securable, plus the
// identities that own them. Backends (SQLite, PostgreSQL) must pass the same contract suite.
import type {
  AuthResult,
  CreatedToken,
  CreateTokenSpec,
  CreateUserSpec,
  GroupInfo,
  Principal,
  TokenInfo,
  UserInfo,
} from './identity-types.js';
import type { ObjectRef, SchemaRef } from './names.js';
import type {
  AlterSpec,
  CatalogInfo,
  CreateCatalogSpec,
  CreateFunctionSpec,
  CreateMode,
  CreateResult,
  CreateSchemaSpec,
  CreateTableSpec,
  CreateViewSpec,
  CreateVolumeSpec,
  DropContainerOptions,
  DropOptions,
  Dropped,
  FunctionInfo,
  ListOptions,
  ObjectInfo,
  RelationInfo,
  SchemaInfo,
  TableInfo,
  ViewInfo,
  VolumeInfo,
} from './types.js';

export type ObjectKindFilter = ObjectInfo['kind'];

export interface CatalogStore {
  /** Where managed tables go when neither their schema nor catalog names a storage root. */
  readonly warehouseRoot: string | undefined;

  createCatalog(spec: CreateCatalogSpec, mode?: 'error' | 'ifNotExists'): Promise<CreateResult<CatalogInfo>>;
  getCatalog(name: string): Promise<CatalogInfo>;
  listCatalogs(options?: ListOptions): Promise<CatalogInfo[]>;
  alterCatalog(name: string, spec: AlterSpec): Promise<CatalogInfo>;
  dropCatalog(name: string, options?: DropContainerOptions): Promise<Dropped | undefined>;

  createSchema(spec: CreateSchemaSpec, mode?: 'error' | 'ifNotExists'): Promise<CreateResult<SchemaInfo>>;
  getSchema(name: SchemaRef): Promise<SchemaInfo>;
  listSchemas(catalog: string, options?: ListOptions): Promise<SchemaInfo[]>;
  alterSchema(name: SchemaRef, spec: AlterSpec): Promise<SchemaInfo>;
  dropSchema(name: SchemaRef, options?: DropContainerOptions): Promise<Dropped | undefined>;

  /** OR REPLACE keeps the table's id and location, as a Delta replace keeps its log. */
  createTable(spec: CreateTableSpec, mode?: CreateMode): Promise<CreateResult<TableInfo>>;
  getTable(name: ObjectRef): Promise<TableInfo>;
  alterTable(name: ObjectRef, spec: AlterSpec): Promise<TableInfo>;
  /** Renames within a catalog (another schema is fine); the location does not move. */
  renameTable(from: ObjectRef, to: ObjectRef): Promise<TableInfo>;
  dropTable(name: ObjectRef, options?: DropOptions): Promise<TableInfo | undefined>;

  createView(spec: CreateViewSpec, mode?: CreateMode): Promise<CreateResult<ViewInfo>>;
  getView(name: ObjectRef): Promise<ViewInfo>;
  alterView(name: ObjectRef, spec: AlterSpec & { readonly sql?: string }): Promise<ViewInfo>;
  renameView(from: ObjectRef, to: ObjectRef): Promise<ViewInfo>;
  dropView(name: ObjectRef, options?: DropOptions): Promise<ViewInfo | undefined>;

  /** Tables and views share one namespace (as in Unity Catalog); SHOW TABLES lists both. */
  listTables(
    schema: SchemaRef,
    options?: ListOptions & { readonly kind?: 'table' | 'view' },
  ): Promise<RelationInfo[]>;

  createFunction(spec: CreateFunctionSpec, mode?: CreateMode): Promise<CreateResult<FunctionInfo>>;
  getFunction(name: ObjectRef): Promise<FunctionInfo>;
  listFunctions(schema: SchemaRef, options?: ListOptions): Promise<FunctionInfo[]>;
  dropFunction(name: ObjectRef, options?: DropOptions): Promise<FunctionInfo | undefined>;

  createVolume(spec: CreateVolumeSpec, mode?: 'error' | 'ifNotExists'): Promise<CreateResult<VolumeInfo>>;
  getVolume(name: ObjectRef): Promise<VolumeInfo>;
  listVolumes(schema: SchemaRef, options?: ListOptions): Promise<VolumeInfo[]>;
  alterVolume(name: ObjectRef, spec: AlterSpec): Promise<VolumeInfo>;
  dropVolume(name: ObjectRef, options?: DropOptions): Promise<VolumeInfo | undefined>;

  /**
   * What a three-part name refers to, or undefined (never throws for a missing catalog or schema).
   * Searched in `kinds` order; the default is table/view, then volume, then function.
   */
  lookup(name: ObjectRef, kinds?: readonly ObjectKindFilter[]): Promise<ObjectInfo | undefined>;
}

export interface IdentityStore {
  createUser(spec: CreateUserSpec): Promise<CreateResult<UserInfo>>;
  getPrincipal(name: string): Promise<UserInfo | GroupInfo | undefined>;
  listUsers(options?: ListOptions): Promise<UserInfo[]>;
  setPassword(user: string, password: string): Promise<void>;
  setUserDisabled(user: string, disabled: boolean): Promise<void>;
  /** Fails with PRINCIPAL_IN_USE while the principal owns objects. */
  dropPrincipal(name: string, options?: DropOptions): Promise<Principal | undefined>;

  createGroup(name: string, mode?: 'error' | 'ifNotExists'): Promise<CreateResult<GroupInfo>>;
  listGroups(options?: ListOptions): Promise<GroupInfo[]>;
  /** Members may be users or groups; a membership that would form a cycle fails with GROUP_CYCLE. */
  addGroupMember(group: string, member: string): Promise<void>;
  removeGroupMember(group: string, member: string): Promise<boolean>;
  groupMembers(group: string): Promise<Principal[]>;
  /** Every group the principal is in, directly or through nested groups, sorted by name. */
  groupsOf(principal: string): Promise<string[]>;

  authenticate(user: string, password: string): Promise<AuthResult>;
  createToken(user: string, spec?: CreateTokenSpec): Promise<CreatedToken>;
  authenticateToken(token: string): Promise<AuthResult>;
  listTokens(user: string): Promise<TokenInfo[]>;
  revokeToken(id: string): Promise<boolean>;
  /** PostgreSQL-format SCRAM-SHA-256 verifier, for a pg-wire server's SASL exchange. */
  scramVerifier(user: string): Promise<string | undefined>;
}

export interface Metastore extends CatalogStore, IdentityStore {
  readonly backend: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
