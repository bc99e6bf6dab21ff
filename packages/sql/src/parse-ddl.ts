// CREATE / REPLACE TABLE and ALTER TABLE.
import type { AlterAction, ColumnDefinition, SqlText, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { SqlError } from './errors.js';
import {
  commaNames,
  isQueryStart,
  parenthesizedText,
  parseColumnDefinition,
  parseKeyList,
  parseNameList,
  parsePartitionColumns,
  parseProperties,
} from './parse-common.js';
import { atPathRef, type PathRef, parsePathRef } from './table-refs.js';
import { isPunct, isWord } from './tokenizer.js';

export function parseCreate(c: Cursor): Statement | undefined {
  let orReplace = false;
  let replaceOnly = false;
  if (c.acceptWords('REPLACE', 'TABLE')) {
    orReplace = true;
    replaceOnly = true;
  } else {
    c.expectWords('CREATE');
    orReplace = c.acceptWords('OR', 'REPLACE');
    c.acceptWords('EXTERNAL');
    if (!c.acceptWords('TABLE')) return undefined;
  }
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  let table: PathRef | undefined;
  let name: string | undefined;
  if (atPathRef(c)) table = parsePathRef(c, false);
  else {
    // A named table is ours only when it says where it lives (or that it is Delta); else DuckDB's.
    if (!hasTopLevelWord(c, 'LOCATION') && !hasUsingDelta(c)) return undefined;
    name = c.qualifiedName('a table name').join('.');
  }
  let columns: ColumnDefinition[] | undefined;
  if (isPunct(c.peek(), '(') && !isQueryStart(c, 1)) {
    c.expectPunct('(');
    columns = [];
    do columns.push(parseColumnDefinition(c));
    while (c.acceptPunct(','));
    c.expectPunct(')');
  }
  let partitionedBy: string[] = [];
  let partitionDeclared: ColumnDefinition[] = [];
  let clusterBy: string[] | undefined;
  let comment: string | undefined;
  let properties: Record<string, string> = {};
  let location: string | undefined;
  for (;;) {
    if (c.acceptWords('USING')) {
      const format = c.identifier('a table format');
      if (format.toUpperCase() !== 'DELTA') {
        c.pos--;
        throw new SqlError(
          'UNSUPPORTED',
          `Table format '${format}' is not supported: Loch creates Delta tables (USING DELTA)`,
        );
      }
    } else if (c.acceptWords('PARTITIONED', 'BY')) {
      ({ names: partitionedBy, declared: partitionDeclared } = parsePartitionColumns(c));
    } else if (c.acceptWords('CLUSTER', 'BY')) {
      clusterBy = parseNameList(c);
    } else if (c.acceptWords('LOCATION')) {
      location = c.string('a location string');
    } else if (c.acceptWords('COMMENT')) {
      comment = c.string('a comment string');
    } else if (c.acceptWords('TBLPROPERTIES')) {
      properties = { ...properties, ...parseProperties(c) };
    } else break;
  }
  let query: SqlText | undefined;
  if (c.acceptWords('AS')) query = c.rest();
  else if (!c.atEnd() && isQueryStart(c, 0)) query = c.rest();
  c.expectEnd();
  if (partitionDeclared.length > 0) columns = withDeclaredPartitions(columns, partitionDeclared, query);
  if (table && location !== undefined) {
    throw new SqlError(
      'INVALID_ARGUMENT',
      `CREATE TABLE delta.\`${table.location}\` names its location twice: drop the LOCATION clause`,
    );
  }
  const target: PathRef = table ?? { location: location ?? '' };
  if (target.location === '') {
    throw new SqlError(
      'UNSUPPORTED',
      `CREATE TABLE ${name} needs a location: Loch has no catalog yet; add LOCATION '/path' or write delta.\`/path\``,
    );
  }
  return {
    kind: 'createTable',
    table: target,
    ...(name === undefined ? {} : { name }),
    orReplace,
    replaceOnly,
    ifNotExists,
    ...(columns === undefined ? {} : { columns }),
    partitionedBy,
    ...(clusterBy === undefined ? {} : { clusterBy }),
    ...(comment === undefined ? {} : { comment }),
    properties,
    ...(query === undefined ? {} : { query }),
  };
}

/** The column list with typed PARTITIONED BY columns appended, as Databricks defines them. */
function withDeclaredPartitions(
  columns: ColumnDefinition[] | undefined,
  declared: readonly ColumnDefinition[],
  query: SqlText | undefined,
): ColumnDefinition[] {
  if (columns === undefined && query !== undefined) {
    throw new SqlError(
      'INVALID_ARGUMENT',
      `PARTITIONED BY declares column '${declared[0]!.name}' with a type, but CREATE TABLE ... AS SELECT takes its columns from the query: write PARTITIONED BY (${declared.map((d) => d.name).join(', ')}) without types`,
      { columnName: declared[0]!.name },
    );
  }
  const existing = new Set((columns ?? []).map((col) => col.name.toLowerCase()));
  for (const d of declared) {
    if (existing.has(d.name.toLowerCase())) {
      throw new SqlError(
        'INVALID_ARGUMENT',
        `partition column '${d.name}' is declared twice, in the column list and with a type in PARTITIONED BY: drop the type in PARTITIONED BY`,
        { columnName: d.name },
      );
    }
  }
  return [...(columns ?? []), ...declared];
}

function hasTopLevelWord(c: Cursor, word: string): boolean {
  let depth = 0;
  for (let k = c.pos; k < c.tokens.length; k++) {
    const t = c.tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'AS')) return false;
    else if (depth === 0 && isWord(t, word)) return true;
  }
  return false;
}

