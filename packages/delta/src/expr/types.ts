// A small predicate language for data skipping. It covers what per-file statistics and partition
// values can decide; anything else is an `unknown` node, which always "may match", so a query
// that uses it is never wrong, only less pruned.
import type { DataType } from '../schema/types.js';

/** A literal's value. Decimals as text ('12.30') or numbers; dates as 'YYYY-MM-DD' or days;
 * timestamps as ISO text or bigint microseconds since the epoch. */
export type LiteralValue = string | number | bigint | boolean | null;

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { readonly kind: 'column'; readonly path: readonly string[] }
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly type?: DataType }
  | {
      readonly kind: 'comparison';
      readonly op: ComparisonOp;
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'between'; readonly value: Expr; readonly low: Expr; readonly high: Expr }
  | { readonly kind: 'in'; readonly value: Expr; readonly list: readonly Expr[] }
  | { readonly kind: 'isNull'; readonly value: Expr }
  | { readonly kind: 'isNotNull'; readonly value: Expr }
  /** `value LIKE 'prefix%'`: only prefix patterns, the only LIKE that stats can decide. */
  | { readonly kind: 'startsWith'; readonly value: Expr; readonly prefix: string }
  | { readonly kind: 'and'; readonly children: readonly Expr[] }
  | { readonly kind: 'or'; readonly children: readonly Expr[] }
  | { readonly kind: 'not'; readonly child: Expr }
  | { readonly kind: 'unknown'; readonly reason: string };

export type ExprKind = Expr['kind'];
export type ColumnExpr = Extract<Expr, { kind: 'column' }>;
export type LiteralExpr = Extract<Expr, { kind: 'literal' }>;

const FLIPPED: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const NEGATED: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '!=',
  '!=': '=',
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
};

/** `a op b` is `b flip(op) a`. */
export const flipOp = (op: ComparisonOp): ComparisonOp => FLIPPED[op];
/** Under SQL three-valued logic NOT(a op b) is exactly (a negate(op) b): both are NULL on NULLs. */
export const negateOp = (op: ComparisonOp): ComparisonOp => NEGATED[op];

const freeze = <T extends Expr>(e: T): T => Object.freeze(e);

/** Factory with the same name as the union (kysely style). */
export const Expr = {
  /** A column by logical path: `col('a')`, `col('s', 'x')` or `col('s.x')` for a nested field. */
  col: (...path: string[]): Expr =>
    freeze({ kind: 'column', path: Object.freeze(path.length === 1 ? path[0]!.split('.') : path) }),
  lit: (value: LiteralValue, type?: DataType): Expr =>
    freeze(type === undefined ? { kind: 'literal', value } : { kind: 'literal', value, type }),
  date: (iso: string): Expr => Expr.lit(iso, { kind: 'primitive', name: 'date' }),
  timestamp: (value: string | bigint): Expr => Expr.lit(value, { kind: 'primitive', name: 'timestamp' }),
  timestampNtz: (value: string | bigint): Expr =>
    Expr.lit(value, { kind: 'primitive', name: 'timestamp_ntz' }),
  decimal: (text: string, precision = 38, scale = decimalScale(text)): Expr =>
    Expr.lit(text, { kind: 'decimal', precision, scale }),
  cmp: (op: ComparisonOp, left: Expr, right: Expr): Expr => freeze({ kind: 'comparison', op, left, right }),
  eq: (l: Expr, r: Expr): Expr => Expr.cmp('=', l, r),
  ne: (l: Expr, r: Expr): Expr => Expr.cmp('!=', l, r),
  lt: (l: Expr, r: Expr): Expr => Expr.cmp('<', l, r),
  le: (l: Expr, r: Expr): Expr => Expr.cmp('<=', l, r),
  gt: (l: Expr, r: Expr): Expr => Expr.cmp('>', l, r),
  ge: (l: Expr, r: Expr): Expr => Expr.cmp('>=', l, r),
  between: (value: Expr, low: Expr, high: Expr): Expr => freeze({ kind: 'between', value, low, high }),
  in: (value: Expr, list: readonly Expr[]): Expr =>
    freeze({ kind: 'in', value, list: Object.freeze([...list]) }),
  isNull: (value: Expr): Expr => freeze({ kind: 'isNull', value }),
  isNotNull: (value: Expr): Expr => freeze({ kind: 'isNotNull', value }),
  startsWith: (value: Expr, prefix: string): Expr => freeze({ kind: 'startsWith', value, prefix }),
  /**
   * `value LIKE pattern` (DuckDB semantics: case-sensitive, no default escape): 'prefix%' becomes
   * startsWith, a pattern without wildcards equality, any other pattern is unknown.
   */
  like: (value: Expr, pattern: string, escapeChar?: string): Expr => {
    const parsed = parseLike(pattern, escapeChar);
    if (parsed === undefined) return Expr.unknown(`LIKE '${pattern}' is not a prefix pattern`);
    return parsed.exact
      ? Expr.eq(value, Expr.lit(parsed.text, { kind: 'primitive', name: 'string' }))
      : Expr.startsWith(value, parsed.text);
  },
  and: (...children: Expr[]): Expr =>
    children.length === 1 ? children[0]! : freeze({ kind: 'and', children: Object.freeze(children) }),
  or: (...children: Expr[]): Expr =>
    children.length === 1 ? children[0]! : freeze({ kind: 'or', children: Object.freeze(children) }),
  not: (child: Expr): Expr => freeze({ kind: 'not', child }),
  unknown: (reason: string): Expr => freeze({ kind: 'unknown', reason }),
} as const;

function decimalScale(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * The literal prefix of a LIKE pattern of the form 'abc%' (trailing %s, no other wildcard),
 * undefined for any other pattern, including 'abc' with no wildcard (that is equality).
 */
export function likePrefix(pattern: string, escapeChar?: string): string | undefined {
  const parsed = parseLike(pattern, escapeChar);
  return parsed === undefined || parsed.exact ? undefined : parsed.text;
}

function parseLike(pattern: string, escapeChar?: string): { text: string; exact: boolean } | undefined {
  let text = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (escapeChar !== undefined && escapeChar !== '' && ch === escapeChar) {
      const next = chars[i + 1];
      if (next === undefined) return undefined;
      text += next;
      i++;
    } else if (ch === '%') {
      // Trailing '%'s only: 'a%%' is still a prefix pattern.
      return chars.slice(i).every((c) => c === '%') ? { text, exact: false } : undefined;
    } else if (ch === '_') return undefined;
    else text += ch;
  }
  return { text, exact: true };
}
