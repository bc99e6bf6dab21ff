// Named tables and views (catalog.schema.name) turned into what the path-based layer understands:
// a table becomes delta.`<location>` (so every Delta statement works unchanged), a view becomes its
// query as a subquery. Resolution happens per statement, at run time, so a view always reads the
// latest data of its tables.
import type { ObjectInfo, ObjectName, SchemaName } from '@loch/catalog';
import { resolveName } from '@loch/catalog';
import { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import { NOT_ALIAS as TABLE_REF_NOT_ALIAS } from './table-refs.js';
import { isPunct, isWord, quoteIdent, quoteString, significant, type Token, tokenize } from './tokenizer.js';

export interface NameResolver {
  readonly current: SchemaName;
  /** The table, view or function a name refers to, or undefined. */
  lookup(
    name: ObjectName,
    kinds: readonly ('table' | 'view' | 'function')[],
  ): Promise<ObjectInfo | undefined>;
  /** Throws the metastore's not-found error (with its did-you-mean) for a missing relation. */
  notFound(name: ObjectName, written: string): Promise<never>;
  schemaExists(schema: SchemaName): Promise<boolean>;
  catalogExists(catalog: string): Promise<boolean>;
  /** True when DuckDB has a database of that name (memory, system, temp, attached ones). */
  engineHasCatalog(name: string): Promise<boolean>;
  /** True when DuckDB itself has a relation of that name (temp tables, CTE-free system views). */
  engineHasRelation(name: string): Promise<boolean>;
}

/** Keywords after which the next name is a table (or view). */
const TABLE_CONTEXT = new Set([
  'FROM',
  'JOIN',
  'INTO',
  'UPDATE',
  'TABLE',
  'HISTORY',
  'DETAIL',
  'TBLPROPERTIES',
  'OPTIMIZE',
  'VACUUM',
  'USING',
  'OVERWRITE',
  'EXTENDED',
  'DESCRIBE',
  'DESC',
  'RESTORE',
]);

/** Contexts where a view may stand (it is read, never written). */
const READ_CONTEXT = new Set(['FROM', 'JOIN', 'USING', ',']);

/** Words in a table position that are syntax, not names. */
const NOT_A_NAME = new Set([
  'SELECT',
  'WITH',
  'VALUES',
  'LATERAL',
  'HISTORY',
  'DETAIL',
  'TABLE',
  'EXTENDED',
  'FORMATTED',
  'QUERY',
  'DELTA',
  'PARQUET',
  'CSV',
  'JSON',
  'TEXT',
  'UNNEST',
  'IF',
  'OVERWRITE',
  'INTO',
  // MERGE ... THEN UPDATE SET: the UPDATE of a clause, not a table.
  'SET',
]);

/** Words that can follow a table reference and are not an alias. */
const NOT_ALIAS: ReadonlySet<string> = new Set([
  ...TABLE_REF_NOT_ALIAS,
  'VERSION',
  'TIMESTAMP',
  'ZORDER',
  'RETAIN',
  'DRY',
  'TO',
  'PARTITION',
  'ADD',
  'DROP',
  'ALTER',
  'RENAME',
  'UNSET',
  'CHANGE',
]);

const MAX_VIEW_DEPTH = 16;

const FROM_CALLS = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'SUBSTR', 'POSITION', 'OVERLAY']);

/** Location inside delta.`...` (backticks doubled). */
export const deltaRef = (location: string): string => `delta.\`${location.replaceAll('`', '``')}\``;

const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
const upper = (t: Token | undefined): string => (t?.kind === 'word' ? t.text.toUpperCase() : '');
const part = (t: Token): string => (t.kind === 'word' ? t.text : t.value);

