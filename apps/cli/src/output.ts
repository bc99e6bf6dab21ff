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

/**
 * What a script prints. Tables: every statement that returns rows, in order, a blank line apart
 * (as psql and the DuckDB shell do), with EXPLAIN's plan printed as plain text. Machine formats:
 * the last statement's result only, so the output stays one parseable document.
 */
export function renderScript(results: readonly QueryResult[], format: OutputFormat): string {
  if (format !== 'table') {
    const last = results[results.length - 1];
    return last === undefined ? '' : render(last, format);
  }
  return results
    .filter((r) => r.columns.length > 0)
    .map((r) =>
      // A multi-line plan is unreadable inside a table cell.
      r.columns[1]?.name === 'explain_value'
        ? `${r.rows.map((row) => String(row[1])).join('\n\n')}\n`
        : render(r, format),
    )
    .join('\n');
}
