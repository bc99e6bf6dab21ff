// Result sets of the catalog's read-only statements (SHOW, DESCRIBE, SHOW CREATE TABLE, LIST), with
// Databricks' column names so tools written against Databricks find what they expect.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionInfo, Metastore, SchemaName, TableInfo } from '@loch/catalog';
import type { QueryResult } from '@loch/engine-duckdb';
import type { CatalogHost } from './catalog-statements.js';
import { SqlError } from './errors.js';
import type { CatalogStatement } from './parse-catalog.js';
import { parseStatement } from './parser.js';
import { splitStatements } from './split-statements.js';
import { quoteIdent, quoteString } from './tokenizer.js';

export const text = (names: readonly string[], rows: readonly (readonly unknown[])[]): QueryResult => ({
  columns: names.map((name) => ({ name, type: 'VARCHAR' })),
  rows,
});

/** Object-store URLs (not local files): the catalog neither lists nor deletes through them. */
export const isUrl = (location: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://');

/** SHOW CATALOGS | SCHEMAS | TABLES | VIEWS | FUNCTIONS | VOLUMES with Databricks' column names. */
export async function showObjects(
  ms: Metastore,
  s: Extract<CatalogStatement, { kind: 'show' }>,
  current: SchemaName,
  schemaOf: (parts: readonly string[]) => SchemaName,
): Promise<QueryResult> {
  const like = s.like === undefined ? {} : { like: s.like };
  if (s.what === 'catalogs')
    return text(
      ['catalog'],
      (await ms.listCatalogs(like)).map((c) => [c.name]),
    );
  if (s.what === 'schemas') {
    const catalog = s.in?.join('.') ?? current.catalog;
    return text(
      ['databaseName'],
      (await ms.listSchemas(catalog, like)).map((x) => [x.name]),
    );
  }
  const schema = s.in === undefined ? current : schemaOf(s.in);
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
      { name: s.what === 'views' ? 'namespace' : 'database', type: 'VARCHAR' },
      { name: s.what === 'views' ? 'viewName' : 'tableName', type: 'VARCHAR' },
      { name: 'isTemporary', type: 'BOOLEAN' },
    ],
    rows: rel.map((r) => [r.schema, r.name, false]),
  };
}

/** DESCRIBE [EXTENDED]: the path-based column rows, plus the catalog's detail rows when EXTENDED. */
export async function describeNamedTable(
  host: CatalogHost,
  info: TableInfo,
  rest: string,
  extended: boolean,
): Promise<QueryResult> {
  const ref = `delta.\`${info.location.replaceAll('`', '``')}\``;
  const base = await host.run(parseStatement(splitStatements(`DESCRIBE TABLE ${ref}${rest}`)[0]!));
  if (!extended) return base;
  const detail = await tableDetail(host, info);
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

async function tableDetail(
  host: CatalogHost,
  info: TableInfo,
): Promise<{ properties: Record<string, unknown>; partitionColumns: unknown }> {
  const ref = `delta.\`${info.location.replaceAll('`', '``')}\``;
  const r = await host.run(parseStatement(splitStatements(`DESCRIBE DETAIL ${ref}`)[0]!));
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

/** SHOW CREATE TABLE, rebuilt from the Delta schema and the catalog entry. */
export async function showCreateTable(host: CatalogHost, info: TableInfo): Promise<QueryResult> {
  const described = await describeNamedTable(host, info, '', false);
  const cols: string[] = [];
  const partitions: string[] = [];
  let inPartitions = false;
  for (const row of described.rows) {
    const n = String(row[0] ?? '');
    if (n === '# Partition Information') inPartitions = true;
    if (n === '' || n.startsWith('#')) continue;
    if (inPartitions) partitions.push(quoteIdent(n).replaceAll('"', '`'));
    else cols.push(`  \`${n}\` ${String(row[1])}${row[2] ? ` COMMENT ${quoteString(String(row[2]))}` : ''}`);
  }
  const { properties } = await tableDetail(host, info);
  let sql = `CREATE TABLE ${info.fullName} (\n${cols.join(',\n')})\nUSING delta\n`;
  if (partitions.length > 0) sql += `PARTITIONED BY (${partitions.join(', ')})\n`;
  if (info.comment !== undefined) sql += `COMMENT ${quoteString(info.comment)}\n`;
  if (info.tableType === 'external') sql += `LOCATION ${quoteString(info.location)}\n`;
  const props = Object.entries(properties).map(([k, v]) => `  ${quoteString(k)} = ${quoteString(String(v))}`);
  if (props.length > 0) sql += `TBLPROPERTIES (\n${props.join(',\n')})\n`;
  return text(['createtab_stmt'], [[sql]]);
}

/** LIST of a volume path: the files and folders directly inside, Databricks' columns. */
export async function listVolume(
  ms: Metastore,
  path: string,
  limit: number | undefined,
): Promise<QueryResult> {
  const m = /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path.replace(/\/+$/, ''));
  if (m === null) {
    throw new SqlError(
      'UNSUPPORTED',
      `LIST ${quoteString(path)}: only volume paths /Volumes/<catalog>/<schema>/<volume>[/dir] can be listed`,
      { path },
    );
  }
  const volume = await ms.getVolume({ catalog: m[1]!, schema: m[2]!, name: m[3]! });
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

/** DESCRIBE FUNCTION [EXTENDED]: Databricks' function_desc rows. */
export function describeFunction(fn: FunctionInfo, extended: boolean): QueryResult {
  const input = fn.params.map(
    (p) => `${p.name} ${p.type}${p.default === undefined ? '' : ` DEFAULT ${p.default}`}`,
  );
  const lines = [
    `Function: ${fn.fullName}`,
    'Type:     SCALAR',
    `Input:    ${input.length === 0 ? '()' : input.join(', ')}`,
    `Returns:  ${fn.returnType}`,
    ...(extended
      ? [
          ...(fn.comment === undefined ? [] : [`Comment:  ${fn.comment}`]),
          `Deterministic: ${fn.deterministic}`,
          `Owner:    ${fn.owner}`,
          `Body:     ${fn.body}`,
        ]
      : []),
  ];
  return text(
    ['function_desc'],
    lines.map((l) => [l]),
  );
}
