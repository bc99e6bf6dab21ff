// The Metastore over any SqlDriver: a thin facade over the store modules, so the SQLite and
// PostgreSQL backends share every line of behaviour and differ only in their driver.
import type { CreateTokenSpec, CreateUserSpec, GroupInfo, UserInfo } from './identity-types.js';
import type { Metastore, ObjectKindFilter } from './metastore.js';
import { canonical, type ObjectRef, objectName, type SchemaRef, schemaName } from './names.js';
import type { SqlDriver } from './sql/driver.js';
import * as tokens from './store/access-tokens.js';
import * as containers from './store/containers.js';
import type { StoreContext } from './store/context.js';
import { requireCatalog, requireSchema } from './store/context.js';
import * as ids from './store/identities.js';
import * as rel from './store/relations.js';
import * as rv from './store/routines-volumes.js';
import { toCatalog, toRelation, toSchema } from './store/rows.js';
import type {
  AlterSpec,
  CreateCatalogSpec,
  CreateFunctionSpec,
  CreateMode,
  CreateSchemaSpec,
  CreateTableSpec,
  CreateViewSpec,
  CreateVolumeSpec,
  DropContainerOptions,
  DropOptions,
  ListOptions,
  ObjectInfo,
  TableInfo,
  ViewInfo,
} from './types.js';

const DEFAULT_LOOKUP: readonly ObjectKindFilter[] = ['table', 'view', 'volume', 'function'];

export class SqlMetastore implements Metastore {
  readonly #ctx: StoreContext;
  readonly backend: 'sqlite' | 'postgres';

  constructor(driver: SqlDriver, warehouseRoot: string | undefined, now: () => number = Date.now) {
    this.#ctx = { driver, warehouseRoot, now };
    this.backend = driver.dialect;
  }

  get warehouseRoot(): string | undefined {
    return this.#ctx.warehouseRoot;
  }

