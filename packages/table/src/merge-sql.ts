// The SQL of a MERGE, built as text (pure): which clause applies to each joined row (an action
// code), and the columns of the rows it writes. Everything runs inside DuckDB joins; no row ever
// reaches JavaScript. Codes: matched clause i -> i, not matched by source i -> 100 + i, not matched
// (insert) i -> 200 + i; NULL means "no clause applies" (the target row is copied unchanged).
import { DeltaError, type StructField, type StructType } from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { generatedColumns, withGeneratedOnRewrite } from './generated-columns.js';
import {
  type IdentityColumn,
  identityColumns,
  identityValueSql,
  rejectExplicitIdentityInsert,
  rejectIdentityUpdate,
} from './identity-columns.js';
import type { MatchedClause, MergeSpec, NotMatchedBySourceClause, NotMatchedClause } from './merge-types.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import { NOT_NULL_MARKER } from './write-schema.js';

export const BY_SOURCE_BASE = 100;
export const INSERT_BASE = 200;
export const SOURCE_MARKER = '__loch_src';
export const ACTION = '__loch_action';
const HAS_MATCH = '__loch_has_match';
const MAY_MATCH = '__loch_may_match';

export interface MergeSql {
  readonly target: string;
  readonly source: string;
  /** Final table schema (the evolved one with schema evolution). */
  readonly schema: StructType;
  /** Codes of clauses that update / delete target rows. */
  readonly updateCodes: readonly number[];
  readonly deleteCodes: readonly number[];
  /** True when a target row may match several source rows (only an unconditional DELETE). */
  readonly allowMultipleMatches: boolean;
  /**
   * Target rows of `scan` joined with their source match, filtered by `where` over `$A` (the
   * action). `columns`: the target's values ('old'), the new ones ('new'), or the new ones of rows
   * `where` restricts to update codes ('updated': columns every update sets skip the target).
   * `rows`: 'all' rows of the scan, or only those that 'mayMatch' a source key (enough when `where`
   * needs a match); the complement of those is `unmatchedRows`.
   */
  targetRows(
    scan: string,
    columns: 'old' | 'new' | 'updated',
    where: string,
    rows?: 'all' | 'mayMatch',
  ): string;
  /** Rows of `scan` no source key can match, unchanged (with the key prefilter only). */
  unmatchedRows(scan: string): string;
  /** True when a key prefilter splits the target into rows that may match and rows that cannot. */
  readonly prefiltered: boolean;
  /** (file, row, action) of every target row of `scan` a clause applies to (one row per match). */
  targetActions(scan: string, fileColumn: string, rowColumn: string): string;
  /** Source rows that match no row of `candidatesScan` (undefined: no candidate files). */
  insertRows(candidatesScan: string | undefined, where: string): string;
  /**
   * One FULL JOIN giving the kept target rows of `scan` (`dv`: only updated ones) and the inserted
   * source rows; valid only when `scan` covers every candidate file and `fullJoinable` holds.
   */
  allRows(scan: string, dv: boolean, rows?: 'all' | 'mayMatch'): string;
  /** Every matched source row takes a MATCHED clause (so the ON condition alone decides matches). */
  readonly fullJoinable: boolean;
  /** (action, count) of the source rows each insert clause applies to. */
  insertCounts(candidatesScan: string | undefined): string;
  /** Codes of the insert clauses. */
  readonly insertCodes: readonly number[];
  /** Identity columns the inserts give new values, with the insert codes that do. */
  readonly identityInserts: readonly { readonly column: IdentityColumn; readonly codes: readonly number[] }[];
}

const findField = (fields: readonly StructField[], name: string): StructField | undefined => {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === lower);
};

/** `t.col` / `col` / `"col"` as written in a SET / VALUES key -> the column name. */
function targetColumnName(key: string, targetAlias: string): string {
  const unquote = (s: string): string =>
    s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s;
  const dot = key.match(/^("(?:[^"]|"")+"|[^."]+)\.("(?:[^"]|"")+"|[^."]+)$/u);
  if (dot !== null && unquote(dot[1]!).toLowerCase() === targetAlias.toLowerCase()) return unquote(dot[2]!);
  return unquote(key.trim());
}

function castValue(field: StructField, expr: string): string {
  const value = `CAST((${expr}) AS ${toDuckType(field.type)})`;
  if (field.nullable) return value;
  const message = quoteLiteral(`${NOT_NULL_MARKER}: ${field.name}.`);
  return `CASE WHEN ${value} IS NULL THEN error(${message}) ELSE ${value} END`;
}

