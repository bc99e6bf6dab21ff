// Executes SQL scripts: Loch's own statements go to @loch/table, everything else to the engine
// after each delta.`path` reference is replaced by a scan of the right snapshot.
import { isAbsolute, normalize, resolve } from 'node:path';
import type { Metastore } from '@loch/catalog';
import { DataType, type Snapshot, type StructType } from '@loch/delta';
import { type Engine, type QueryResult, toDuckType } from '@loch/engine-duckdb';
import { missingFileError, type VersionSelector, type WriteOptions, withSessionOverrides } from '@loch/table';
import type { SqlText, Statement, StatementKind } from './ast.js';
import { type CatalogHost, CatalogSession } from './catalog-statements.js';
import { runDml } from './dml-statements.js';
import { SqlError } from './errors.js';
import { runConvert, runCopyInto } from './ingest-statements.js';
import { insertSourceSql } from './insert-source.js';
import { optimizeResultSql, vacuumResultSql } from './maintenance-result-sql.js';
import { runMerge } from './merge-statement.js';
import type { CatalogStatement } from './parse-catalog.js';
import { parseStatement } from './parser.js';
import { type FilterBuilder, findPushdowns } from './pushdown.js';
import {
  isExplain,
  type QueryMetrics,
  queryMetrics,
  type TableScanMetrics,
  tableScanMetrics,
  withPruning,
} from './query-metrics.js';
import {
  describeTableSql,
  detailSql,
  historySql,
  insertResultSql,
  propertiesSql,
  restoreSql,
} from './result-sql.js';
import { rewriteSparkSql } from './spark-compat.js';
import { AUTO_MERGE, RETENTION_CHECK, SparkConf } from './spark-conf.js';
import { splitStatements } from './split-statements.js';
import type { SqlTable, TableOpener } from './sql-table.js';
import {
  alterOperation,
  checkPartitionColumns,
  columnMetadata,
  tableName,
  withTableName,
} from './statement-helpers.js';
import { changesUnsupported, findTableChanges, outsideTableChanges } from './table-changes.js';
import {
  findTableRefs,
  type PathRef,
  type QueryTableRef,
  rewriteTableRefs,
  type TimeTravel,
} from './table-refs.js';
import { quoteIdent, tokenize } from './tokenizer.js';
import { toSqlError } from './wrap-error.js';

const maintenanceUnsupported = (statement: string): SqlError =>
  new SqlError('UNSUPPORTED', `${statement} is not supported by this table implementation`, { statement });

export interface SqlSessionOptions {
  readonly engine: Engine;
  readonly openTable: TableOpener;
  /** Directory relative table paths resolve against (default: the process working directory). */
  readonly baseDir?: string;
  /** Named objects (catalog.schema.table, views, functions, volumes); without it only paths work. */
  readonly metastore?: Metastore;
  /** Owner recorded for objects this session creates (default `admin`). */
  readonly user?: string;
}

export interface StatementResult extends QueryResult {
  readonly statement: StatementKind | CatalogStatement['kind'];
}

const EMPTY: QueryResult = { columns: [], rows: [] };

export class SqlSession {
  readonly #engine: Engine;
  readonly #openTable: TableOpener;
  readonly #baseDir: string;
  readonly #tables = new Map<string, SqlTable>();
  /** The Spark session configuration (SET spark.… = …) of this session. */
  readonly conf = new SparkConf();
  /** Table scans of the query being planned (collected by rewriteQuery while set). */
  #scans: TableScanMetrics[] | undefined;
  #metrics: QueryMetrics[] = [];
  readonly #catalog: CatalogSession | undefined;

  /** Metrics of each query statement of the last `execute` (or `run`), in order. */
  get metrics(): readonly QueryMetrics[] {
    return this.#metrics;
  }

  /** Metrics of the last query statement run. */
  get lastMetrics(): QueryMetrics | undefined {
    return this.#metrics[this.#metrics.length - 1];
  }

