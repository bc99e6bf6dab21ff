// DuckDB's parsed expression JSON (from `json_serialize_sql`) -> skipping predicate. Only the
// shapes stats can decide are translated; any other node becomes `unknown`, which keeps the
// file. Integers beyond 2^53 and HUGEINT-backed decimals are already rounded in DuckDB's JSON
// output, so they are unknown too rather than compared wrongly.
import { findField } from '../schema/column-mapping.js';
import type { DataType, StructType } from '../schema/types.js';
import { type ComparisonOp, Expr, type LiteralValue } from './types.js';

export interface FromSqlOptions {
  /** Table names or aliases that may qualify a column (`t.x`): stripped from column paths. */
  readonly qualifiers?: readonly string[];
  /** With a schema, `a.b` resolves to a struct field when `a` is a column, else `a` is a qualifier. */
  readonly schema?: StructType;
}

type Node = Readonly<Record<string, unknown>>;

const COMPARISONS: Readonly<Record<string, ComparisonOp>> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '!=',
  COMPARE_LESSTHAN: '<',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHAN: '>',
  COMPARE_GREATERTHANOREQUALTO: '>=',
};

const prim = (
  name: 'string' | 'long' | 'integer' | 'double' | 'boolean' | 'date' | 'timestamp' | 'timestamp_ntz',
): DataType => ({
  kind: 'primitive',
  name,
});

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The WHERE clause of the first statement of a `json_serialize_sql` result (text or parsed),
 * as a predicate; undefined when the statement has no WHERE clause.
 */
export function fromDuckDbSelectWhere(
  serialized: string | object,
  options: FromSqlOptions = {},
): Expr | undefined {
  const root: unknown = typeof serialized === 'string' ? JSON.parse(serialized) : serialized;
  const statements = isNode(root) ? root.statements : undefined;
  const first = Array.isArray(statements) ? statements[0] : undefined;
  const node = isNode(first) && isNode(first.node) ? first.node : undefined;
  const where = node?.where_clause;
  return isNode(where) ? fromDuckDbExpression(where, options) : undefined;
}

/** One serialized DuckDB parsed expression as a predicate. */
export function fromDuckDbExpression(node: unknown, options: FromSqlOptions = {}): Expr {
  if (!isNode(node)) return Expr.unknown('not an expression node');
  const type = String(node.type);
  const children = Array.isArray(node.children) ? (node.children as unknown[]) : [];
  const conv = (n: unknown): Expr => fromDuckDbExpression(n, options);
  switch (node.class) {
    case 'CONJUNCTION':
      if (type === 'CONJUNCTION_AND') return Expr.and(...children.map(conv));
      if (type === 'CONJUNCTION_OR') return Expr.or(...children.map(conv));
      break;
    case 'COMPARISON': {
      const op = COMPARISONS[type];
      if (op !== undefined) return Expr.cmp(op, conv(node.left), conv(node.right));
      break;
    }
    case 'BETWEEN':
      return Expr.between(conv(node.input), conv(node.lower), conv(node.upper));
    case 'OPERATOR':
      switch (type) {
        case 'OPERATOR_NOT':
          return children.length === 1 ? Expr.not(conv(children[0])) : Expr.unknown('NOT arity');
        case 'OPERATOR_IS_NULL':
          return Expr.isNull(conv(children[0]));
        case 'OPERATOR_IS_NOT_NULL':
          return Expr.isNotNull(conv(children[0]));
        case 'COMPARE_IN':
        case 'COMPARE_NOT_IN': {
          const e = Expr.in(conv(children[0]), children.slice(1).map(conv));
          return type === 'COMPARE_IN' ? e : Expr.not(e);
        }
      }
      break;
    case 'FUNCTION':
      return fromFunction(String(node.function_name), children, conv);
    case 'COLUMN_REF':
      return column(node.column_names, options);
    case 'CONSTANT':
      return constant(node.value);
    case 'CAST':
      return node.try_cast === true ? Expr.unknown('TRY_CAST') : cast(node.child, node.cast_type);
  }
  return Expr.unknown(`unsupported ${String(node.class)} ${type}`);
}

function fromFunction(name: string, children: unknown[], conv: (n: unknown) => Expr): Expr {
  const lower = name.toLowerCase();
  const pattern = children[1];
  const text = isNode(pattern) && pattern.class === 'CONSTANT' ? constantValue(pattern.value) : undefined;
  const patternText = typeof text?.value === 'string' ? text.value : undefined;
  if (patternText === undefined) return Expr.unknown(`function ${name}`);
  const value = conv(children[0]);
  switch (lower) {
    case '~~':
    case 'like':
      return Expr.like(value, patternText);
    case '!~~':
    case 'not_like':
      return Expr.not(Expr.like(value, patternText));
    case 'like_escape':
    case 'not_like_escape': {
      const esc = isNode(children[2]) ? constantValue(children[2].value)?.value : undefined;
      if (typeof esc !== 'string') return Expr.unknown(`function ${name}`);
      const e = Expr.like(value, patternText, esc);
      return lower === 'like_escape' ? e : Expr.not(e);
    }
    case 'prefix':
    case 'starts_with':
      return Expr.startsWith(value, patternText);
  }
  return Expr.unknown(`function ${name}`);
}

