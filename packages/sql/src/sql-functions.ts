// SQL scalar UDFs (CREATE FUNCTION ... RETURN expr) run as DuckDB macros: registered when a session
// starts and whenever one is created.
import type { FunctionInfo, Metastore, SchemaName } from '@loch/catalog';
import { type Engine, toDuckType } from '@loch/engine-duckdb';
import { Cursor } from './cursor.js';
import { parseDataType } from './data-types.js';
import { quoteIdent, tokenize } from './tokenizer.js';

type Resolve = (sql: string, current: SchemaName) => Promise<string>;

/** Every SQL function of the metastore as a DuckDB macro, when a session starts. */
export async function loadFunctions(ms: Metastore, engine: Engine, resolve: Resolve): Promise<void> {
  for (const catalog of await ms.listCatalogs()) {
    for (const schema of await ms.listSchemas(catalog.name)) {
      for (const fn of await ms.listFunctions({ catalog: schema.catalog, schema: schema.name }))
        await registerFunction(engine, fn, resolve).catch(() => undefined);
    }
  }
}

/** A SQL UDF as a DuckDB macro under its bare name (DuckDB has no three-level function names). */
export async function registerFunction(engine: Engine, fn: FunctionInfo, resolve: Resolve): Promise<void> {
  const params = fn.params.map((p) =>
    p.default === undefined ? quoteIdent(p.name) : `${quoteIdent(p.name)} := ${p.default}`,
  );
  const body = await resolve(fn.body, { catalog: fn.catalog, schema: fn.schema });
  const duckType = duckTypeOf(fn.returnType);
  const expr = duckType === undefined ? `(${body})` : `CAST((${body}) AS ${duckType})`;
  await engine.run(`CREATE OR REPLACE MACRO ${quoteIdent(fn.name)}(${params.join(', ')}) AS ${expr}`);
}

/** The DuckDB type of a Spark type name, to give a macro its declared return type. */
function duckTypeOf(type: string): string | undefined {
  try {
    const c = new Cursor(tokenize(type), type);
    const t = parseDataType(c);
    return c.atEnd() ? toDuckType(t) : undefined;
  } catch {
    return undefined;
  }
}
