// File pruning ("data skipping"). A file is skipped only when the predicate is certainly not
// TRUE for any of its rows, judged from its partition values (exact) and its stats (bounds).
// Everything uncertain (no stats, a column without stats, an expression we cannot read)
// means "may match", so pruning can make a query faster but never changes its result.
import type { AddFile } from '../actions/types.js';
import type { StructType } from '../schema/types.js';
import type { ColumnMappingMode, Snapshot } from '../snapshot/types.js';
import { type ColumnBounds, partitionBounds, UNKNOWN_BOUNDS } from './column-bounds.js';
import { type Nnf, toNnf } from './normalize.js';
import { type Column, resolveColumn } from './resolve-column.js';
import { fileBounds, filesBounds } from './stats-index.js';
import { statsReader } from './stats-scan.js';
import type { ComparisonOp, Expr } from './types.js';
import { compareUtf8, compareValues, type Domain, type DomainValue, literalToDomain } from './values.js';

export interface SkippingContext {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: ColumnMappingMode;
  /** Characters a writer may truncate string stats to (Spark's dataSkippingStringPrefixLength). */
  readonly stringPrefixLength?: number;
}

export interface PruneResult {
  readonly files: readonly AddFile[];
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly bytesTotal: number;
  readonly bytesScanned: number;
}

type Compiled =
  | { readonly t: 'const'; readonly may: boolean }
  | { readonly t: 'cmp'; readonly col: Column; readonly op: ComparisonOp; readonly lit: DomainValue }
  | { readonly t: 'null'; readonly col: Column; readonly negated: boolean }
  | { readonly t: 'prefix'; readonly col: Column; readonly prefix: string; readonly negated: boolean }
  | { readonly t: 'and' | 'or'; readonly children: readonly Compiled[] };

const MAY: Compiled = { t: 'const', may: true };
const NEVER: Compiled = { t: 'const', may: false };

/**
 * Compiles a predicate against a table once; the returned function says whether a file can be
 * skipped. Use it for files outside a snapshot; `pruneFiles` keeps per-column bounds of a
 * snapshot's files across queries.
 */
export function compileSkipping(pred: Expr, ctx: SkippingContext): (file: AddFile) => boolean {
  const prefixLength = ctx.stringPrefixLength ?? 32;
  const compiled = simplify(compile(toNnf(pred), ctx, new Map()));
  if (compiled.t === 'const' && !compiled.may) return () => true;
  const columns = compiled.t === 'const' ? [] : collectColumns(compiled);
  const statsColumns = columns.filter((c) => c.partitionKeys === undefined);
  const readers = statsColumns.map((c) => statsReader(c.statsPath));
  const statsRow: ColumnBounds[] = new Array(statsColumns.length);
  const row: ColumnBounds[] = new Array(columns.length);
  const bounds = (col: Column): ColumnBounds => row[col.index]!;
  return (file) => {
    // Zero physical records means zero live ones, deletion vector or not.
    if (fileBounds(file, statsColumns, readers, prefixLength, statsRow)) return true;
    if (compiled.t === 'const') return false;
    let k = 0;
    for (const c of columns) {
      row[c.index] =
        c.partitionKeys !== undefined
          ? partitionBounds(file, c.partitionKeys, c.type, c.domain)
          : statsRow[k++]!;
    }
    return !mayMatch(compiled, bounds);
  };
}

/** Numbers the distinct columns of a compiled predicate, for the per-file bounds cache. */
function collectColumns(c: Compiled, out: Column[] = []): Column[] {
  if (c.t === 'and' || c.t === 'or') {
    for (const k of c.children) collectColumns(k, out);
  } else if ('col' in c && !out.includes(c.col)) {
    (c.col as { index: number }).index = out.length;
    out.push(c.col);
  }
  return out;
}

/** True when no row of `file` can satisfy `pred`. */
export function canSkipFile(pred: Expr, file: AddFile, ctx: SkippingContext): boolean {
  return compileSkipping(pred, ctx)(file);
}

/** The snapshot's files that may hold rows matching `pred`, with counts for metrics. */
export function pruneFiles(
  snapshot: Pick<Snapshot, 'files' | 'schema' | 'partitionColumns' | 'columnMappingMode'>,
  pred: Expr | undefined,
  options: { readonly stringPrefixLength?: number } = {},
): PruneResult {
  const all = snapshot.files;
  let bytesTotal = 0;
  for (const f of all) bytesTotal += f.size;
  if (pred === undefined) {
    return {
      files: all,
      filesTotal: all.length,
      filesScanned: all.length,
      bytesTotal,
      bytesScanned: bytesTotal,
    };
  }
  const compiled = simplify(
    compile(
      toNnf(pred),
      {
        schema: snapshot.schema,
        partitionColumns: snapshot.partitionColumns,
        columnMappingMode: snapshot.columnMappingMode,
      },
      new Map(),
    ),
  );
  if (compiled.t === 'const' && !compiled.may) {
    return { files: [], filesTotal: all.length, filesScanned: 0, bytesTotal, bytesScanned: 0 };
  }
  const columns = compiled.t === 'const' ? [] : collectColumns(compiled);
  const index = filesBounds(all, columns, options.stringPrefixLength ?? 32);
  const { empty } = index;
  const byColumn = index.columns;
  let i = 0;
  const bounds = (col: Column): ColumnBounds => byColumn[col.index]![i]!;
  const files: AddFile[] = [];
  let bytesScanned = 0;
  for (; i < all.length; i++) {
    if (empty[i] === 1 || !mayMatch(compiled, bounds)) continue;
    const f = all[i]!;
    files.push(f);
    bytesScanned += f.size;
  }
  return { files, filesTotal: all.length, filesScanned: files.length, bytesTotal, bytesScanned };
}

