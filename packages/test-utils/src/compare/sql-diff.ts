// The multiset difference of two relations computed inside DuckDB: both sides become canonical row
// strings, are counted per distinct row, and only rows whose counts differ come back to JS. Same
// answer as canonicalizing both sides in JS, without shipping a million strings across for tables
// that match.
import { canonicalSql } from './canonical-sql.js';
import { parseDuckType, quoteIdent, quoteString } from './duck-type.js';
import type { MultisetDiff, RowCount } from './multiset.js';
import type { SqlColumn, SqlRunner } from './sql-runner.js';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** SQL text of one row's canonical string: `a=<canon> | b=<canon>`, columns in name order. */
export function canonicalRowSql(columns: readonly SqlColumn[], alias: string): string {
  const sorted = [...columns].sort((a, b) => byName(a.name, b.name));
  if (sorted.length === 0) return `''`;
  return sorted
    .map((c, i) => {
      const label = quoteString(`${i === 0 ? '' : ' | '}${c.name}=`);
      return `${label} || ${canonicalSql(`${alias}.${quoteIdent(c.name)}`, parseDuckType(c.type))}`;
    })
    .join(' || ');
}

export interface SqlDiffResult {
  readonly expectedCount: number;
  readonly actualCount: number;
  readonly diff: MultisetDiff;
}

/** Diff of two relations with the same column names (types may differ: values are compared). */
export async function diffRelationsInSql(
  runner: SqlRunner,
  expected: { readonly sql: string; readonly columns: readonly SqlColumn[] },
  actual: { readonly sql: string; readonly columns: readonly SqlColumn[] },
): Promise<SqlDiffResult> {
  const sql = `
    WITH ec AS (SELECT ${canonicalRowSql(expected.columns, '__e')} AS r, count(*) AS n
                FROM (${expected.sql}) AS __e GROUP BY ALL),
         ac AS (SELECT ${canonicalRowSql(actual.columns, '__a')} AS r, count(*) AS n
                FROM (${actual.sql}) AS __a GROUP BY ALL)
    SELECT 'total' AS kind, NULL::VARCHAR AS r,
           (SELECT COALESCE(sum(n), 0) FROM ec)::BIGINT AS en,
           (SELECT COALESCE(sum(n), 0) FROM ac)::BIGINT AS an
    UNION ALL
    SELECT 'row', COALESCE(ec.r, ac.r), COALESCE(ec.n, 0)::BIGINT, COALESCE(ac.n, 0)::BIGINT
    FROM ec FULL OUTER JOIN ac ON ec.r = ac.r
    WHERE COALESCE(ec.n, 0) <> COALESCE(ac.n, 0)`;
  const result = await runner.query(sql);
  let expectedCount = 0;
  let actualCount = 0;
  const missing: RowCount[] = [];
  const unexpected: RowCount[] = [];
  for (const [kind, r, en, an] of result.rows) {
    const e = Number(en);
    const a = Number(an);
    if (kind === 'total') {
      expectedCount = e;
      actualCount = a;
    } else if (e > a) {
      missing.push({ row: String(r), count: e - a });
    } else {
      unexpected.push({ row: String(r), count: a - e });
    }
  }
  const sortRows = (rows: RowCount[]): RowCount[] => rows.sort((x, y) => byName(x.row, y.row));
  return {
    expectedCount,
    actualCount,
    diff: { missing: sortRows(missing), unexpected: sortRows(unexpected) },
  };
}
