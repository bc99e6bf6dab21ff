// Predicate pushdown for data skipping: which WHERE clause restricts each delta.`path` reference of
// a query. DuckDB parses the query (json_serialize_sql) with every reference replaced by a
// placeholder table name; a reference gets the WHERE of the SELECT whose FROM holds it, unless a
// join can NULL-fill it or pair its rows by position. Any doubt means no filter: pruning may only
// make a query faster, never change its result.
import { Expr, findField, fromDuckDbExpression, type StructType } from '@loch/delta';
import type { Engine } from '@loch/engine-duckdb';
import type { QueryTableRef } from './table-refs.js';
import { quoteIdent, quoteString } from './tokenizer.js';

/** Builds a reference's skipping predicate from the schema of the snapshot that is scanned. */
export type FilterBuilder = (schema: StructType) => Expr | undefined;

type Node = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /^__loch_ref_(\d+)$/;
const EXPLAIN = /^\s*EXPLAIN(\s+ANALYZE)?\s+/i;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The query text with reference k replaced by the table name `__loch_ref_k` (aliased as the rewrite aliases it). */
export function placeholderSql(sql: string, refs: readonly QueryTableRef[]): string {
  let out = '';
  let at = 0;
  refs.forEach((ref, k) => {
    out += sql.slice(at, ref.start);
    out += `"__loch_ref_${k}"`;
    if (!ref.hasAlias) out += ` AS ${quoteIdent(ref.alias)}`;
    at = ref.end;
  });
  return (out + sql.slice(at)).replace(EXPLAIN, '');
}

/**
 * For each reference that a WHERE clause restricts, a builder of its skipping predicate. References
 * are expected in text order (as `findTableRefs` returns them); failures yield an empty map.
 */
export async function findPushdowns(
  engine: Engine,
  sql: string,
  refs: readonly QueryTableRef[],
): Promise<Map<QueryTableRef, FilterBuilder>> {
  const found = new Map<QueryTableRef, FilterBuilder>();
  if (refs.length === 0) return found;
  let parsed: unknown;
  try {
    const text = placeholderSql(sql, refs);
    const result = await engine.query(`SELECT json_serialize_sql(${quoteString(text)})`);
    const cell = result.rows[0]?.[0];
    parsed = typeof cell === 'string' ? JSON.parse(cell) : undefined;
  } catch {
    return found;
  }
  for (const t of pushdownTargets(parsed)) {
    const ref = refs[t.index];
    if (ref !== undefined)
      found.set(ref, (schema) => whereToFilter(t.conditions, t.qualifier, t.names, schema));
  }
  return found;
}

export interface PushdownTarget {
  /** The reference's position in the query (placeholder number). */
  readonly index: number;
  /** Conditions (DuckDB JSON expressions) every row read from it must meet: WHEREs and ON clauses. */
  readonly conditions: readonly unknown[];
  /** The name the query qualifies the reference's columns with (alias or placeholder name). */
  readonly qualifier: string;
  /** Every relation name or alias in the query, lowercased: a `x.y` with such an `x` is no struct access. */
  readonly names: ReadonlySet<string>;
}

/**
 * Each placeholder reference with the conditions that restrict it: the WHERE of the SELECT whose
 * FROM holds it, and the ON condition of joins that drop its rows when the condition fails (both
 * sides of an inner join, the NULL-filled side of an outer join, the right side of SEMI/ANTI).
 */
export function pushdownTargets(serialized: unknown): PushdownTarget[] {
  const out = new Map<number, { qualifier: string; conditions: unknown[] }>();
  if (!isNode(serialized) || serialized.error !== false) return [];
  const names = new Set<string>();
  collectNames(serialized, names);
  const add = (tables: readonly { index: number; qualifier: string }[], condition: unknown): void => {
    for (const t of tables) {
      const entry = out.get(t.index);
      if (entry === undefined) out.set(t.index, { qualifier: t.qualifier, conditions: [condition] });
      else entry.conditions.push(condition);
    }
  };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!isNode(v)) return;
    if (v.type === 'SELECT_NODE' && isNode(v.where_clause) && v.sample == null) {
      add(preservedTables(v.from_table), v.where_clause);
    }
    if (v.type === 'JOIN' && !('class' in v) && isNode(v.condition)) {
      add(joinConditionTables(v), v.condition);
    }
    for (const x of Object.values(v)) visit(x);
  };
  visit(serialized);
  return [...out].map(([index, e]) => ({ index, ...e, names }));
}