/** Names defined by WITH in this text (they shadow catalog names). */
function cteNames(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  tokens.forEach((t, i) => {
    if (!isName(t)) return;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (isWord(next, 'AS') && (isPunct(after, '(') || isWord(after, 'MATERIALIZED') || isWord(after, 'NOT')))
      out.add(part(t).toLowerCase());
  });
  return out;
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Rewrites every catalog name in `sql` (tables, views, qualified SQL functions). Unknown names are
 * left alone only when something else can answer for them (a CTE, a DuckDB relation); otherwise the
 * metastore's not-found error (with a did-you-mean) is thrown.
 */
export async function resolveNames(sql: string, resolver: NameResolver, depth = 0): Promise<string> {
  if (depth > MAX_VIEW_DEPTH) {
    throw new SqlError(
      'INVALID_ARGUMENT',
      `views nest more than ${MAX_VIEW_DEPTH} levels deep (a view refers to itself?)`,
    );
  }
  const tokens = significant(tokenize(sql));
  const ctes = cteNames(tokens);
  const statementWord = upper(tokens[0]);
  const replacements: Replacement[] = [];
  const listPositions = new Set<number>();
  // Parentheses of EXTRACT(x FROM y)-style calls: their FROM does not introduce a table.
  const parens: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) parens.push(FROM_CALLS.has(upper(tokens[i - 1])));
    else if (isPunct(t, ')')) parens.pop();
    if (!isName(t) || isPunct(tokens[i - 1], '.')) continue;
    const prev = tokens[i - 1];
    let context = isPunct(prev, ',') ? (listPositions.has(i) ? ',' : '') : upper(prev);
    if (context === 'FROM' && (parens[parens.length - 1] === true || isWord(tokens[i - 2], 'DISTINCT')))
      context = '';
    // delta.`path` stays for the path layer.
    if (isWord(t, 'DELTA') && isPunct(tokens[i + 1], '.') && tokens[i + 2]?.kind === 'quoted') continue;
    let j = i + 1;
    const parts = [part(t)];
    while (isPunct(tokens[j], '.') && isName(tokens[j + 1])) {
      parts.push(part(tokens[j + 1]!));
      j += 2;
    }
    const next = tokens[j];
    const atTable =
      context !== '' &&
      (TABLE_CONTEXT.has(context) || context === ',') &&
      !(context === 'USING' && (statementWord === 'CREATE' || statementWord === 'REPLACE')) &&
      !(t.kind === 'word' && NOT_A_NAME.has(t.text.toUpperCase()) && parts.length === 1);
    const call = isPunct(next, '(') && !['INTO', 'TABLE', 'OVERWRITE', 'TBLPROPERTIES'].includes(context);
    if (call) {
      const named = parts.length === 1 ? await changeFeedTable(t, tokens[j + 1], resolver) : undefined;
      if (named !== undefined) replacements.push(named);
      if (parts.length >= 2) {
        const fn = await tryResolve(parts, resolver, ['function']);
        if (fn?.kind === 'function')
          replacements.push({ start: t.start, end: tokens[j - 1]!.end, text: quoteIdent(fn.name) });
      }
      i = j - 1;
      continue;
    }
    if (!atTable) {
      i = j - 1;
      continue;
    }
    if (parts.length === 1 && ctes.has(parts[0]!.toLowerCase())) continue;
    // CREATE TEMP TABLE x / CREATE TABLE delta.`...`: the name being created is not looked up.
    if (statementWord === 'CREATE' && context === 'TABLE') continue;
    const written = parts.join('.');
    const name = resolveOrThrow(parts, resolver.current);
    const info = await resolver.lookup(name, ['table', 'view']);
    const end = tokens[j - 1]!.end;
    const aliasAt = aliasPosition(tokens, j);
    const wantsAlias =
      aliasAt !== undefined &&
      (READ_CONTEXT.has(context) ||
        (context === 'INTO' && statementWord === 'MERGE') ||
        context === 'UPDATE');
    if (info === undefined) {
      if (parts.length === 1 && (await resolver.engineHasRelation(parts[0]!))) continue;
      // Unknown schemas may be DuckDB's (pg_catalog, information_schema); an unknown schema of a known
      // catalog is ours to report.
      const known =
        parts.length === 3 ? await resolver.catalogExists(name.catalog) : await resolver.schemaExists(name);
      if (parts.length === 2 && !known) continue;
      if (parts.length === 3 && !known && (await resolver.engineHasCatalog(parts[0]!))) continue;
      await resolver.notFound(name, written);
    } else if (info.kind === 'table') {
      replacements.push({ start: t.start, end, text: deltaRef(info.location) });
      if (wantsAlias)
        replacements.push({
          start: aliasAt.offset,
          end: aliasAt.offset,
          text: ` AS ${quoteIdent(info.name)}`,
        });
    } else if (info.kind === 'view') {
      if (!READ_CONTEXT.has(context) || statementWord === 'DELETE') {
        throw new SqlError(
          'INVALID_ARGUMENT',
          `${info.fullName} is a view: it can only be read (SELECT ... FROM ${info.fullName})`,
          { table: info.fullName, sqlState: '42809' },
        );
      }
      const inner = await resolveNames(info.sql, { ...resolver, current: viewContext(info) }, depth + 1);
      const alias = aliasAt === undefined ? '' : ` AS ${quoteIdent(info.name)}`;
      replacements.push({ start: t.start, end, text: `(${inner})${alias}` });
    }
    // `FROM a, b`: the name after the comma is a table too.
    let k = j;
    if (isWord(tokens[k], 'AS')) k++;
    if (isName(tokens[k]) && !NOT_ALIAS.has(upper(tokens[k]))) k++;
    if (isPunct(tokens[k], ',') && READ_CONTEXT.has(context)) listPositions.add(k + 1);
    i = j - 1;
  }
  if (replacements.length === 0) return sql;
  replacements.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of replacements) {
    out += sql.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + sql.slice(at);
}