  createCatalog(spec: CreateCatalogSpec, mode: 'error' | 'ifNotExists' = 'error') {
    return containers.createCatalog(this.#ctx, spec, mode);
  }
  getCatalog(name: string) {
    const n = canonical(name, 'catalog name');
    return this.#ctx.driver.read(async (tx) => toCatalog(await requireCatalog(tx, n)));
  }
  listCatalogs(options?: ListOptions) {
    return containers.listCatalogs(this.#ctx, options);
  }
  alterCatalog(name: string, spec: AlterSpec) {
    return containers.alterCatalog(this.#ctx, name, spec);
  }
  dropCatalog(name: string, options?: DropContainerOptions) {
    return containers.dropCatalog(this.#ctx, name, options);
  }

  createSchema(spec: CreateSchemaSpec, mode: 'error' | 'ifNotExists' = 'error') {
    return containers.createSchema(this.#ctx, spec, mode);
  }
  getSchema(name: SchemaRef) {
    const s = schemaName(name);
    return this.#ctx.driver.read(async (tx) => toSchema((await requireSchema(tx, s)).schema));
  }
  listSchemas(catalog: string, options?: ListOptions) {
    return containers.listSchemas(this.#ctx, catalog, options);
  }
  alterSchema(name: SchemaRef, spec: AlterSpec) {
    return containers.alterSchema(this.#ctx, name, spec);
  }
  dropSchema(name: SchemaRef, options?: DropContainerOptions) {
    return containers.dropSchema(this.#ctx, name, options);
  }

  createTable(spec: CreateTableSpec, mode: CreateMode = 'error') {
    return rel.createTable(this.#ctx, spec, mode);
  }
  getTable(name: ObjectRef) {
    return rel.getRelation<TableInfo>(this.#ctx, name, 'table');
  }
  alterTable(name: ObjectRef, spec: AlterSpec) {
    return rel.alterRelation<TableInfo>(this.#ctx, name, 'table', spec);
  }
  renameTable(from: ObjectRef, to: ObjectRef) {
    return rel.renameRelation<TableInfo>(this.#ctx, from, to, 'table');
  }
  dropTable(name: ObjectRef, options?: DropOptions) {
    return rel.dropRelation<TableInfo>(this.#ctx, name, 'table', options);
  }

  createView(spec: CreateViewSpec, mode: CreateMode = 'error') {
    return rel.createView(this.#ctx, spec, mode);
  }
  getView(name: ObjectRef) {
    return rel.getRelation<ViewInfo>(this.#ctx, name, 'view');
  }
  alterView(name: ObjectRef, spec: AlterSpec & { readonly sql?: string }) {
    return rel.alterRelation<ViewInfo>(this.#ctx, name, 'view', spec);
  }
  renameView(from: ObjectRef, to: ObjectRef) {
    return rel.renameRelation<ViewInfo>(this.#ctx, from, to, 'view');
  }
  dropView(name: ObjectRef, options?: DropOptions) {
    return rel.dropRelation<ViewInfo>(this.#ctx, name, 'view', options);
  }
  listTables(schema: SchemaRef, options?: ListOptions & { readonly kind?: 'table' | 'view' }) {
    return rel.listRelations(this.#ctx, schema, options);
  }

  createFunction(spec: CreateFunctionSpec, mode: CreateMode = 'error') {
    return rv.createFunction(this.#ctx, spec, mode);
  }
  getFunction(name: ObjectRef) {
    return rv.getFunction(this.#ctx, name);
  }
  listFunctions(schema: SchemaRef, options?: ListOptions) {
    return rv.listFunctions(this.#ctx, schema, options);
  }
  dropFunction(name: ObjectRef, options?: DropOptions) {
    return rv.dropFunction(this.#ctx, name, options);
  }

  createVolume(spec: CreateVolumeSpec, mode: 'error' | 'ifNotExists' = 'error') {
    return rv.createVolume(this.#ctx, spec, mode);
  }
  getVolume(name: ObjectRef) {
    return rv.getVolume(this.#ctx, name);
  }
  listVolumes(schema: SchemaRef, options?: ListOptions) {
    return rv.listVolumes(this.#ctx, schema, options);
  }
  alterVolume(name: ObjectRef, spec: AlterSpec) {
    return rv.alterVolume(this.#ctx, name, spec);
  }
  dropVolume(name: ObjectRef, options?: DropOptions) {
    return rv.dropVolume(this.#ctx, name, options);
  }

  lookup(
    name: ObjectRef,
    kinds: readonly ObjectKindFilter[] = DEFAULT_LOOKUP,
  ): Promise<ObjectInfo | undefined> {
    const n = objectName(name);
    return this.#ctx.driver.read(async (tx) => {
      for (const kind of kinds) {
        if (kind === 'table' || kind === 'view') {
          const row = await rel.findRelation(tx, n);
          if (row?.kind === kind) return toRelation(row);
        } else {
          const found = kind === 'function' ? await rv.findFunction(tx, n) : await rv.findVolume(tx, n);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    });
  }

  createUser(spec: CreateUserSpec) {
    return ids.createUser(this.#ctx, spec);
  }
  getPrincipal(name: string): Promise<UserInfo | GroupInfo | undefined> {
    return this.#ctx.driver.read((tx) => ids.findPrincipal(tx, name.toLowerCase()));
  }
  listUsers(options?: ListOptions) {
    return ids.listPrincipals(this.#ctx, 'user', options);
  }
  setPassword(user: string, password: string) {
    return ids.setPassword(this.#ctx, user, password);
  }
  setUserDisabled(user: string, disabled: boolean) {
    return ids.setUserDisabled(this.#ctx, user, disabled);
  }
  dropPrincipal(name: string, options?: DropOptions) {
    return ids.dropPrincipal(this.#ctx, name, options);
  }
  createGroup(name: string, mode: 'error' | 'ifNotExists' = 'error') {
    return ids.createGroup(this.#ctx, name, mode);
  }
  listGroups(options?: ListOptions) {
    return ids.listPrincipals(this.#ctx, 'group', options);
  }
  addGroupMember(group: string, member: string) {
    return ids.addGroupMember(this.#ctx, group, member);
  }
  removeGroupMember(group: string, member: string) {
    return ids.removeGroupMember(this.#ctx, group, member);
  }
  groupMembers(group: string) {
    return ids.groupMembers(this.#ctx, group);
  }
  groupsOf(principal: string) {
    return ids.groupsOf(this.#ctx, principal);
  }
  authenticate(user: string, password: string) {
    return ids.authenticate(this.#ctx, user, password);
  }
  createToken(user: string, spec?: CreateTokenSpec) {
    return tokens.createToken(this.#ctx, user, spec);
  }
  authenticateToken(token: string) {
    return tokens.authenticateToken(this.#ctx, token);
  }
  listTokens(user: string) {
    return tokens.listTokens(this.#ctx, user);
  }
  revokeToken(id: string) {
    return tokens.revokeToken(this.#ctx, id);
  }
  scramVerifier(user: string) {
    return ids.scramVerifier(this.#ctx, user);
  }

  close(): Promise<void> {
    return this.#ctx.driver.close();
  }
}