  constructor(options: SqlSessionOptions) {
    this.#engine = options.engine;
    this.#openTable = options.openTable;
    this.#baseDir = options.baseDir ?? process.cwd();
    if (options.metastore !== undefined) {
      this.#catalog = new CatalogSession(
        options.metastore,
        {
          engine: this.#engine,
          openTable: this.#openTable,
          run: (stmt) => this.run(stmt),
          resolveLocation: (location) => this.resolveLocation(location),
          rewriteQuery: (sql: string) => this.rewriteQuery(sql),
        } as CatalogHost,
        options.user,
      );
    }
  }

  /** The catalog and schema unqualified names resolve against (USE CATALOG / USE SCHEMA). */
  get currentSchema(): { readonly catalog: string; readonly schema: string } | undefined {
    return this.#catalog?.current;
  }

  /**
   * The location of a named table (`t`, `schema.t`, `catalog.schema.t`), resolved against the
   * current catalog and schema: what `DeltaTable.forName` needs. Fails without a metastore.
   */
  async tableLocation(name: string): Promise<string> {
    if (this.#catalog === undefined) {
      throw new SqlError('UNSUPPORTED', `table names need a metastore: address '${name}' by its path`, {
        table: name,
      });
    }
    return this.#catalog.locate(name);
  }

  /** Runs every statement of `script` in order; stops at the first error (always a SqlError). */
  async execute(script: string): Promise<StatementResult[]> {
    if (this.#catalog !== undefined) return this.#executeNamed(this.#catalog, script);
    // Parse everything first: a syntax error in a later statement must not leave earlier ones applied.
    const statements = splitStatements(script).map((text) => parseStatement(text, script));
    const results: StatementResult[] = [];
    this.#metrics = [];
    for (const [index, stmt] of statements.entries()) {
      try {
        results.push({ statement: stmt.kind, ...(await this.run(stmt)) });
      } catch (e) {
        throw inStatement(e, index, statements.length);
      }
    }
    return results;
  }

  /** With a metastore, names resolve statement by statement: a CREATE is visible to the next one. */
  async #executeNamed(catalog: CatalogSession, script: string): Promise<StatementResult[]> {
    const statements = splitStatements(script);
    const results: StatementResult[] = [];
    this.#metrics = [];
    for (const [index, text] of statements.entries()) {
      try {
        const { kind, result } = await catalog.execute(text, script);
        results.push({ statement: kind, ...result });
      } catch (e) {
        throw inStatement(e, index, statements.length);
      }
    }
    return results;
  }

  /** Resolves a location as written (relative path, absolute path, URL) to what the opener takes. */
  resolveLocation(location: string): string {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
    return isAbsolute(location) ? normalize(location) : resolve(this.#baseDir, location);
  }

  /** The DuckDB SQL a query runs as: every delta.`path` reference replaced by its snapshot's scan. */
  async rewriteQuery(query: SqlText | string): Promise<string> {
    // Spark datetime patterns first: later steps slice the text by token offsets.
    const text = typeof query === 'string' ? query : query.sql;
    // Callers that rewrite a query directly (a pg-wire server streaming it) get named tables resolved too.
    const named = this.#catalog === undefined ? text : await this.#catalog.resolve(text);
    const sql = rewriteSparkSql(named);
    const tokens = tokenize(sql);
    const changes = findTableChanges(sql, tokens);
    const refs = outsideTableChanges(findTableRefs(sql, tokens), changes);
    if (refs.length === 0 && changes.length === 0) return sql;
    const relations = new Map<QueryTableRef, string>();
    // Tables without `scan` (test doubles) cannot prune: no need to ask the engine to parse.
    const prunable = refs.some((r) => this.#table(r).scan !== undefined);
    const pushdowns = prunable
      ? await findPushdowns(this.#engine, sql, refs)
      : new Map<QueryTableRef, FilterBuilder>();
    for (const ref of refs) {
      const table = this.#table(ref);
      const at = await this.#selector(ref.timeTravel);
      if (table.scan === undefined) {
        relations.set(ref, await withTableName(ref, () => table.scanSql(at ? { at } : {})));
        continue;
      }
      const build = pushdowns.get(ref);
      const scan = await withTableName(ref, () =>
        table.scan!({
          ...(at ? { at } : {}),
          ...(build ? { filter: (snapshot: Snapshot) => build(snapshot.schema) } : {}),
        }),
      );
      relations.set(ref, scan.sql);
      this.#scans?.push(tableScanMetrics(ref.location, scan.metrics));
    }
    for (const call of changes) {
      const table = await this.#existing(call);
      if (table.changesSql === undefined) throw changesUnsupported(call.location);
      relations.set(call, await withTableName(call, () => table.changesSql!(call.range)));
    }
    const all = [...relations.keys()].sort((a, b) => a.start - b.start);
    return rewriteTableRefs(
      sql,
      all,
      all.map((r) => relations.get(r)!),
    );
  }

  run(stmt: Statement): Promise<QueryResult> {
    // The session's optimizeWrite/autoCompact switches reach the table layer with this statement.
    return withSessionOverrides(this.conf.tableOverrides(), () => this.#run(stmt));
  }

  async #run(stmt: Statement): Promise<QueryResult> {
    switch (stmt.kind) {
      case 'query': {
        const started = performance.now();
        const scans: TableScanMetrics[] = [];
        this.#scans = scans;
        let sql: string;
        try {
          sql = await this.rewriteQuery(stmt.query);
        } finally {
          this.#scans = undefined;
        }
        const planned = performance.now();
        let result: QueryResult;
        try {
          result = await this.#engine.query(sql);
        } catch (e) {
          throw toSqlError(missingFileError(e), { keepExcerpt: sql === stmt.query.sql });
        }
        this.#metrics.push(queryMetrics(scans, planned - started, performance.now() - planned));
        // Callers that use run() directly (a server session) never reset the list: keep it bounded.
        if (this.#metrics.length > 1000) this.#metrics.splice(0, this.#metrics.length - 1000);
        return isExplain(stmt.query.sql) ? withPruning(result, scans) : result;
      }
      case 'createTable':
        return this.#create(stmt);
      case 'insert':
        return this.#insert(stmt);
      case 'describeHistory': {
        const table = await this.#existing(stmt.table);
        return this.#engine.query(historySql(await table.history(stmt.limit)));
      }
      case 'describeDetail': {
        const table = await this.#existing(stmt.table);
        return this.#engine.query(detailSql(await table.detail()));
      }
      case 'showTblProperties': {
        const table = await this.#existing(stmt.table);
        const { properties } = await table.detail();
        const entries = Object.entries(properties).filter(([k]) => stmt.key === undefined || k === stmt.key);
        return this.#engine.query(propertiesSql(entries));
      }
      case 'describeTable': {
        const table = await this.#existing(stmt.table);
        const at = await this.#selector(stmt.table.timeTravel);
        const snapshot = await table.snapshot(at);
        return this.#engine.query(describeTableSql(snapshot.schema, snapshot.partitionColumns));
      }
      case 'restore': {
        const table = await this.#existing(stmt.table);
        const to = (await this.#selector(stmt.to))!;
        return this.#engine.query(restoreSql(await table.restore(to)));
      }
      case 'alterTable': {
        const table = await this.#existing(stmt.table);
        const op = await alterOperation(stmt.action, table);
        if (op) await table.alter(op);
        return EMPTY;
      }
      case 'delete':
      case 'update':
        return runDml(stmt, await this.#existing(stmt.table), {
          engine: this.#engine,
          rewrite: (sql) => this.rewriteQuery(sql),
        });
      case 'merge':
        return runMerge(stmt, await this.#existing(stmt.table), {
          engine: this.#engine,
          rewrite: (sql) => this.rewriteQuery(sql),
          autoMerge: this.conf.flag(AUTO_MERGE, false),
        });
      case 'optimize':
      case 'vacuum':
        return this.#maintenance(stmt);
      case 'setSession':
        this.conf.set(stmt.key, stmt.value);
        return EMPTY;
      case 'resetSession':
        this.conf.reset(stmt.key);
        return EMPTY;
      case 'showSession':
        return this.#engine.query(propertiesSql(this.conf.show(stmt.key)));
      case 'convertToDelta':
        return runConvert(stmt, this.#table({ location: stmt.location }));
      case 'copyInto':
        return runCopyInto(stmt, await this.#existing(stmt.table), {
          engine: this.#engine,
          resolve: (l) => this.resolveLocation(l),
        });
    }
  }

  async #maintenance(stmt: Extract<Statement, { kind: 'optimize' | 'vacuum' }>): Promise<QueryResult> {
    const table = await this.#existing(stmt.table);
    if (stmt.kind === 'optimize') {
      if (table.optimize === undefined) throw maintenanceUnsupported('OPTIMIZE');
      const where = stmt.where === undefined ? undefined : await this.rewriteQuery(stmt.where);
      const r = await table.optimize({
        ...(where === undefined ? {} : { where }),
        ...(stmt.zOrderBy === undefined ? {} : { zOrderBy: stmt.zOrderBy }),
      });
      return this.#engine.query(optimizeResultSql(r.path, r.metrics));
    }
    if (table.vacuum === undefined) throw maintenanceUnsupported('VACUUM');
    const r = await table.vacuum({
      dryRun: stmt.dryRun,
      enforceRetention: this.conf.flag(RETENTION_CHECK, true),
      ...(stmt.retainHours !== undefined ? { retentionHours: stmt.retainHours } : {}),
    });
    return this.#engine.query(vacuumResultSql(r));
  }

  async #create(stmt: Extract<Statement, { kind: 'createTable' }>): Promise<QueryResult> {
    const table = this.#table(stmt.table);
    const exists = await table.exists();
    const name = tableName(stmt.table);
    if (exists && stmt.ifNotExists) return EMPTY;
    if (exists && !stmt.orReplace) {
      throw new SqlError(
        'TABLE_ALREADY_EXISTS',
        `Table ${name} already exists: use CREATE OR REPLACE TABLE, CREATE TABLE IF NOT EXISTS, or INSERT INTO it`,
        { table: stmt.table.location },
      );
    }
    if (!exists && stmt.replaceOnly) {
      throw new SqlError(
        'TABLE_NOT_FOUND',
        `Table ${name} does not exist: use CREATE OR REPLACE TABLE to create it`,
        {
          table: stmt.table.location,
        },
      );
    }
    // Session defaults (spark.databricks.delta.properties.defaults.*) apply to new tables only.
    const properties = exists ? stmt.properties : this.conf.tableDefaults(stmt.properties);
    // Without a column list or a query the table starts with no columns, as Delta allows
    // (CREATE TABLE t USING DELTA TBLPROPERTIES (...)); ALTER TABLE ADD COLUMNS or a
    // mergeSchema write gives it some.
    if (stmt.columns || !stmt.query) {
      const schema: StructType = DataType.struct(
        (stmt.columns ?? []).map((c) => DataType.field(c.name, c.type, c.nullable, columnMetadata(c))),
      );
      checkPartitionColumns(stmt.partitionedBy, schema, name);
      if (stmt.query) {
        // One commit, as Spark writes it: protocol, metadata (and clustering) with the data.
        const source = await this.#insertSource(
          schema,
          name,
          await this.rewriteQuery(stmt.query),
          undefined,
          false,
        );
        await table.write(source, {
          ...(exists ? { mode: 'overwrite', overwriteSchema: true } : { mode: 'errorIfExists' }),
          schema,
          partitionBy: stmt.partitionedBy,
          ...(stmt.clusterBy === undefined ? {} : { clusterBy: stmt.clusterBy }),
          properties,
          operation: ctasOperation(stmt),
          ...(stmt.comment === undefined ? {} : { description: stmt.comment }),
        });
        return EMPTY;
      }
      await table.create({
        schema,
        partitionColumns: stmt.partitionedBy,
        ...(stmt.clusterBy === undefined ? {} : { clusterBy: stmt.clusterBy }),
        properties,
        ...(stmt.comment === undefined ? {} : { description: stmt.comment }),
        ...(stmt.name === undefined ? {} : { name: stmt.name }),
        ifNotExists: stmt.ifNotExists,
        orReplace: stmt.orReplace,
      });
      return EMPTY;
    }
    const source = await this.rewriteQuery(stmt.query);
    const common = {
      partitionBy: stmt.partitionedBy,
      properties,
      operation: ctasOperation(stmt),
      ...(stmt.clusterBy === undefined ? {} : { clusterBy: stmt.clusterBy }),
      ...(stmt.comment === undefined ? {} : { description: stmt.comment }),
    } as const;
    const options: WriteOptions = exists
      ? { mode: 'overwrite', overwriteSchema: true, ...common }
      : { mode: 'errorIfExists', ...common };
    // Protocol, metadata, clustering and data in one commit (version 0 of a new table).
    await table.write(source, options);
    return EMPTY;
  }

  async #insert(stmt: Extract<Statement, { kind: 'insert' }>): Promise<QueryResult> {
    const table = await this.#existing(stmt.table);
    const query = await this.rewriteQuery(stmt.query);
    const statics: Record<string, string> = {};
    for (const p of stmt.partition ?? []) if (p.value) statics[p.column] = p.value.sql;
    const source = await this.#insertSource(
      table,
      tableName(stmt.table),
      query,
      stmt.columns,
      stmt.byName,
      statics,
    );
    // OVERWRITE ... PARTITION (p = v) replaces only the named partitions (Spark's static overwrite).
    const staticPredicate = Object.entries(statics)
      .map(([col, value]) => `${quoteIdent(col)} = ${value}`)
      .join(' AND ');
    let options: WriteOptions;
    if (stmt.replaceWhere) {
      if (staticPredicate !== '') {
        throw new SqlError(
          'INVALID_ARGUMENT',
          'Use either PARTITION (...) or REPLACE WHERE in an INSERT, not both',
        );
      }
      options = { mode: 'overwrite', replaceWhere: stmt.replaceWhere.sql };
    } else if (stmt.overwrite && staticPredicate !== '')
      options = { mode: 'overwrite', replaceWhere: staticPredicate };
    else options = { mode: stmt.overwrite ? 'overwrite' : 'append' };
    const result = await table.write(source, options);
    return this.#engine.query(insertResultSql(result.numOutputRows));
  }

  async #insertSource(
    table: SqlTable | StructType,
    name: string,
    query: string,
    columns: readonly string[] | undefined,
    byName: boolean,
    staticValues: Readonly<Record<string, string>> = {},
  ): Promise<string> {
    if (byName && columns === undefined) return query;
    // A table that exists, or the declared schema of one being created with the data.
    const schema = 'kind' in table ? table : (await table.snapshot()).schema;
    const described = await this.#engine.describe(`SELECT * FROM (${query})`);
    return insertSourceSql({
      query,
      queryTypes: described.map((c) => c.type),
      tableFields: schema.fields,
      ...(columns === undefined ? {} : { columns }),
      byName,
      staticValues,
      tableName: name,
      duckType: (t) => toDuckType(t),
    });
  }

  #table(ref: PathRef): SqlTable {
    const location = this.resolveLocation(ref.location);
    let table = this.#tables.get(location);
    if (!table) {
      table = this.#openTable(location);
      this.#tables.set(location, table);
    }
    return table;
  }

  async #existing(ref: PathRef): Promise<SqlTable> {
    const table = this.#table(ref);
    if (!(await table.exists())) {
      throw new SqlError(
        'TABLE_NOT_FOUND',
        `Table ${tableName(ref)} does not exist (no Delta log at ${this.resolveLocation(ref.location)}); create it with CREATE TABLE`,
        { table: ref.location },
      );
    }
    return table;
  }

  /** VERSION AS OF n -> {version}; TIMESTAMP AS OF '<literal>' -> {timestamp}; other expressions are evaluated by the engine. */
  async #selector(tt: TimeTravel | undefined): Promise<VersionSelector | undefined> {
    if (!tt) return undefined;
    if (tt.kind === 'version') return { version: tt.version };
    const literal = /^'((?:[^']|'')*)'$/.exec(tt.sql.trim());
    if (literal) return { timestamp: literal[1]!.replaceAll("''", "'") };
    const result = await this.#engine.query(`SELECT epoch_ms(CAST((${tt.sql}) AS TIMESTAMPTZ)) AS ms`);
    const ms = result.rows[0]?.[0];
    if (typeof ms !== 'bigint' && typeof ms !== 'number') {
      throw new SqlError('INVALID_ARGUMENT', `TIMESTAMP AS OF ${tt.sql} is not a timestamp`, {
        value: tt.sql,
      });
    }
    return { timestamp: Number(ms) };
  }
}

/** The error as a SqlError that says which statement of the script failed ("statement 2 of 3"). */
function inStatement(e: unknown, index: number, count: number): SqlError {
  const err = toSqlError(e);
  return new SqlError(
    err.code,
    err.message,
    { ...err.details, sqlState: err.sqlState, statementIndex: index + 1, statementCount: count },
    { cause: err.cause ?? err },
  );
}

/** The commitInfo operation of CREATE / REPLACE TABLE ... AS SELECT, as Spark names it. */
const ctasOperation = (stmt: Extract<Statement, { kind: 'createTable' }>): WriteOptions['operation'] =>
  stmt.replaceOnly
    ? 'REPLACE TABLE AS SELECT'
    : stmt.orReplace
      ? 'CREATE OR REPLACE TABLE AS SELECT'
      : 'CREATE TABLE AS SELECT';