/** Spark's property keys for the catalog and schema a view's names were written against. */
export const VIEW_CONTEXT_KEYS = [
  'view.catalogAndNamespace.part.0',
  'view.catalogAndNamespace.part.1',
] as const;

/** Names inside a view resolve against the catalog and schema current when it was created. */
function viewContext(info: Extract<ObjectInfo, { kind: 'view' }>): SchemaName {
  const catalog = info.properties[VIEW_CONTEXT_KEYS[0]];
  const schema = info.properties[VIEW_CONTEXT_KEYS[1]];
  return catalog !== undefined && schema !== undefined
    ? { catalog, schema }
    : { catalog: info.catalog, schema: info.schema };
}

function resolveOrThrow(parts: readonly string[], current: SchemaName): ObjectName {
  try {
    return resolveName(parts, current);
  } catch (e) {
    throw new SqlError('INVALID_ARGUMENT', e instanceof Error ? e.message : String(e), {
      sqlState: '42602',
      name: parts.join('.'),
    });
  }
}

/**
 * table_changes('schema.t', ...): Databricks names the table in a string. A string that reads as
 * a name of a table the metastore has becomes that table's location; any other string stays a
 * path for the path layer.
 */
async function changeFeedTable(
  fn: Token,
  arg: Token | undefined,
  resolver: NameResolver,
): Promise<Replacement | undefined> {
  if (!isWord(fn, 'TABLE_CHANGES') || arg?.kind !== 'string' || /[/\\:]/.test(arg.value)) return undefined;
  let parts: string[];
  try {
    const c = new Cursor(tokenize(arg.value), arg.value);
    parts = c.qualifiedName('a table name');
    c.expectEnd();
  } catch {
    // Not a name: a path, left to the path layer.
    return undefined;
  }
  const info = await tryResolve(parts, resolver, ['table']);
  if (info?.kind !== 'table') return undefined;
  return { start: arg.start, end: arg.end, text: quoteString(info.location) };
}

async function tryResolve(
  parts: readonly string[],
  resolver: NameResolver,
  kinds: readonly ('table' | 'view' | 'function')[],
): Promise<ObjectInfo | undefined> {
  let name: ObjectName;
  try {
    name = resolveName(parts, resolver.current);
  } catch {
    return undefined;
  }
  return resolver.lookup(name, kinds);
}

/**
 * Where ` AS <alias>` goes after a reference ending before token `j`: undefined when the user wrote
 * an alias. A time-travel clause (`VERSION AS OF n`, `TIMESTAMP AS OF '...'`) comes first.
 */
function aliasPosition(tokens: readonly Token[], j: number): { offset: number } | undefined {
  let k = j;
  const kw = upper(tokens[k]);
  if (
    (kw === 'VERSION' || kw === 'TIMESTAMP') &&
    isWord(tokens[k + 1], 'AS') &&
    isWord(tokens[k + 2], 'OF')
  ) {
    const value = tokens[k + 3];
    if (value === undefined || (value.kind !== 'number' && value.kind !== 'string')) return undefined;
    k += 4;
  }
  const next = tokens[k];
  if (
    next !== undefined &&
    (isWord(next, 'AS') || next.kind === 'quoted' || (next.kind === 'word' && !NOT_ALIAS.has(upper(next))))
  ) {
    return undefined;
  }
  return { offset: tokens[k - 1]!.end };
}
