import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';
import { chunkRows } from './chunk-rows.js';

it('reads the same values as node-api getRows, for every kind of column and NULLs', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const result =
      await conn.run(`SELECT range AS i, 'n-' || range AS s, CAST(range / 7 AS DECIMAL(18,3)) AS d,
        DATE '2024-01-01' + CAST(range AS INTEGER) AS day, TIMESTAMP '2024-01-01' + INTERVAL (range) SECOND AS ts,
        range % 2 = 0 AS b, CASE WHEN range % 3 = 0 THEN NULL ELSE range END AS maybe,
        [range, NULL] AS l, {'a': range, 'b': 'x'} AS st, MAP {'k': range} AS m, '\\x01'::BLOB AS bl,
        1.5::DOUBLE AS f, INTERVAL 3 DAY AS iv
      FROM range(3000)`);
    const ours: unknown[][] = [];
    const theirs: unknown[][] = [];
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      ours.push(...chunkRows(chunk));
      theirs.push(...chunk.getRows());
    }
    expect(ours.length).toBe(3000);
    const text = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? null : String(v))));
    expect(text(ours)).toEqual(text(theirs));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
