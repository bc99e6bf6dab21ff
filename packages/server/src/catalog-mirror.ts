// psql's `\dt` and `\d name` read DuckDB's pg_catalog, which only knows DuckDB's own tables. Named
// Loch tables live in the metastore and Delta logs, so right before a session answers a pg_catalog
// query the relations of its current schema are mirrored as empty DuckDB tables (columns, types and
// NOT NULL from the Delta schema) in a DuckDB schema named like the Loch schema. Only pg_catalog
// queries see them: named-table SQL resolves through the metastore first.
import type { Metastore, RelationInfo, TableInfo } from '@loch/catalog';
import { type Engine, toDuckType } from '@loch/engine-duckdb';
import { SqlSession, type SqlSessionOptions } from '@loch/sql';

type DeltaType = Parameters<typeof toDuckType>[0];

/** The part of a Delta schema a mirror needs (a StructType's fields). */
export interface MirrorSchema {
  readonly fields: readonly { readonly name: string; readonly type: DeltaType; readonly nullable: boolean }[];
}

export interface MirrorRelation {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'view';
  /** Column definitions; a view whose columns are unknown has none. */
  readonly columns: readonly {
    readonly name: string;
    readonly duckType: string;
    readonly nullable: boolean;
  }[];
}

/** DuckDB schemas of its own (or PostgreSQL's): a Loch schema with one of these names is not mirrored. */
const RESERVED_SCHEMAS = new Set(['main', 'pg_catalog', 'information_schema', 'temp', 'system']);

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The DDL that mirrors one relation: an empty table (or a view with no rows) of the same shape. */
export const mirrorDdl = (r: MirrorRelation): string => {
  const target = `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
  if (r.kind === 'view') {
    const select =
      r.columns.length === 0
        ? 'SELECT NULL AS "?column?"'
        : `SELECT ${r.columns.map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`).join(', ')}`;
    return `CREATE OR REPLACE VIEW ${target} AS ${select} WHERE false`;
  }
  const columns = r.columns.map((c) => `${quoteIdent(c.name)} ${c.duckType}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE OR REPLACE TABLE ${target} (${columns.join(', ')})`;
};

const dropDdl = (key: string, kind: 'table' | 'view'): string =>
  `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${key}`;

/** Columns of a Delta schema as DuckDB column definitions. */
export const mirrorColumns = (schema: MirrorSchema): MirrorRelation['columns'] =>
  schema.fields.map((f) => ({ name: f.name, duckType: toDuckType(f.type), nullable: f.nullable }));

/**
 * The mirrored relations of one engine. Refreshes are serialized; only relations this mirror created
 * are ever replaced or dropped, so DuckDB's own tables are never touched.
 */
export class CatalogMirror {
  readonly #engine: Pick<Engine, 'run'>;
  /** Quoted `"schema"."name"` -> what is mirrored there and the DDL that made it. */
  readonly #mirrored = new Map<string, { kind: 'table' | 'view'; ddl: string }>();
  readonly #schemas = new Set<string>();
  #queue: Promise<void> = Promise.resolve();

  constructor(engine: Pick<Engine, 'run'>) {
    this.#engine = engine;
  }

  /** Makes the mirror hold exactly `relations` (those in reserved schemas are left out). */
  refresh(relations: readonly MirrorRelation[]): Promise<void> {
    const next = this.#queue.then(() => this.#apply(relations));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #apply(relations: readonly MirrorRelation[]): Promise<void> {
    const wanted = new Map<string, { kind: 'table' | 'view'; ddl: string; schema: string }>();
    for (const r of relations) {
      if (RESERVED_SCHEMAS.has(r.schema.toLowerCase())) continue;
      wanted.set(`${quoteIdent(r.schema)}.${quoteIdent(r.name)}`, {
        kind: r.kind,
        ddl: mirrorDdl(r),
        schema: r.schema,
      });
    }
    for (const [key, old] of [...this.#mirrored]) {
      const now = wanted.get(key);
      if (now !== undefined && now.kind === old.kind) continue;
      await this.#engine.run(dropDdl(key, old.kind));
      this.#mirrored.delete(key);
    }
    for (const [key, r] of wanted) {
      if (this.#mirrored.get(key)?.ddl === r.ddl) continue;
      if (!this.#schemas.has(r.schema)) {
        await this.#engine.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(r.schema)}`);
        this.#schemas.add(r.schema);
      }
      await this.#engine.run(r.ddl);
      this.#mirrored.set(key, { kind: r.kind, ddl: r.ddl });
    }
  }
}

/** Opens a catalog table's Delta schema (its latest snapshot's). */
export type SchemaOf = (table: TableInfo) => Promise<MirrorSchema>;

/** The relations of a metastore schema as mirrors; tables whose log cannot be read are skipped. */
export const catalogRelations = async (
  metastore: Pick<Metastore, 'listTables'>,
  current: { readonly catalog: string; readonly schema: string },
  schemaOf: SchemaOf,
  describeView: (view: RelationInfo) => Promise<MirrorRelation['columns']>,
): Promise<MirrorRelation[]> => {
  const out: MirrorRelation[] = [];
  for (const info of await metastore.listTables({ catalog: current.catalog, schema: current.schema })) {
    try {
      const columns = info.kind === 'table' ? mirrorColumns(await schemaOf(info)) : await describeView(info);
      out.push({ schema: info.schema, name: info.name, kind: info.kind, columns });
    } catch {
      // A table whose log is missing or unreadable must not break psql's listing of the others.
    }
  }
  return out;
};

export interface MirroredSessionOptions extends SqlSessionOptions {
  readonly metastore: Metastore;
  readonly mirror: CatalogMirror;
  readonly schemaOf: SchemaOf;
}

/**
 * A SQL session that mirrors its current catalog schema into DuckDB before it runs a statement
 * that reads pg_catalog (the queries behind psql's `\dt` and `\d`).
 */
export class MirroredSqlSession extends SqlSession {
  readonly #options: MirroredSessionOptions;

  constructor(options: MirroredSessionOptions) {
    super(options);
    this.#options = options;
  }

  override async execute(script: string): Promise<Awaited<ReturnType<SqlSession['execute']>>> {
    await this.#syncMirror(script);
    return super.execute(script);
  }

  /** The server streams plain queries: their text is rewritten here, not run through execute. */
  override async rewriteQuery(query: Parameters<SqlSession['rewriteQuery']>[0]): Promise<string> {
    await this.#syncMirror(typeof query === 'string' ? query : query.sql);
    return super.rewriteQuery(query);
  }

  async #syncMirror(sql: string): Promise<void> {
    const current = this.currentSchema;
    if (current === undefined || !/pg_catalog/i.test(sql)) return;
    const { metastore, mirror, schemaOf } = this.#options;
    const relations = await catalogRelations(metastore, current, schemaOf, async (view) => {
      // The view's columns as the session resolves it (its SQL may name other catalog tables).
      const ref = [view.catalog, view.schema, view.name].map((n) => `\`${n.replace(/`/g, '``')}\``).join('.');
      const r = await super.execute(`SELECT * FROM ${ref} LIMIT 0`);
      const cols = r[r.length - 1]?.columns ?? [];
      return cols.map((c) => ({ name: c.name, duckType: c.type, nullable: true }));
    });
    await mirror.refresh(relations);
  }
}
