// Runs statements against a metastore: catalog statements here, everything else after named tables
// and views are resolved to the path-based form the rest of the session already runs.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FunctionInfo,
  isCatalogError,
  type Metastore,
  type ObjectName,
  resolveName,
  resolveSchema,
  type SchemaName,
  type TableInfo,
} from '@loch/catalog';
import type { Engine, QueryResult } from '@loch/engine-duckdb';
import { toDuckType } from '@loch/engine-duckdb';
import type { Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { parseDataType } from './data-types.js';
import { SqlError } from './errors.js';
import { type NameResolver, resolveNames, VIEW_CONTEXT_KEYS } from './name-resolution.js';
import { type CatalogStatement, parseCatalogStatement } from './parse-catalog.js';
import { parseStatement } from './parser.js';
import { type StatementText, splitStatements } from './split-statements.js';
import type { TableOpener } from './sql-table.js';
import { quoteIdent, quoteString, tokenize } from './tokenizer.js';

export interface CatalogHost {
  readonly engine: Engine;
  readonly openTable: TableOpener;
  run(stmt: Statement): Promise<QueryResult>;
  resolveLocation(location: string): string;
}

const EMPTY: QueryResult = { columns: [], rows: [] };

const text = (names: readonly string[], rows: readonly (readonly unknown[])[]): QueryResult => ({
  columns: names.map((name) => ({ name, type: 'VARCHAR' })),
  rows,
});

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

const isUrl = (location: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://');

export class CatalogSession {
  readonly #metastore: Metastore;
  readonly #host: CatalogHost;
  readonly #owner: string;
  #current: SchemaName = { catalog: 'main', schema: 'default' };
  #functionsLoaded: Promise<void> | undefined;

  constructor(metastore: Metastore, host: CatalogHost, owner = 'admin') {
    this.#metastore = metastore;
    this.#host = host;
    this.#owner = owner;
  }

  get current(): SchemaName {
    return this.#current;
  }

  /** One statement of a script, with catalog names resolved at the moment it runs. */
  async execute(
    stmt: StatementText,
    script: string,
  ): Promise<{ kind: Statement['kind'] | CatalogStatement['kind']; result: QueryResult }> {
    try {
      this.#functionsLoaded ??= this.#loadFunctions();
      await this.#functionsLoaded;
      const catalogStmt = parseCatalogStatement(stmt, script);
      if (catalogStmt !== undefined)
        return { kind: catalogStmt.kind, result: await this.#runCatalog(catalogStmt) };
      const sql = await this.resolve(stmt.sql);
      const parsed =
        sql === stmt.sql ? parseStatement(stmt, script) : parseStatement(splitStatements(sql)[0]!);
      return { kind: parsed.kind, result: await this.#host.run(parsed) };
    } catch (e) {
      throw catalogToSqlError(e);
    }
  }

  /** `sql` with named tables as delta.`location` and views expanded. */
  resolve(sql: string, current: SchemaName = this.#current): Promise<string> {
    return resolveNames(sql, this.#resolver(current));
  }

  #resolver(current: SchemaName): NameResolver {
    const ms = this.#metastore;
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
        const r = await this.#host.engine.query(
          `SELECT 1 FROM duckdb_databases() WHERE database_name = ${quoteString(name)}`,
        );
        return r.rows.length > 0;
      },
      engineHasRelation: async (name) => {
        const q = quoteString(name);
        const r = await this.#host.engine.query(
          `SELECT 1 FROM duckdb_tables() WHERE table_name = ${q} UNION ALL SELECT 1 FROM duckdb_views() WHERE view_name = ${q}`,
        );
        return r.rows.length > 0;
      },
    };
  }

  #name(parts: readonly string[]): ObjectName {
    return resolveName(parts, this.#current);
  }

  #schema(parts: readonly string[]): SchemaName {
    return resolveSchema(parts, this.#current.catalog);
  }

  async #runCatalog(s: CatalogStatement): Promise<QueryResult> {
    const ms = this.#metastore;
    switch (s.kind) {
      case 'use': {
        if (s.what === 'catalog') {
          await ms.getCatalog(s.name.join('.'));
          this.#current = { catalog: s.name[0]!.toLowerCase(), schema: 'default' };
        } else {
          const schema = this.#schema(s.name);
          await ms.getSchema(schema);
          this.#current = schema;
        }
        return EMPTY;
      }
      case 'createContainer': {
        const common = {
          owner: this.#owner,
          properties: s.properties,
          ...(s.comment === undefined ? {} : { comment: s.comment }),
          ...(s.location === undefined ? {} : { storageRoot: this.#host.resolveLocation(s.location) }),
        };
        const mode = s.ifNotExists ? 'ifNotExists' : 'error';
        if (s.what === 'catalog') await ms.createCatalog({ name: s.name.join('.'), ...common }, mode);
        else await ms.createSchema({ name: fmtSchema(this.#schema(s.name)), ...common }, mode);
        return EMPTY;
      }
      case 'dropContainer': {
        const options = { ifExists: s.ifExists, cascade: s.cascade };
        const dropped =
          s.what === 'catalog'
            ? await ms.dropCatalog(s.name.join('.'), options)
            : await ms.dropSchema(this.#schema(s.name), options);
        for (const t of dropped?.tables ?? []) await this.#deleteManaged(t);
        return EMPTY;
      }
      case 'drop':
        return this.#drop(s.what, this.#name(s.name), s.ifExists);
      case 'show':
        return this.#show(s);
      case 'showColumns': {
        const described = await this.#describe(s.table, '', false);
        const cols: unknown[][] = [];
        for (const row of described.rows) {
          const n = String(row[0] ?? '');
          if (n === '' || n.startsWith('#')) break;
          cols.push([n]);
        }
        return text(['col_name'], cols);
      }
      case 'showCreateTable':
        return this.#showCreate(s.table);
      case 'describeTable':
        return this.#describe(s.table, s.rest, s.extended);
      case 'describeContainer': {
        const info =
          s.what === 'catalog'
            ? await ms.getCatalog(s.name.join('.'))
            : await ms.getSchema(this.#schema(s.name));
        const rows: unknown[][] = [
          [s.what === 'catalog' ? 'Catalog Name' : 'Namespace Name', info.displayName],
          ['Comment', info.comment ?? ''],
          ['Location', info.storageRoot ?? ''],
          ['Owner', info.owner],
        ];
        return text(['info_name', 'info_value'], rows);
      }
      case 'comment': {
        const spec = { comment: s.comment };
        if (s.what === 'catalog') await ms.alterCatalog(s.name.join('.'), spec);
        else if (s.what === 'schema') await ms.alterSchema(this.#schema(s.name), spec);
        else if (s.what === 'table') await ms.alterTable(this.#name(s.name), spec);
        else await ms.alterVolume(this.#name(s.name), spec);
        return EMPTY;
      }
      case 'rename': {
        const from = this.#name(s.from);
        const to = s.to.length === 1 ? { ...from, name: s.to[0]!.toLowerCase() } : this.#name(s.to);
        if (s.what === 'table') await ms.renameTable(from, to);
        else await ms.renameView(from, to);
        return EMPTY;
      }
      case 'createTable':
        return this.#createTable(s);
      case 'createView': {
        const name = this.#name(s.name);
        // Validate now (as Databricks does): a view over a missing table fails at CREATE time.
        const resolved = await this.resolve(s.query);
        await this.#host.engine.describe(`SELECT * FROM (${await this.#rewrite(resolved)})`);
        const mode = s.orReplace ? 'orReplace' : s.ifNotExists ? 'ifNotExists' : 'error';
        await ms.createView(
          {
            name: fmt(name),
            owner: this.#owner,
            sql: s.query,
            properties: {
              'view.catalogAndNamespace.numParts': '2',
              [VIEW_CONTEXT_KEYS[0]]: this.#current.catalog,
              [VIEW_CONTEXT_KEYS[1]]: this.#current.schema,
            },
            ...(s.comment === undefined ? {} : { comment: s.comment }),
          },
          mode,
        );
        return EMPTY;
      }
      case 'createFunction': {
        const name = this.#name(s.name);
        if (/^TABLE\b/i.test(s.returnType)) {
          throw new SqlError(
            'UNSUPPORTED',
            `table function ${fmt(name)}: only scalar SQL functions (RETURNS <type>) are supported`,
          );
        }
        const mode = s.orReplace ? 'orReplace' : s.ifNotExists ? 'ifNotExists' : 'error';
        const { status, object } = await ms.createFunction(
          {
            name: fmt(name),
            owner: this.#owner,
            params: s.params,
            returnType: s.returnType,
            body: s.body,
            deterministic: s.deterministic,
            ...(s.comment === undefined ? {} : { comment: s.comment }),
          },
          mode,
        );
        if (status !== 'existed') await this.#registerFunction(object);
        return EMPTY;
      }
      case 'list':
        return this.#list(s.path, s.limit);
      case 'createVolume': {
        const name = this.#name(s.name);
        await ms.createVolume(
          {
            name: fmt(name),
            owner: this.#owner,
            ...(s.location === undefined ? {} : { location: this.#host.resolveLocation(s.location) }),
            ...(s.comment === undefined ? {} : { comment: s.comment }),
          },
          s.ifNotExists ? 'ifNotExists' : 'error',
        );
        return EMPTY;
      }
    }
  }

  /** LIST of a volume path: the files and folders directly inside, Databricks' columns. */
  async #list(path: string, limit: number | undefined): Promise<QueryResult> {
    const m = /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path.replace(/\/+$/, ''));
    if (m === null) {
      throw new SqlError(
        'UNSUPPORTED',
        `LIST ${quoteString(path)}: only volume paths /Volumes/<catalog>/<schema>/<volume>[/dir] can be listed`,
        { path },
      );
    }
    const volume = await this.#metastore.getVolume({ catalog: m[1]!, schema: m[2]!, name: m[3]! });
    if (isUrl(volume.location)) {
      throw new SqlError(
        'UNSUPPORTED',
        `LIST of volume ${volume.fullName} at ${volume.location}: only local volumes can be listed`,
      );
    }
    const dir = join(volume.location.replace(/^file:\/\//, ''), m[4] ?? '');
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' && m[4] === undefined) return [];
      throw new SqlError(
        'INVALID_ARGUMENT',
        `LIST ${quoteString(path)}: ${e.code === 'ENOENT' ? 'no such directory' : e.message}`,
        { path },
      );
    });
    const rows: unknown[][] = [];
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit)) {
      const st = await stat(join(dir, e.name));
      const name = e.isDirectory() ? `${e.name}/` : e.name;
      rows.push([
        `${path.replace(/\/+$/, '')}/${name}`,
        name,
        BigInt(e.isDirectory() ? 0 : st.size),
        BigInt(Math.trunc(st.mtimeMs)),
      ]);
    }
    return {
      columns: [
        { name: 'path', type: 'VARCHAR' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'size', type: 'BIGINT' },
        { name: 'modification_time', type: 'BIGINT' },
      ],
      rows,
    };
  }

  /** The rewrite the session applies to queries (delta.`path` -> scan), for validation. */
  async #rewrite(sql: string): Promise<string> {
    const host = this.#host as CatalogHost & { rewriteQuery?: (sql: string) => Promise<string> };
    return host.rewriteQuery ? host.rewriteQuery(sql) : sql;
  }

  async #drop(
    what: 'table' | 'view' | 'function' | 'volume',
    name: ObjectName,
    ifExists: boolean,
  ): Promise<QueryResult> {
    const ms = this.#metastore;
    if (what === 'table') {
      const dropped = await ms.dropTable(name, { ifExists });
      if (dropped) await this.#deleteManaged(dropped);
    } else if (what === 'view') await ms.dropView(name, { ifExists });
    else if (what === 'function') {
      const dropped = await ms.dropFunction(name, { ifExists });
      if (dropped)
        await this.#host.engine
          .run(`DROP MACRO IF EXISTS ${quoteIdent(dropped.name)}`)
          .catch(() => undefined);
    } else {
      const dropped = await ms.dropVolume(name, { ifExists });
      if (dropped?.volumeType === 'managed' && !isUrl(dropped.location))
        await rm(dropped.location, { recursive: true, force: true });
    }
    return EMPTY;
  }

  async #deleteManaged(t: TableInfo): Promise<void> {
    // External data belongs to whoever wrote it; only managed tables are the warehouse's to delete.
    if (t.tableType !== 'managed' || isUrl(t.location)) return;
    await rm(t.location.replace(/^file:\/\//, ''), { recursive: true, force: true });
  }

  async #show(s: Extract<CatalogStatement, { kind: 'show' }>): Promise<QueryResult> {
    const ms = this.#metastore;
    const like = s.like === undefined ? {} : { like: s.like };
    if (s.what === 'catalogs')
      return text(
        ['catalog'],
        (await ms.listCatalogs(like)).map((c) => [c.name]),
      );
    if (s.what === 'schemas') {
      const catalog = s.in?.join('.') ?? this.#current.catalog;
      return text(
        ['databaseName'],
        (await ms.listSchemas(catalog, like)).map((x) => [x.name]),
      );
    }
    const schema = s.in === undefined ? this.#current : this.#schema(s.in);
    if (s.what === 'functions')
      return text(
        ['function'],
        (await ms.listFunctions(schema, like)).map((f) => [f.fullName]),
      );
    if (s.what === 'volumes')
      return text(
        ['database', 'volume_name'],
        (await ms.listVolumes(schema, like)).map((v) => [v.schema, v.name]),
      );
    const kind = s.what === 'views' ? { kind: 'view' as const } : {};
    const rel = await ms.listTables(schema, { ...like, ...kind });
    return {
      columns: [
        { name: 'database', type: 'VARCHAR' },
        { name: 'tableName', type: 'VARCHAR' },
        { name: 'isTemporary', type: 'BOOLEAN' },
      ],
      rows: rel.map((r) => [r.schema, r.name, false]),
    };
  }

  async #table(parts: readonly string[]): Promise<TableInfo> {
    return this.#metastore.getTable(this.#name(parts));
  }

  async #describe(parts: readonly string[], rest: string, extended: boolean): Promise<QueryResult> {
    const info = await this.#table(parts);
    const ref = `delta.\`${info.location.replaceAll('`', '``')}\``;
    const base = await this.#host.run(parseStatement(splitStatements(`DESCRIBE TABLE ${ref}${rest}`)[0]!));
    if (!extended) return base;
    const detail = await this.#detail(info);
    const props = Object.entries(detail.properties)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const row = (k: string, v: string): unknown[] => [k, v, ''];
    const extra: unknown[][] = [
      row('', ''),
      row('# Detailed Table Information', ''),
      row('Catalog', info.catalog),
      row('Database', info.schema),
      row('Table', info.name),
      row('Created Time', info.createdAt.toISOString()),
      row('Owner', info.owner),
      row('Type', info.tableType.toUpperCase()),
      row('Location', info.location),
      row('Provider', 'delta'),
      ...(info.comment === undefined ? [] : [row('Comment', info.comment)]),
      row('Table Properties', `[${props}]`),
    ];
    return { columns: base.columns, rows: [...base.rows, ...extra] };
  }

  async #detail(
    info: TableInfo,
  ): Promise<{ properties: Record<string, unknown>; partitionColumns: unknown }> {
    const ref = `delta.\`${info.location.replaceAll('`', '``')}\``;
    const r = await this.#host.run(parseStatement(splitStatements(`DESCRIBE DETAIL ${ref}`)[0]!));
    const at = (col: string): unknown => r.rows[0]?.[r.columns.findIndex((c) => c.name === col)];
    const props = at('properties');
    const properties: Record<string, unknown> = {};
    if (props instanceof Map) for (const [k, v] of props) properties[String(k)] = v;
    else if (props !== null && typeof props === 'object') {
      const entries = (props as { entries?: unknown }).entries;
      if (Array.isArray(entries))
        for (const e of entries as { key: unknown; value: unknown }[]) properties[String(e.key)] = e.value;
      else Object.assign(properties, props);
    }
    return { properties, partitionColumns: at('partitionColumns') };
  }

  async #showCreate(parts: readonly string[]): Promise<QueryResult> {
    const info = await this.#table(parts);
    const described = await this.#describe(parts, '', false);
    const cols: string[] = [];
    const partitions: string[] = [];
    let inPartitions = false;
    for (const row of described.rows) {
      const n = String(row[0] ?? '');
      if (n === '# Partition Information') inPartitions = true;
      if (n === '' || n.startsWith('#')) continue;
      if (inPartitions) partitions.push(quoteIdent(n).replaceAll('"', '`'));
      else
        cols.push(`  \`${n}\` ${String(row[1])}${row[2] ? ` COMMENT ${quoteString(String(row[2]))}` : ''}`);
    }
    const { properties } = await this.#detail(info);
    let sql = `CREATE TABLE ${info.fullName} (\n${cols.join(',\n')})\nUSING delta\n`;
    if (partitions.length > 0) sql += `PARTITIONED BY (${partitions.join(', ')})\n`;
    if (info.comment !== undefined) sql += `COMMENT ${quoteString(info.comment)}\n`;
    if (info.tableType === 'external') sql += `LOCATION ${quoteString(info.location)}\n`;
    const props = Object.entries(properties).map(
      ([k, v]) => `  ${quoteString(k)} = ${quoteString(String(v))}`,
    );
    if (props.length > 0) sql += `TBLPROPERTIES (\n${props.join(',\n')})\n`;
    return text(['createtab_stmt'], [[sql]]);
  }

  async #createTable(s: Extract<CatalogStatement, { kind: 'createTable' }>): Promise<QueryResult> {
    const ms = this.#metastore;
    const name = this.#name(s.name);
    const existing = await ms.lookup(name, ['table', 'view']);
    if (existing !== undefined && existing.kind === 'view') {
      throw new SqlError(
        'TABLE_ALREADY_EXISTS',
        `view (not a table) ${fmt(name)} already exists; drop it first or use another name`,
        { table: fmt(name) },
      );
    }
    if (existing !== undefined && s.ifNotExists) return EMPTY;
    if (existing !== undefined && !s.orReplace) {
      throw new SqlError(
        'TABLE_ALREADY_EXISTS',
        `table ${fmt(name)} already exists; use IF NOT EXISTS, OR REPLACE or another name`,
        { table: fmt(name) },
      );
    }
    if (existing === undefined && s.replaceOnly) {
      throw new SqlError(
        'TABLE_NOT_FOUND',
        `table ${fmt(name)} does not exist; use CREATE OR REPLACE TABLE to create it`,
        { table: fmt(name) },
      );
    }
    const meta = {
      ...(s.comment === undefined ? {} : { comment: s.comment }),
      properties: s.properties,
    };
    let info: TableInfo;
    let registered = false;
    if (existing !== undefined && existing.kind === 'table') info = existing;
    else {
      const location = s.location === undefined ? undefined : this.#host.resolveLocation(s.location);
      const created = await ms.createTable({
        name: fmt(name),
        owner: this.#owner,
        ...(location === undefined ? {} : { location }),
        ...meta,
      });
      info = created.object;
      registered = true;
    }
    try {
      // AS <query> may read named tables and views too.
      const stmt = parseStatement(splitStatements(await this.resolve(s.pathSql(info.location)))[0]!);
      if (stmt.kind !== 'createTable')
        throw new SqlError(
          'INVALID_ARGUMENT',
          `CREATE TABLE ${fmt(name)} could not be parsed as a Delta table definition`,
        );
      const registersExisting =
        stmt.columns === undefined &&
        stmt.query === undefined &&
        (await this.#host.openTable(info.location).exists());
      if (!registersExisting) await this.#host.run({ ...stmt, name: fmt(name) });
      if (!registered) await ms.alterTable(name, meta);
    } catch (e) {
      if (registered) {
        await ms.dropTable(name, { ifExists: true }).catch(() => undefined);
        await this.#deleteManaged(info).catch(() => undefined);
      }
      throw e;
    }
    return EMPTY;
  }

  async #loadFunctions(): Promise<void> {
    const ms = this.#metastore;
    for (const catalog of await ms.listCatalogs()) {
      for (const schema of await ms.listSchemas(catalog.name)) {
        for (const fn of await ms.listFunctions({ catalog: schema.catalog, schema: schema.name }))
          await this.#registerFunction(fn).catch(() => undefined);
      }
    }
  }

  /** A SQL UDF as a DuckDB macro under its bare name (DuckDB has no three-level function names). */
  async #registerFunction(fn: FunctionInfo): Promise<void> {
    const params = fn.params.map((p) =>
      p.default === undefined ? quoteIdent(p.name) : `${quoteIdent(p.name)} := ${p.default}`,
    );
    const body = await this.resolve(fn.body, { catalog: fn.catalog, schema: fn.schema });
    const duckType = duckTypeOf(fn.returnType);
    const expr = duckType === undefined ? `(${body})` : `CAST((${body}) AS ${duckType})`;
    await this.#host.engine.run(
      `CREATE OR REPLACE MACRO ${quoteIdent(fn.name)}(${params.join(', ')}) AS ${expr}`,
    );
  }
}

function duckTypeOf(type: string): string | undefined {
  try {
    const c = new Cursor(tokenize(type), type);
    const t = parseDataType(c);
    return c.atEnd() ? toDuckType(t) : undefined;
  } catch {
    return undefined;
  }
}

const fmt = (n: ObjectName): string => `${n.catalog}.${n.schema}.${n.name}`;
const fmtSchema = (s: SchemaName): string => `${s.catalog}.${s.schema}`;
