// Predicates in negation normal form over "column op literal" leaves. NOT is pushed down to
// the leaves, which is exact under SQL three-valued logic: NOT(x < 5) and x >= 5 are both NULL
// when x is NULL, De Morgan holds for Kleene logic, and NOT of an unknown stays unknown.
import { type ComparisonOp, type Expr, flipOp, type LiteralExpr, negateOp } from './types.js';

export type Leaf =
  | {
      readonly t: 'cmp';
      readonly path: readonly string[];
      readonly op: ComparisonOp;
      readonly lit: LiteralExpr;
    }
  | { readonly t: 'null'; readonly path: readonly string[]; readonly negated: boolean }
  | {
      readonly t: 'prefix';
      readonly path: readonly string[];
      readonly prefix: string;
      readonly negated: boolean;
    }
  /** A row-independent result: true may match, false and NULL never do. */
  | { readonly t: 'const'; readonly value: boolean | null }
  | { readonly t: 'unknown' };

export type Nnf = Leaf | { readonly t: 'and' | 'or'; readonly children: readonly Nnf[] };

const UNKNOWN: Leaf = { t: 'unknown' };

/** The predicate (or its negation) in negation normal form. */
export function toNnf(e: Expr, negated = false): Nnf {
  switch (e.kind) {
    case 'not':
      return toNnf(e.child, !negated);
    case 'and':
    case 'or': {
      const children = e.children.map((c) => toNnf(c, negated));
      const t = (e.kind === 'and') !== negated ? 'and' : 'or';
      return { t, children };
    }
    case 'comparison':
      return comparison(e.op, e.left, e.right, negated);
    case 'between': {
      // x BETWEEN a AND b = x >= a AND x <= b; its negation is x < a OR x > b.
      const ge = comparison('>=', e.value, e.low, negated);
      const le = comparison('<=', e.value, e.high, negated);
      return { t: negated ? 'or' : 'and', children: [ge, le] };
    }
    case 'in': {
      // x IN (a, b) = x = a OR x = b; NOT IN = x != a AND x != b (so a NULL in the list is never TRUE).
      if (e.list.length === 0) return { t: 'const', value: negated };
      const children = e.list.map((item) => comparison('=', e.value, item, negated));
      return { t: negated ? 'and' : 'or', children };
    }
    case 'isNull':
    case 'isNotNull': {
      const isNull = (e.kind === 'isNull') !== negated;
      if (e.value.kind === 'literal') return { t: 'const', value: (e.value.value === null) === isNull };
      if (e.value.kind !== 'column') return UNKNOWN;
      return { t: 'null', path: e.value.path, negated: !isNull };
    }
    case 'startsWith': {
      if (e.value.kind === 'literal' && e.value.value === null) return { t: 'const', value: null };
      if (e.value.kind !== 'column') return UNKNOWN;
      return { t: 'prefix', path: e.value.path, prefix: e.prefix, negated };
    }
    case 'literal': {
      const v = e.value;
      if (v === null) return { t: 'const', value: null };
      if (typeof v === 'boolean') return { t: 'const', value: v !== negated };
      return UNKNOWN;
    }
    case 'column':
      // A boolean column used as a predicate: `WHERE flag` is `flag = true`.
      return comparison(
        '=',
        e,
        { kind: 'literal', value: !negated, type: { kind: 'primitive', name: 'boolean' } },
        false,
      );
    case 'unknown':
      return UNKNOWN;
  }
}

function comparison(op: ComparisonOp, left: Expr, right: Expr, negated: boolean): Nnf {
  const o = negated ? negateOp(op) : op;
  if (left.kind === 'literal' && left.value === null) return { t: 'const', value: null };
  if (right.kind === 'literal' && right.value === null) return { t: 'const', value: null };
  if (left.kind === 'column' && right.kind === 'literal')
    return { t: 'cmp', path: left.path, op: o, lit: right };
  if (left.kind === 'literal' && right.kind === 'column')
    return { t: 'cmp', path: right.path, op: flipOp(o), lit: left };
  return UNKNOWN;
}