function hasUsingDelta(c: Cursor): boolean {
  for (let k = c.pos; k + 1 < c.tokens.length; k++) {
    if (isWord(c.tokens[k], 'AS')) return false;
    if (isWord(c.tokens[k], 'USING') && isWord(c.tokens[k + 1], 'DELTA')) return true;
  }
  return false;
}

export function parseAlter(c: Cursor): Statement | undefined {
  c.expectWords('ALTER', 'TABLE');
  if (!atPathRef(c)) return undefined;
  const table = parsePathRef(c, false);
  let action: AlterAction;
  if (c.acceptWords('ADD', 'CONSTRAINT')) {
    const name = c.identifier('a constraint name');
    c.expectWords('CHECK');
    action = { kind: 'addConstraint', name, expr: parenthesizedText(c) };
  } else if (c.acceptWords('DROP', 'CONSTRAINT')) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    action = { kind: 'dropConstraint', name: c.identifier('a constraint name'), ifExists };
  } else if (c.acceptWords('ALTER') || c.acceptWords('CHANGE')) {
    c.acceptWords('COLUMN');
    const column = c.qualifiedName('a column name').join('.');
    let nullable: boolean;
    if (c.acceptWords('SET', 'NOT', 'NULL')) nullable = false;
    else if (c.acceptWords('DROP', 'NOT', 'NULL')) nullable = true;
    else throw c.error('SET NOT NULL or DROP NOT NULL');
    action = { kind: 'setColumnNullability', column, nullable };
  } else if (c.acceptWords('ADD')) {
    if (!c.acceptWords('COLUMNS')) c.acceptWords('COLUMN');
    const columns: ColumnDefinition[] = [];
    const paren = c.acceptPunct('(');
    do columns.push(parseColumnDefinition(c));
    while (c.acceptPunct(','));
    if (paren) c.expectPunct(')');
    action = { kind: 'addColumns', columns };
  } else if (c.acceptWords('RENAME', 'COLUMN')) {
    const from = c.qualifiedName('a column name').join('.');
    c.expectWords('TO');
    const to = c.identifier('the new column name');
    action = { kind: 'renameColumn', from, to };
  } else if (c.acceptWords('DROP')) {
    if (!c.acceptWords('COLUMNS')) c.expectWords('COLUMN');
    const ifExists = c.acceptWords('IF', 'EXISTS');
    const columns = isPunct(c.peek(), '(') ? parseNameList(c) : commaNames(c);
    action = { kind: 'dropColumns', columns, ifExists };
  } else if (c.acceptWords('SET', 'TBLPROPERTIES')) {
    action = { kind: 'setProperties', properties: parseProperties(c) };
  } else if (c.acceptWords('UNSET', 'TBLPROPERTIES')) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    action = { kind: 'unsetProperties', keys: parseKeyList(c), ifExists };
  } else if (c.acceptWords('CLUSTER', 'BY')) {
    action = { kind: 'clusterBy', columns: c.acceptWords('NONE') ? [] : parseNameList(c) };
  } else {
    throw c.error(
      'ADD COLUMNS, RENAME COLUMN, DROP COLUMNS, ADD CONSTRAINT, DROP CONSTRAINT, SET TBLPROPERTIES, UNSET TBLPROPERTIES or CLUSTER BY',
    );
  }
  c.expectEnd();
  return { kind: 'alterTable', table, action };
}