/** The assignments of a clause, keyed by final column name. */
function assignments(
  clause: {
    readonly set?: Readonly<Record<string, string>>;
    readonly values?: Readonly<Record<string, string>>;
  },
  all: boolean,
  schema: StructType,
  source: StructType,
  aliases: { readonly target: string; readonly source: string },
  what: string,
): Map<string, string> {
  const out = new Map<string, string>();
  if (all) {
    // `*` leaves identity columns alone: UPDATE keeps their values, INSERT generates them (a BY
    // DEFAULT column takes the source's value when the source has one).
    const identity = new Map(identityColumns(schema).map((c) => [c.name, c]));
    for (const f of schema.fields) {
      const c = identity.get(f.name);
      if (c !== undefined && (what === 'UPDATE' || !c.allowExplicitInsert)) continue;
      const s = findField(source.fields, f.name);
      if (s !== undefined) out.set(f.name, `${quoteIdent(aliases.source)}.${quoteIdent(s.name)}`);
    }
    return out;
  }
  for (const [key, expr] of Object.entries(clause.set ?? clause.values ?? {})) {
    const name = targetColumnName(key, aliases.target);
    const field = findField(schema.fields, name);
    if (field === undefined) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `MERGE ${what} sets column '${name}', which does not exist in the target; columns are ${schema.fields.map((f) => f.name).join(', ')}`,
        { column: name },
      );
    }
    if (out.has(field.name)) {
      throw new DeltaError('INVALID_ARGUMENT', `MERGE ${what} sets column '${field.name}' more than once`, {
        column: field.name,
      });
    }
    if (expr.trim() === '') {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `MERGE ${what} gives column '${field.name}' an empty expression`,
        {
          column: field.name,
        },
      );
    }
    out.set(field.name, expr);
  }
  if (what === 'UPDATE') rejectIdentityUpdate(schema, out.keys(), 'MERGE UPDATE');
  else rejectExplicitIdentityInsert(schema, out.keys());
  return out;
}

/** Only the last clause of each group may omit its condition (later ones could never apply). */
function checkClauseOrder(clauses: readonly { readonly condition?: string }[], group: string): void {
  clauses.forEach((c, i) => {
    if (c.condition === undefined && i < clauses.length - 1) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `only the last ${group} clause of a MERGE may omit its condition; clause ${i + 1} of ${clauses.length} has none, so the clauses after it could never apply`,
        { clause: group },
      );
    }
  });
}

const cond = (c: { readonly condition?: string }): string =>
  c.condition === undefined || c.condition.trim() === '' ? 'TRUE' : `(${c.condition}) IS TRUE`;

function chooser(clauses: readonly { readonly condition?: string }[], base: number): string {
  if (clauses.length === 0) return 'NULL';
  return `CASE ${clauses.map((c, i) => `WHEN ${cond(c)} THEN ${base + i}`).join(' ')} END`;
}

