import { describe, expect, it } from 'vitest';
import { sparkToDuckExpression } from './spark-expression.js';

describe('sparkToDuckExpression', () => {
  it('leaves shared syntax alone', () => {
    expect(sparkToDuckExpression('CAST(ts AS DATE)')).toBe('CAST(ts AS DATE)');
    expect(sparkToDuckExpression("a * 2 + year(ts) || 'to_date(x)'")).toBe(
      "a * 2 + year(ts) || 'to_date(x)'",
    );
  });

  it('rewrites to_date and date_format, nested too', () => {
    expect(sparkToDuckExpression('TO_DATE(ts)')).toBe('CAST(ts AS DATE)');
    expect(sparkToDuckExpression("date_format(to_date(ts), 'yyyy-MM-dd HH:mm')")).toBe(
      "strftime(CAST(ts AS DATE), '%Y-%m-%d %H:%M')",
    );
    expect(sparkToDuckExpression("concat(date_format(ts, 'yyyyMM'), '-', id)")).toBe(
      "concat(strftime(ts, '%Y%m'), '-', id)",
    );
  });

  it('keeps calls it cannot translate', () => {
    expect(sparkToDuckExpression("to_date(s, 'yyyy-MM-dd')")).toBe("to_date(s, 'yyyy-MM-dd')");
  });
});
