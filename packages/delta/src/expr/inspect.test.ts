import { describe, expect, it } from 'vitest';
import { formatExpr, hasUnknown, referencedColumns } from './inspect.js';
import { Expr } from './types.js';

const { col, lit } = Expr;

describe('inspect', () => {
  const pred = Expr.and(
    Expr.eq(col('p'), lit(1)),
    Expr.or(Expr.between(col('s.x'), lit(1), lit(2)), Expr.not(Expr.in(col('p'), [lit(3)]))),
    Expr.like(col('name'), "O'B%"),
  );
  it('lists referenced columns once each', () => {
    expect(referencedColumns(pred)).toEqual([['p'], ['s', 'x'], ['name']]);
    expect(referencedColumns(Expr.unknown('f(x)'))).toEqual([]);
  });
  it('finds unknown parts at any depth', () => {
    expect(hasUnknown(pred)).toBe(false);
    expect(hasUnknown(Expr.or(pred, Expr.not(Expr.eq(col('a'), Expr.unknown('f')))))).toBe(true);
  });
  it('formats as SQL-like text', () => {
    expect(formatExpr(pred)).toBe(
      "(p = 1) AND ((s.x BETWEEN 1 AND 2) OR (NOT (p IN (3)))) AND (name LIKE 'O''B%')",
    );
    expect(formatExpr(Expr.ge(col('Weird Col'), Expr.date('2020-01-01')))).toBe(
      `"Weird Col" >= DATE '2020-01-01'`,
    );
    expect(formatExpr(Expr.startsWith(col('s'), 'a_b'))).toBe(String.raw`s LIKE 'a\_b%' ESCAPE '\'`);
    expect(formatExpr(Expr.eq(col('l'), lit(5n)))).toBe('l = 5');
  });
  it('LIKE without wildcards is equality', () => {
    expect(Expr.like(col('s'), 'abc')).toEqual(
      Expr.eq(col('s'), lit('abc', { kind: 'primitive', name: 'string' })),
    );
    expect(Expr.like(col('s'), 'a!%', '!')).toEqual(
      Expr.eq(col('s'), lit('a%', { kind: 'primitive', name: 'string' })),
    );
  });
});