function column(names: unknown, options: FromSqlOptions): Expr {
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    return Expr.unknown('column reference without names');
  }
  let path = names as string[];
  const q = options.qualifiers?.map((s) => s.toLowerCase()) ?? [];
  if (path.length > 1) {
    const head = path[0]!.toLowerCase();
    const resolvesWhole = options.schema !== undefined && findField(options.schema, path) !== undefined;
    if (!resolvesWhole && q.includes(head)) path = path.slice(1);
    else if (
      !resolvesWhole &&
      options.schema !== undefined &&
      findField(options.schema, path.slice(1)) !== undefined
    )
      path = path.slice(1);
  }
  // Not Expr.col(name): a single quoted name may itself contain a dot.
  return Object.freeze({ kind: 'column', path: Object.freeze([...path]) });
}

interface Constant {
  readonly value: LiteralValue;
  readonly type?: DataType;
  /** Decimal scale, for casts. */
  readonly scale?: number;
}

/** A DuckDB constant `{type:{id,type_info}, is_null, value}`; undefined when it is not exact. */
function constantValue(raw: unknown): Constant | undefined {
  if (!isNode(raw) || !isNode(raw.type)) return undefined;
  if (raw.is_null === true) return { value: null };
  const id = String(raw.type.id);
  const v = raw.value;
  switch (id) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'UTINYINT':
    case 'USMALLINT':
    case 'UINTEGER':
    case 'UBIGINT':
      return typeof v === 'number' && Number.isSafeInteger(v) ? { value: BigInt(v), scale: 0 } : undefined;
    case 'DECIMAL': {
      const info = raw.type.type_info;
      const scale = isNode(info) && typeof info.scale === 'number' ? info.scale : undefined;
      if (scale === undefined || typeof v !== 'number' || !Number.isSafeInteger(v)) return undefined;
      const precision = isNode(info) && typeof info.width === 'number' ? info.width : 38;
      return { value: scaledText(BigInt(v), scale), type: { kind: 'decimal', precision, scale }, scale };
    }
    case 'FLOAT':
    case 'DOUBLE':
      return typeof v === 'number' ? { value: v, type: prim('double') } : undefined;
    case 'VARCHAR':
      return typeof v === 'string' ? { value: v } : undefined;
    case 'BOOLEAN':
      return typeof v === 'boolean' ? { value: v, type: prim('boolean') } : undefined;
  }
  return undefined;
}

function constant(raw: unknown): Expr {
  const c = constantValue(raw);
  if (c === undefined) return Expr.unknown('constant that JSON cannot carry exactly');
  return Expr.lit(c.value, c.type);
}

/** CAST(constant AS type): the constant typed as the cast says, when the cast cannot change it. */
function cast(child: unknown, castType: unknown): Expr {
  if (!isNode(child) || child.class !== 'CONSTANT' || !isNode(castType))
    return Expr.unknown('CAST of an expression');
  const c = constantValue(child.value);
  if (c === undefined) return Expr.unknown('constant that JSON cannot carry exactly');
  if (c.value === null) return Expr.lit(null);
  const v = c.value;
  const text = typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : undefined;
  switch (String(castType.id)) {
    case 'DATE':
      return text === undefined ? Expr.unknown('CAST to DATE') : Expr.lit(text, prim('date'));
    case 'TIMESTAMP':
      return text === undefined ? Expr.unknown('CAST to TIMESTAMP') : Expr.lit(text, prim('timestamp_ntz'));
    case 'TIMESTAMP WITH TIME ZONE':
      return text === undefined ? Expr.unknown('CAST to TIMESTAMPTZ') : Expr.lit(text, prim('timestamp'));
    case 'VARCHAR':
      return typeof v === 'string' ? Expr.lit(v, prim('string')) : Expr.unknown('CAST to VARCHAR');
    case 'BOOLEAN':
      return typeof v === 'boolean' || typeof v === 'string'
        ? Expr.lit(v, prim('boolean'))
        : Expr.unknown('CAST');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      // Only integer constants: a cast of '1.5' or 1.5 to an integer rounds.
      return typeof v === 'bigint' || (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v))
        ? Expr.lit(BigInt(String(v).trim()), prim('long'))
        : Expr.unknown('CAST to an integer type');
    case 'DECIMAL': {
      const info = castType.type_info;
      const scale = isNode(info) && typeof info.scale === 'number' ? info.scale : undefined;
      const precision = isNode(info) && typeof info.width === 'number' ? info.width : 18;
      const fraction =
        typeof v !== 'string'
          ? c.scale
          : /[eE]/.test(v)
            ? undefined
            : (/\.(\d*)\s*$/.exec(v)?.[1]?.length ?? 0);
      if (scale === undefined || text === undefined || fraction === undefined || fraction > scale)
        return Expr.unknown('CAST to DECIMAL that may round');
      return Expr.lit(text, { kind: 'decimal', precision, scale });
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const n = typeof v === 'number' ? v : text === undefined ? Number.NaN : Number(text);
      if (Number.isNaN(n)) return Expr.unknown(`CAST to ${String(castType.id)}`);
      return Expr.lit(String(castType.id) === 'FLOAT' ? Math.fround(n) : n, prim('double'));
    }
  }
  return Expr.unknown(`CAST to ${String(castType.id)}`);
}

function scaledText(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
