import { PgOid } from '@loch/pgwire';
import { describe, expect, it } from 'vitest';
import { findPlaceholders, parameterCount, sqlLiteral, substitute } from './bind-sql.js';

describe('placeholders', () => {
  it('finds $n outside strings, identifiers and comments', () => {
    const sql = `SELECT $1, '$2', "$3", $10 -- $4\n/* $5 */ FROM t WHERE a=$2`;
    expect(findPlaceholders(sql).map((p) => p.index)).toEqual([1, 10, 2]);
    expect(parameterCount(findPlaceholders(sql), 0)).toBe(10);
    expect(parameterCount([], 3)).toBe(3);
  });

  it('substitutes parenthesised literals', () => {
    const sql = 'SELECT x - $1, $2';
    expect(substitute(sql, findPlaceholders(sql), ['CAST(-5 AS INTEGER)', "'a'"])).toBe(
      "SELECT x - (CAST(-5 AS INTEGER)), ('a')",
    );
  });
});

describe('sqlLiteral', () => {
  it('quotes text so it cannot end the literal', () => {
    expect(sqlLiteral(0, "x'); DROP TABLE t; --")).toBe("'x''); DROP TABLE t; --'");
    expect(sqlLiteral(PgOid.text, "it's")).toBe("'it''s'");
  });

  it('renders typed values from their decoded form', () => {
    expect(sqlLiteral(PgOid.int4, 42)).toBe("CAST('42' AS INTEGER)");
    expect(sqlLiteral(PgOid.int8, -7n)).toBe("CAST('-7' AS BIGINT)");
    expect(sqlLiteral(PgOid.bool, true)).toBe('TRUE');
    expect(sqlLiteral(PgOid.numeric, '12.340')).toBe("CAST('12.340' AS DECIMAL(5,3))");
    expect(sqlLiteral(PgOid.numeric, 'NaN')).toBe("CAST('NaN' AS DOUBLE)");
    expect(sqlLiteral(PgOid.float8, Number.POSITIVE_INFINITY)).toBe("CAST('Infinity' AS DOUBLE)");
    expect(sqlLiteral(PgOid.date, 19723)).toBe("CAST('2024-01-01' AS DATE)");
    expect(sqlLiteral(PgOid.bytea, new Uint8Array([1, 255]))).toBe("from_hex('01ff')");
    expect(sqlLiteral(PgOid._int4, [1, null])).toBe(
      "CAST([CAST('1' AS INTEGER), CAST(NULL AS INTEGER)] AS INTEGER[])",
    );
    expect(sqlLiteral(PgOid.int4, null)).toBe('CAST(NULL AS INTEGER)');
    expect(sqlLiteral(0, null)).toBe('NULL');
  });
});