/** Tables a join's ON condition filters: a row of theirs failing it never reaches the output. */
function joinConditionTables(join: Node): { index: number; qualifier: string }[] {
  const refType = String(join.ref_type);
  if (refType !== 'REGULAR' && refType !== 'NATURAL') return [];
  switch (String(join.join_type)) {
    case 'INNER':
      return [...preservedTables(join.left), ...preservedTables(join.right)];
    case 'LEFT':
    case 'SEMI':
    case 'ANTI':
      return preservedTables(join.right);
    case 'RIGHT':
      return preservedTables(join.left);
    default:
      return [];
  }
}

/** Placeholder tables of a FROM clause whose rows a WHERE on them may filter before the join. */
function preservedTables(ref: unknown): { index: number; qualifier: string }[] {
  if (!isNode(ref)) return [];
  if (ref.type === 'BASE_TABLE') {
    const name = typeof ref.table_name === 'string' ? ref.table_name : '';
    const m = PLACEHOLDER.exec(name);
    // A sample or an AT clause read rows by position or version: pruning would change them.
    if (
      !m ||
      ref.schema_name !== '' ||
      ref.catalog_name !== '' ||
      ref.sample != null ||
      ref.at_clause != null
    )
      return [];
    const alias = typeof ref.alias === 'string' && ref.alias !== '' ? ref.alias : name;
    return [{ index: Number(m[1]), qualifier: alias }];
  }
  if (ref.type !== 'JOIN') return [];
  const left = (): { index: number; qualifier: string }[] => preservedTables(ref.left);
  const right = (): { index: number; qualifier: string }[] => preservedTables(ref.right);
  const joinType = String(ref.join_type);
  const refType = String(ref.ref_type);
  const usesColumns = Array.isArray(ref.using_columns) && ref.using_columns.length > 0;
  // An unqualified USING / NATURAL column of an outer join may be either side's (or COALESCE).
  if ((usesColumns || refType === 'NATURAL') && joinType !== 'INNER') return [];
  if (refType === 'ASOF') {
    // Each left row pairs with its nearest right row: pruning the right side changes the pairing.
    return joinType === 'INNER' || joinType === 'LEFT' ? left() : [];
  }
  if (refType !== 'REGULAR' && refType !== 'NATURAL' && refType !== 'CROSS') return [];
  switch (joinType) {
    case 'INNER':
      return [...left(), ...right()];
    case 'LEFT':
    case 'SEMI':
    case 'ANTI':
      return left();
    case 'RIGHT':
      return right();
    default:
      return [];
  }
}

function collectNames(v: unknown, names: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) collectNames(x, names);
    return;
  }
  if (!isNode(v)) return;
  if (typeof v.type === 'string' && typeof v.alias === 'string' && !('class' in v)) {
    if (v.alias !== '') names.add(v.alias.toLowerCase());
    if (typeof v.table_name === 'string') names.add(v.table_name.toLowerCase());
  }
  if (isNode(v.cte_map) && Array.isArray(v.cte_map.map)) {
    for (const e of v.cte_map.map) if (isNode(e) && typeof e.key === 'string') names.add(e.key.toLowerCase());
  }
  for (const x of Object.values(v)) collectNames(x, names);
}

/** Converts a WHERE for one table; columns that may belong to another relation become unknown. */
export function whereToFilter(
  conditions: readonly unknown[],
  qualifier: string,
  names: ReadonlySet<string>,
  schema: StructType,
): Expr | undefined {
  try {
    const q = qualifier.toLowerCase();
    return Expr.and(...conditions.map((c) => fromDuckDbExpression(ownColumns(c, q, names, schema))));
  } catch {
    return undefined;
  }
}

const UNKNOWN: Node = { class: 'LOCH_FOREIGN_COLUMN', type: 'LOCH_FOREIGN_COLUMN' };

function ownColumns(v: unknown, qualifier: string, names: ReadonlySet<string>, schema: StructType): unknown {
  if (Array.isArray(v)) return v.map((x) => ownColumns(x, qualifier, names, schema));
  if (!isNode(v)) return v;
  // A subquery's columns are its own tables'; the converter treats the whole subquery as unknown.
  if (v.class === 'SUBQUERY') return UNKNOWN;
  if (v.class === 'COLUMN_REF') {
    const path = Array.isArray(v.column_names) ? (v.column_names as unknown[]) : [];
    if (path.length === 0 || !path.every((p): p is string => typeof p === 'string')) return UNKNOWN;
    if (path.length === 1) return v;
    const head = path[0]!.toLowerCase();
    if (head === qualifier) return { ...v, column_names: path.slice(1) };
    // `s.x` as a struct field of this table, unless `s` names a relation of the query.
    if (!names.has(head) && findField(schema, path) !== undefined) return v;
    return UNKNOWN;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = ownColumns(x, qualifier, names, schema);
  return out;
}