export function buildMergeSql(
  spec: MergeSpec,
  tableSchema: StructType,
  finalSchema: StructType,
  sourceSchema: StructType,
  aliases: { readonly target: string; readonly source: string },
  keyPrefilter?: string,
  /** Rows from `targetRows` / `insertRows` / `allRows` start with the action code column `ACTION`. */
  keepAction = false,
): MergeSql {
  checkClauseOrder(spec.matched, 'WHEN MATCHED');
  checkClauseOrder(spec.notMatched, 'WHEN NOT MATCHED');
  checkClauseOrder(spec.notMatchedBySource, 'WHEN NOT MATCHED BY SOURCE');
  const T = quoteIdent(aliases.target);
  const S = quoteIdent(aliases.source);
  const on = `(${spec.condition})`;
  const source = `(SELECT *, TRUE AS ${SOURCE_MARKER} FROM (${spec.sourceSql}) AS __loch_source) AS ${S}`;
  const rawSource = `(${spec.sourceSql}) AS ${S}`;

  const sets = new Map<number, Map<string, string>>();
  const updateCodes: number[] = [];
  const deleteCodes: number[] = [];
  spec.matched.forEach((c: MatchedClause, i) => {
    if (c.kind === 'delete') deleteCodes.push(i);
    else {
      updateCodes.push(i);
      const set = assignments(
        c.kind === 'update' ? c : {},
        c.kind === 'updateAll',
        finalSchema,
        sourceSchema,
        aliases,
        'UPDATE',
      );
      sets.set(i, set);
    }
  });
  spec.notMatchedBySource.forEach((c: NotMatchedBySourceClause, i) => {
    const code = BY_SOURCE_BASE + i;
    if (c.kind === 'delete') deleteCodes.push(code);
    else {
      updateCodes.push(code);
      sets.set(code, assignments(c, false, finalSchema, sourceSchema, aliases, 'UPDATE'));
    }
  });
  const inserts = spec.notMatched.map((c: NotMatchedClause) =>
    assignments(
      c.kind === 'insert' ? c : {},
      c.kind === 'insertAll',
      finalSchema,
      sourceSchema,
      aliases,
      'INSERT',
    ),
  );

  const matchedAny =
    spec.matched.length === 0
      ? 'FALSE'
      : spec.matched.some((c) => c.condition === undefined)
        ? 'TRUE'
        : spec.matched.map(cond).join(' OR ');
  const bySource = spec.notMatchedBySource.length > 0;
  const targetAction = [
    `CASE WHEN ${S}.${SOURCE_MARKER} IS NOT NULL THEN ${chooser(spec.matched, 0)}`,
    bySource ? ` WHEN NOT ${T}.${HAS_MATCH} THEN ${chooser(spec.notMatchedBySource, BY_SOURCE_BASE)}` : '',
    ' END',
  ].join('');
  const old = (f: StructField): string =>
    findField(tableSchema.fields, f.name) === undefined
      ? `CAST(NULL AS ${toDuckType(f.type)})`
      : `${T}.${quoteIdent(findField(tableSchema.fields, f.name)!.name)}`;
  // `updatedOnly`: the rows are known to carry update codes, so a column every update clause
  // sets never reads the target's value (and DuckDB then never reads that target column).
  const newColumn = (f: StructField, updatedOnly: boolean): string => {
    const setting = [...sets.entries()].filter(([, set]) => set.has(f.name));
    const whens = setting.map(([code, set]) => `WHEN ${code} THEN ${castValue(f, set.get(f.name)!)}`);
    if (whens.length === 0) return old(f);
    const always = updatedOnly && setting.length === sets.size;
    return `CASE ${ACTION} ${whens.join(' ')}${always ? '' : ` ELSE ${old(f)}`} END`;
  };
  const columnList = (mode: 'old' | 'new' | 'updated'): string =>
    `, ${finalSchema.fields.map((f) => `${mode === 'old' ? old(f) : newColumn(f, mode === 'updated')} AS ${quoteIdent(f.name)}`).join(', ')}`;
  // A lone unconditional DELETE lets several source rows match one target row (Spark's rule); the
  // target side then needs only whether one matches, so it joins one marker row on HAS_MATCH and
  // each target row comes out once (not once per matching source row, e.g. in the change feed).
  const allowMultipleMatches =
    spec.matched.length === 1 &&
    spec.matched[0]!.kind === 'delete' &&
    spec.matched[0]!.condition === undefined;
  // Whether a target row matches any source row, computed beside the target's columns: DuckDB
  // cannot reuse a select alias whose expression holds a subquery.
  const targetFrom = (scan: string): string =>
    bySource || allowMultipleMatches
      ? `(SELECT *, EXISTS (SELECT 1 FROM ${rawSource} WHERE ${on}) AS ${HAS_MATCH} FROM (${scan}) AS ${T}) AS ${T}`
      : `(${scan}) AS ${T}`;
  // The key prefilter (`T.k IN (SELECT s.k FROM source)`) in the select list is a MARK join,
  // which DuckDB always builds on the source keys; joins after it see only the target rows that
  // may match. It was added when DuckDB estimated a Delta scan at ~1k rows per file and built
  // hash tables on the whole target; the scan now carries the log's row counts (decision 0003),
  // and it stays as the guard for files without stats: merge.ts passes it only when a candidate
  // file has no numRecords. Measured without it, with the row counts: spread copy-on-write ~10-20%
  // less CPU, the other merge shapes within noise.
  const prefilter = bySource ? undefined : keyPrefilter;
  const marked = (scan: string): string => `(SELECT *, ${prefilter} AS ${MAY_MATCH} FROM (${scan}) AS ${T})`;
  const mayMatch = (scan: string): string =>
    prefilter === undefined
      ? scan
      : `SELECT * EXCLUDE (${MAY_MATCH}) FROM ${marked(scan)} AS __loch_m WHERE ${MAY_MATCH}`;
  const join = (inner: boolean): string =>
    allowMultipleMatches
      ? `${inner && !bySource ? 'INNER' : 'LEFT'} JOIN (SELECT TRUE AS ${SOURCE_MARKER}) AS ${S} ON ${T}.${HAS_MATCH}`
      : `${inner && !bySource ? 'INNER' : 'LEFT'} JOIN ${source} ON ${on} AND (${matchedAny})`;

  // Columns computed after the row is built (generated and identity ones) start out NULL; any
  // other column an insert leaves out is NULL, or fails when NOT NULL.
  const generated = generatedColumns(finalSchema);
  const identities = identityColumns(finalSchema);
  const computedLater = new Set([...generated.map((g) => g.name), ...identities.map((c) => c.name)]);
  const missingValue = (f: StructField): string =>
    f.nullable || computedLater.has(f.name) ? `CAST(NULL AS ${toDuckType(f.type)})` : castValue(f, 'NULL');
  const insertCodes = inserts.map((_, j) => INSERT_BASE + j);
  const inCodes = (codes: readonly number[]): string =>
    codes.length === 0 ? 'FALSE' : `${ACTION} IN (${codes.join(', ')})`;
  const assigning = (name: string, has: boolean): number[] => [
    ...[...sets.entries()].filter(([, set]) => set.has(name) === has).map(([code]) => code),
    ...insertCodes.filter((_, j) => inserts[j]!.has(name) === has),
  ];
  const identityInserts = identities
    .map((column) => ({ column, codes: insertCodes.filter((_, j) => !inserts[j]!.has(column.name)) }))
    .filter((x) => x.codes.length > 0);
  // New rows (mode 'new') get their generated columns recomputed or checked, then their identity
  // values; the action column is dropped last.
  const finish = (rows: string, mode: 'old' | 'new' | 'updated'): string => {
    let sql = rows;
    if (mode !== 'old') {
      sql =
        withGeneratedOnRewrite(
          sql,
          finalSchema,
          (g) => ({ recompute: inCodes(assigning(g.name, false)), check: inCodes(assigning(g.name, true)) }),
          toDuckType,
        ) ?? sql;
      if (identityInserts.length > 0) {
        const values = identityInserts.map(({ column, codes }) => {
          const name = quoteIdent(column.name);
          return `CASE WHEN ${inCodes(codes)} THEN ${identityValueSql(column, inCodes(codes), toDuckType)} ELSE ${name} END AS ${name}`;
        });
        sql = `SELECT * REPLACE (${values.join(', ')}) FROM (${sql}) AS __loch_ids`;
      }
    }
    return keepAction
      ? `SELECT ${ACTION}, * EXCLUDE (${ACTION}) FROM (${sql}) AS __loch_out`
      : `SELECT * EXCLUDE (${ACTION}) FROM (${sql}) AS __loch_out`;
  };

  const insertColumns = finalSchema.fields
    .map((f) => {
      const whens = inserts
        .map((set, j) =>
          set.has(f.name) ? `WHEN ${INSERT_BASE + j} THEN ${castValue(f, set.get(f.name)!)}` : '',
        )
        .filter((w) => w !== '');
      const missing = missingValue(f);
      return `${whens.length === 0 ? missing : `CASE ${ACTION} ${whens.join(' ')} ELSE ${missing} END`} AS ${quoteIdent(f.name)}`;
    })
    .join(', ');

  // Target and insert columns in one CASE per column (for the FULL JOIN): target rows without an
  // action keep their values; insert codes without a value get NULL (or fail a NOT NULL column).
  // With deletion vectors only updated target rows are kept: a column every update sets never
  // reads the target's value.
  const allColumns = (updatedOnly: boolean): string =>
    finalSchema.fields
      .map((f) => {
        const missing = missingValue(f);
        const whens = [
          ...[...sets.entries()]
            .filter(([, set]) => set.has(f.name))
            .map(([code, set]) => `WHEN ${code} THEN ${castValue(f, set.get(f.name)!)}`),
          ...inserts.map(
            (set, j) =>
              `WHEN ${INSERT_BASE + j} THEN ${set.has(f.name) ? castValue(f, set.get(f.name)!) : missing}`,
          ),
        ];
        const always = updatedOnly && sets.size > 0 && [...sets.values()].every((set) => set.has(f.name));
        const otherwise = always ? '' : ` ELSE ${old(f)}`;
        return `${whens.length === 0 ? old(f) : `CASE ${ACTION} ${whens.join(' ')}${otherwise} END`} AS ${quoteIdent(f.name)}`;
      })
      .join(', ');
  const TARGET_MARKER = '__loch_tgt';

  const unmatched = (candidatesScan: string | undefined): string =>
    candidatesScan === undefined
      ? ''
      : ` WHERE NOT EXISTS (SELECT 1 FROM (${mayMatch(candidatesScan)}) AS ${T} WHERE ${on})`;
  return {
    target: aliases.target,
    source: aliases.source,
    schema: finalSchema,
    updateCodes,
    deleteCodes,
    allowMultipleMatches,
    targetRows: (scan, columns, where, rows = 'all') =>
      finish(
        `SELECT * FROM (SELECT ${targetAction} AS ${ACTION}${columnList(columns)} ` +
          `FROM ${targetFrom(rows === 'mayMatch' ? mayMatch(scan) : scan)} ${join(false)}) AS __loch_rows ` +
          `WHERE ${where.replaceAll('$A', ACTION)}`,
        columns,
      ),
    unmatchedRows: (scan) =>
      `SELECT ${columnList('old').slice(2)} FROM ${marked(scan)} AS ${T} WHERE ${T}.${MAY_MATCH} IS NOT TRUE`,
    prefiltered: prefilter !== undefined,
    targetActions: (scan, fileColumn, rowColumn) =>
      `SELECT * FROM (SELECT ${T}.${quoteIdent(fileColumn)} AS __f, ${T}.${quoteIdent(rowColumn)} AS __r, ` +
      `${targetAction} AS __a FROM ${targetFrom(mayMatch(scan))} ${join(true)}) AS __loch_rows WHERE __a IS NOT NULL`,
    fullJoinable: matchedAny === 'TRUE',
    allRows: (scan, dv, rows = 'all') => {
      const keepTarget = dv
        ? updateCodes.length === 0
          ? 'FALSE'
          : `${ACTION} IN (${updateCodes.join(', ')})`
        : deleteCodes.length === 0
          ? 'TRUE'
          : `(${ACTION} IS NULL OR ${ACTION} NOT IN (${deleteCodes.join(', ')}))`;
      const action = `CASE WHEN ${T}.${TARGET_MARKER} IS NULL THEN ${chooser(spec.notMatched, INSERT_BASE)} ELSE ${targetAction} END`;
      return finish(
        `SELECT * EXCLUDE (${TARGET_MARKER}) FROM (SELECT ${action} AS ${ACTION}, ${T}.${TARGET_MARKER}, ${allColumns(dv)} ` +
          `FROM ${targetFrom(`SELECT *, TRUE AS ${TARGET_MARKER} FROM (${rows === 'mayMatch' ? mayMatch(scan) : scan}) AS __loch_t`)} FULL JOIN ${source} ON ${on}) AS __loch_rows ` +
          `WHERE (${TARGET_MARKER} AND ${keepTarget}) OR (${TARGET_MARKER} IS NULL AND ${ACTION} IS NOT NULL)`,
        'new',
      );
    },
    insertCodes,
    identityInserts,
    insertCounts: (candidatesScan) =>
      `SELECT __a, count(*) FROM (SELECT ${chooser(spec.notMatched, INSERT_BASE)} AS __a FROM ${rawSource}` +
      `${unmatched(candidatesScan)}) AS __loch_rows WHERE __a IS NOT NULL GROUP BY __a`,
    insertRows: (candidatesScan, where) => {
      return finish(
        `SELECT * FROM (SELECT ${chooser(spec.notMatched, INSERT_BASE)} AS ${ACTION}, ${insertColumns} ` +
          `FROM ${rawSource}${unmatched(candidatesScan)}) AS __loch_rows WHERE ${where.replaceAll('$A', ACTION)}`,
        'new',
      );
    },
  };
}

/** The new columns schema evolution adds: source columns of `*` clauses missing from the table. */
export function evolvedSchema(spec: MergeSpec, table: StructType, source: StructType): StructType {
  const star =
    spec.matched.some((c) => c.kind === 'updateAll') || spec.notMatched.some((c) => c.kind === 'insertAll');
  if (spec.options.mergeSchema !== true || !star) return table;
  const added = source.fields
    .filter((s) => s.name !== SOURCE_MARKER && findField(table.fields, s.name) === undefined)
    .map((s) => ({ name: s.name, type: s.type, nullable: true, metadata: {} }));
  return added.length === 0 ? table : { kind: 'struct', fields: [...table.fields, ...added] };
}
