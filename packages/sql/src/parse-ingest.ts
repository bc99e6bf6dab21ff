// Ingestion statements:
//   CONVERT TO DELTA parquet.`/path` [NO STATISTICS] [PARTITIONED BY (col TYPE, ...)]
//   COPY INTO <table> FROM '<path or glob>' FILEFORMAT = CSV|JSON|PARQUET
//     [FILES = ('a', ...)] [PATTERN = 'glob'] [FORMAT_OPTIONS (...)] [COPY_OPTIONS (...)]
import type { ColumnDefinition, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseDataType } from './data-types.js';
import { parseProperties, targetTable } from './parse-common.js';
import { isPunct, isWord } from './tokenizer.js';

/** True at `CONVERT TO DELTA`. */
export const atConvert = (c: Cursor): boolean => c.peekWords('CONVERT', 'TO', 'DELTA');

/** True at `COPY INTO` (DuckDB's own `COPY t FROM` / `COPY (q) TO` stay DuckDB's). */
export const atCopyInto = (c: Cursor): boolean => c.peekWords('COPY', 'INTO');

export function parseConvert(c: Cursor): Statement {
  c.expectWords('CONVERT', 'TO', 'DELTA');
  const format = c.peek();
  if (!isWord(format, 'PARQUET') || !isPunct(c.peek(1), '.') || c.peek(2)?.kind !== 'quoted') {
    throw c.error('parquet.`/path/to/directory` (only parquet directories convert to Delta)');
  }
  c.pos += 2;
  const location = c.next().value;
  if (location.trim() === '') {
    c.pos--;
    throw c.error('a non-empty directory inside the quotes');
  }
  // Statistics are always collected: NO STATISTICS is accepted and ignored.
  c.acceptWords('NO', 'STATISTICS');
  const partitionedBy: Pick<ColumnDefinition, 'name' | 'type'>[] = [];
  if (c.acceptWords('PARTITIONED', 'BY')) {
    c.expectPunct('(');
    do {
      const name = c.identifier('a partition column name');
      partitionedBy.push({ name, type: parseDataType(c) });
    } while (c.acceptPunct(','));
    c.expectPunct(')');
  }
  c.expectEnd();
  return { kind: 'convertToDelta', location, partitionedBy };
}

export function parseCopyInto(c: Cursor): Statement {
  c.expectWords('COPY', 'INTO');
  const table = targetTable(c, false);
  c.expectWords('FROM');
  if (c.peek()?.kind !== 'string') throw c.error("a source location string, e.g. FROM '/landing/orders/'");
  const from = c.string('a source location');
  c.expectWords('FILEFORMAT');
  c.acceptPunct('=');
  const fileFormat = c.identifier('CSV, JSON or PARQUET').toUpperCase();
  let files: string[] | undefined;
  let pattern: string | undefined;
  let formatOptions: Record<string, string> = {};
  let copyOptions: Record<string, string> = {};
  for (;;) {
    if (c.acceptWords('FILES')) {
      c.acceptPunct('=');
      c.expectPunct('(');
      files = [];
      do files.push(c.string('a file name'));
      while (c.acceptPunct(','));
      c.expectPunct(')');
    } else if (c.acceptWords('PATTERN')) {
      c.acceptPunct('=');
      pattern = c.string('a glob pattern');
    } else if (c.acceptWords('FORMAT_OPTIONS')) formatOptions = parseProperties(c);
    else if (c.acceptWords('COPY_OPTIONS')) copyOptions = parseProperties(c);
    else break;
  }
  c.expectEnd();
  return {
    kind: 'copyInto',
    table,
    from,
    fileFormat,
    ...(files === undefined ? {} : { files }),
    ...(pattern === undefined ? {} : { pattern }),
    formatOptions,
    copyOptions,
  };
}
