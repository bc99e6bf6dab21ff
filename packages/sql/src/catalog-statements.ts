// Runs statements against a metastore: catalog statements here, everything else after named tables
// and views are resolved to the path-based form the rest of the session already runs.
import { rm } from 'node:fs/promises';
import {
  type Metastore,
  type ObjectName,
  resolveName,
  resolveSchema,
  type SchemaName,
  type TableInfo,
} from '@loch/catalog';
import type { Engine, QueryResult } from '@loch/engine-duckdb';
import type { Statement } from './ast.js';
import {
  describeFunction,
  describeNamedTable,
  isUrl,
  listVolume,
  showCreateTable,
  showObjects,
  text,
} from './catalog-results.js';
import { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import { catalogToSqlError, metastoreResolver } from './metastore-resolver.js';
import { resolveNames, VIEW_CONTEXT_KEYS } from './name-resolution.js';
import { type CatalogStatement, parseCatalogStatement } from './parse-catalog.js';
import { parseStatement } from './parser.js';
import { type StatementText, splitStatements } from './split-statements.js';
import { loadFunctions, registerFunction } from './sql-functions.js';
import type { TableOpener } from './sql-table.js';
import { quoteIdent, tokenize } from './tokenizer.js';

export interface CatalogHost {
  readonly engine: Engine;
  readonly openTable: TableOpener;
  run(stmt: Statement): Promise<QueryResult>;
  resolveLocation(location: string): string;
  /** delta.`path` references replaced by their scans (the SQL DuckDB would run). */
  rewriteQuery(sql: string): Promise<string>;
}

const EMPTY: QueryResult = { columns: [], rows: [] };

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
      this.#functionsLoaded ??= loadFunctions(this.#metastore, this.#host.engine, (sql, at) =>
        this.resolve(sql, at),
      );
      await this.#functionsLoaded;
      const catalogStmt = parseCatalogStatement(stmt, script);
      if (catalogStmt !== undefined && !(await this.#isDuckDbDrop(catalogStmt)))
        return { kind: catalogStmt.kind, result: await this.#runCatalog(catalogStmt) };
      const sql = await this.resolve(stmt.sql);
      const parsed =
        sql === stmt.sql ? parseStatement(stmt, script) : parseStatement(splitStatements(sql)[0]!);
      return { kind: parsed.kind, result: await this.#host.run(parsed) };
    } catch (e) {
      throw catalogToSqlError(e);
    }
  }

  /** DROP TABLE|VIEW of a DuckDB temp relation the metastore does not know: DuckDB's to run. */
  async #isDuckDbDrop(s: CatalogStatement): Promise<boolean> {
    if (s.kind !== 'drop' || (s.what !== 'table' && s.what !== 'view') || s.name.length !== 1) return false;
    if ((await this.#metastore.lookup(this.#name(s.name), ['table', 'view'])) !== undefined) return false;
    return metastoreResolver(this.#metastore, this.#host.engine, this.#current).engineHasRelation(s.name[0]!);
  }

  /** The location of the named table (`t`, `schema.t` or `catalog.schema.t`, backticks allowed). */
  async locate(name: string): Promise<string> {
    const c = new Cursor(tokenize(name), name);
    const parts = c.qualifiedName('a table name');
    c.expectEnd();
    try {
      return (await this.#table(parts)).location;
    } catch (e) {
      throw catalogToSqlError(e);
    }
  }

  /** `sql` with named tables as delta.`location` and views expanded. */
  resolve(sql: string, current: SchemaName = this.#current): Promise<string> {
    return resolveNames(sql, metastoreResolver(this.#metastore, this.#host.engine, current));
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
        return showObjects(this.#metastore, s, this.#current, (p) => this.#schema(p));
      case 'showColumns': {
        const described = await describeNamedTable(this.#host, await this.#table(s.table), '', false);
        const cols: unknown[][] = [];
        for (const row of described.rows) {
          const n = String(row[0] ?? '');
          if (n === '' || n.startsWith('#')) break;
          cols.push([n]);
        }
        return text(['col_name'], cols);
      }
      case 'showCreateTable':
        return showCreateTable(this.#host, await this.#table(s.table));
      case 'describeTable':
        return describeNamedTable(this.#host, await this.#table(s.table), s.rest, s.extended);
      case 'describeFunction':
        return describeFunction(await ms.getFunction(this.#name(s.name)), s.extended);
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
        await this.#host.engine.describe(`SELECT * FROM (${await this.#host.rewriteQuery(resolved)})`);
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
        if (status !== 'existed')
          await registerFunction(this.#host.engine, object, (sql, at) => this.resolve(sql, at));
        return EMPTY;
      }
      case 'list':
        return listVolume(this.#metastore, s.path, s.limit);
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

  async #table(parts: readonly string[]): Promise<TableInfo> {
    return this.#metastore.getTable(this.#name(parts));
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
}

const fmt = (n: ObjectName): string => `${n.catalog}.${n.schema}.${n.name}`;
const fmtSchema = (s: SchemaName): string => `${s.catalog}.${s.schema}`;
