// Read-only views of a predicate: the columns it reads, whether part of it is opaque, and its
// SQL-like text for EXPLAIN output and messages.
import type { Expr } from './types.js';

/** Logical column paths a predicate reads (e.g. to check that OPTIMIZE WHERE uses partition columns only). */
export function referencedColumns(e: Expr): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case 'column': {
        const key = x.path.join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          out.push([...x.path]);
        }
        return;
      }
      case 'literal':
      case 'unknown':
        return;
      case 'comparison':
        visit(x.left);
        visit(x.right);
        return;
      case 'between':
        visit(x.value);
        visit(x.low);
        visit(x.high);
        return;
      case 'in':
        visit(x.value);
        x.list.forEach(visit);
        return;
      case 'isNull':
      case 'isNotNull':
      case 'startsWith':
        visit(x.value);
        return;
      case 'and':
      case 'or':
        x.children.forEach(visit);
        return;
      case 'not':
        visit(x.child);
        return;
    }
  };
  visit(e);
  return out;
}

/** Whether a predicate contains a part we cannot reason about (EXPLAIN can say so). */
export const hasUnknown = (e: Expr): boolean =>
  e.kind === 'unknown' ||
  (e.kind === 'and' || e.kind === 'or'
    ? e.children.some(hasUnknown)
    : e.kind === 'not'
      ? hasUnknown(e.child)
      : e.kind === 'comparison'
        ? hasUnknown(e.left) || hasUnknown(e.right)
        : e.kind === 'between'
          ? hasUnknown(e.value) || hasUnknown(e.low) || hasUnknown(e.high)
          : e.kind === 'in'
            ? hasUnknown(e.value) || e.list.some(hasUnknown)
            : e.kind === 'isNull' || e.kind === 'isNotNull' || e.kind === 'startsWith'
              ? hasUnknown(e.value)
              : false);

/** SQL-like text of a predicate, for EXPLAIN and error messages. */
export function formatExpr(e: Expr): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  switch (e.kind) {
    case 'column':
      return e.path
        .map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `"${p.replaceAll('"', '""')}"`))
        .join('.');
    case 'literal': {
      const v = e.value;
      const t = e.type?.kind === 'primitive' ? e.type.name : e.type?.kind;
      if (v === null) return 'NULL';
      if (typeof v === 'string') {
        const prefix =
          t === 'date'
            ? 'DATE '
            : t === 'timestamp'
              ? 'TIMESTAMPTZ '
              : t === 'timestamp_ntz'
                ? 'TIMESTAMP '
                : '';
        return `${prefix}${q(v)}`;
      }
      return String(v);
    }
    case 'comparison':
      return `${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)}`;
    case 'between':
      return `${formatExpr(e.value)} BETWEEN ${formatExpr(e.low)} AND ${formatExpr(e.high)}`;
    case 'in':
      return `${formatExpr(e.value)} IN (${e.list.map(formatExpr).join(', ')})`;
    case 'isNull':
      return `${formatExpr(e.value)} IS NULL`;
    case 'isNotNull':
      return `${formatExpr(e.value)} IS NOT NULL`;
    case 'startsWith':
      return `${formatExpr(e.value)} LIKE ${q(`${e.prefix.replace(/[%_\\]/g, '\\$&')}%`)}${/[%_\\]/.test(e.prefix) ? " ESCAPE '\\'" : ''}`;
    case 'and':
    case 'or':
      return e.children.map((c) => `(${formatExpr(c)})`).join(e.kind === 'and' ? ' AND ' : ' OR ');
    case 'not':
      return `NOT (${formatExpr(e.child)})`;
    case 'unknown':
      return `<unknown: ${e.reason}>`;
  }
}
