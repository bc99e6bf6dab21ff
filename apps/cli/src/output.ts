// Renders a statement result in the format the user asked for.
import { type QueryResult, toCsv, toJson, toNdjson, toTable } from '@loch/engine-duckdb';
import type { OutputFormat } from './usage.js';

/** The text to print for `result` (ending in a newline), or '' for a result without columns. */
export function render(result: QueryResult, format: OutputFormat): string {
  if (result.columns.length === 0) return format === 'json' ? '[]\n' : '';
  const text = (() => {
    switch (format) {
      case 'table':
        return toTable(result);
      case 'ndjson':
        return toNdjson(result);
      case 'csv':
        return toCsv(result);
      case 'json':
        return toJson(result);
    }
  })();
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** Keeps only the named columns (in that order): the demo shows a readable slice of wide results. */
export function project(result: QueryResult, names: readonly string[]): QueryResult {
  const idx = names.map((n) => result.columns.findIndex((c) => c.name === n)).filter((i) => i >= 0);
  return {
    columns: idx.map((i) => result.columns[i]!),
    rows: result.rows.map((r) => idx.map((i) => r[i])),
  };
}