function compile(n: Nnf, ctx: SkippingContext, memo: Map<string, Column | null>): Compiled {
  switch (n.t) {
    case 'and':
    case 'or':
      return { t: n.t, children: n.children.map((c) => compile(c, ctx, memo)) };
    case 'const':
      return n.value === true ? MAY : NEVER;
    case 'unknown':
      return MAY;
    case 'null': {
      const col = resolveColumn(ctx, memo, n.path, undefined);
      return col === undefined ? MAY : { t: 'null', col, negated: n.negated };
    }
    case 'prefix': {
      const col = resolveColumn(ctx, memo, n.path, undefined);
      return col?.domain !== 'string' ? MAY : { t: 'prefix', col, prefix: n.prefix, negated: n.negated };
    }
    case 'cmp': {
      const col = resolveColumn(ctx, memo, n.path, n.lit.type);
      if (col === undefined) return MAY;
      const lit = literalToDomain(n.lit, col.type, col.domain);
      if (lit === null) return NEVER; // comparing with NULL is never TRUE
      if (lit === undefined) return MAY;
      return { t: 'cmp', col, op: n.op, lit };
    }
  }
}

/** Folds constants so a predicate like `x = NULL OR y > 1` loses its dead branch. */
function simplify(c: Compiled): Compiled {
  if (c.t !== 'and' && c.t !== 'or') return c;
  const children = c.children.map(simplify);
  const absorbing = c.t === 'or';
  if (children.some((k) => k.t === 'const' && k.may === absorbing)) return absorbing ? MAY : NEVER;
  const rest = children.filter((k) => k.t !== 'const');
  if (rest.length === 0) return absorbing ? NEVER : MAY;
  return rest.length === 1 ? rest[0]! : { t: c.t, children: rest };
}
function mayMatch(c: Compiled, bounds: (col: Column) => ColumnBounds): boolean {
  switch (c.t) {
    case 'const':
      return c.may;
    case 'and':
      return c.children.every((k) => mayMatch(k, bounds));
    case 'or':
      return c.children.some((k) => mayMatch(k, bounds));
    case 'null': {
      const b = bounds(c.col);
      return c.negated ? !b.allNull : !b.noNulls;
    }
    case 'cmp':
      return cmpMayMatch(c.op, c.lit, bounds(c.col), c.col.domain);
    case 'prefix':
      return prefixMayMatch(c.prefix, c.negated, bounds(c.col));
  }
}

function cmpMayMatch(op: ComparisonOp, lit: DomainValue, b: ColumnBounds, domain: Domain): boolean {
  if (b === UNKNOWN_BOUNDS) return true;
  if (b.allNull) return false;
  switch (op) {
    case '=':
      return !allBelow(b, lit, domain, true) && !allAbove(b, lit, domain, true);
    case '<':
      return !allAbove(b, lit, domain, false);
    case '<=':
      return !allAbove(b, lit, domain, true);
    case '>':
      return !allBelow(b, lit, domain, false);
    case '>=':
      return !allBelow(b, lit, domain, true);
    case '!=':
      // Only a file whose every non-null value equals the literal fails `!=`.
      return !(
        b.lower !== undefined &&
        b.upper !== undefined &&
        !b.upperIsPrefix &&
        compareValues(b.lower, lit, domain) === 0 &&
        compareValues(b.upper, lit, domain) === 0
      );
  }
}

/** Every non-null value is < lit (strict) or <= lit. */
function allBelow(b: ColumnBounds, lit: DomainValue, domain: Domain, strict: boolean): boolean {
  if (b.upper === undefined) return false;
  if (b.upperIsPrefix) {
    // Values' first N code points are <= upper; if upper < the literal's first N, values < literal.
    const n = Array.from(b.upper as string).length;
    return (
      compareUtf8(
        b.upper as string,
        Array.from(lit as string)
          .slice(0, n)
          .join(''),
      ) < 0
    );
  }
  const c = compareValues(b.upper, lit, domain);
  return strict ? c < 0 : c <= 0;
}

/** Every non-null value is > lit (strict) or >= lit. */
function allAbove(b: ColumnBounds, lit: DomainValue, domain: Domain, strict: boolean): boolean {
  if (b.lower === undefined) return false;
  const c = compareValues(b.lower, lit, domain);
  return strict ? c > 0 : c >= 0;
}

function prefixMayMatch(prefix: string, negated: boolean, b: ColumnBounds): boolean {
  if (b.allNull) return false;
  const lower = b.lower as string | undefined;
  const upper = b.upper as string | undefined;
  if (negated) {
    // NOT LIKE 'p%' fails only when every non-null value starts with p.
    return !(
      lower !== undefined &&
      upper !== undefined &&
      lower.startsWith(prefix) &&
      upper.startsWith(prefix)
    );
  }
  if (allBelow(b, prefix, 'string', true)) return false;
  // A lower bound past every string that starts with p.
  return !(lower !== undefined && !lower.startsWith(prefix) && compareUtf8(lower, prefix) > 0);
}
