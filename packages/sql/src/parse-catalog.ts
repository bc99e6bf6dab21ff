// Statements about named objects (catalogs, schemas, named tables, views, functions, volumes) that a
// session with a metastore runs itself. Anything not recognised here goes through name resolution
// and the path-based parser.
import type { FunctionParam } from '@loch/catalog';
import { Cursor } from './cursor.js';
import { parenthesizedText, parseProperties } from './parse-common.js';
import type { StatementText } from './split-statements.js';
import { atPathRef } from './table-refs.js';
import { isPunct, isWord } from './tokenizer.js';

export type Container = 'catalog' | 'schema';
export type Leaf = 'table' | 'view' | 'function' | 'volume';

export type CatalogStatement =
  | { readonly kind: 'use'; readonly what?: Container; readonly name: readonly string[] }
  | {
      readonly kind: 'createContainer';
      readonly what: Container;
      readonly name: readonly string[];
      readonly ifNotExists: boolean;
      readonly comment?: string;
      readonly location?: string;
      readonly properties: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'dropContainer';
      readonly what: Container;
      readonly name: readonly string[];
      readonly ifExists: boolean;
      readonly cascade: boolean;
    }
  | {
      readonly kind: 'drop';
      readonly what: Leaf;
      readonly name: readonly string[];
      readonly ifExists: boolean;
    }
  | {
      readonly kind: 'show';
      readonly what: 'catalogs' | 'schemas' | 'tables' | 'views' | 'functions' | 'volumes';
      readonly in?: readonly string[];
      readonly like?: string;
    }
  | { readonly kind: 'showColumns'; readonly table: readonly string[] }
  | { readonly kind: 'describeFunction'; readonly name: readonly string[]; readonly extended: boolean }
  | { readonly kind: 'showCreateTable'; readonly table: readonly string[] }
  | {
      readonly kind: 'describeTable';
      readonly table: readonly string[];
      readonly extended: boolean;
      readonly rest: string;
    }
  | { readonly kind: 'describeContainer'; readonly what: Container; readonly name: readonly string[] }
  | {
      readonly kind: 'comment';
      readonly what: Container | 'table' | 'volume';
      readonly name: readonly string[];
      readonly comment: string | null;
    }
  | {
      readonly kind: 'rename';
      readonly what: 'table' | 'view';
      readonly from: readonly string[];
      readonly to: readonly string[];
    }
  | {
      /** CREATE TABLE <name>: `pathSql(location)` is the same statement on delta.`location`. */
      readonly kind: 'createTable';
      readonly name: readonly string[];
      readonly orReplace: boolean;
      readonly replaceOnly: boolean;
      readonly ifNotExists: boolean;
      readonly location?: string;
      readonly comment?: string;
      readonly properties: Readonly<Record<string, string>>;
      readonly pathSql: (location: string) => string;
    }
  | {
      readonly kind: 'createView';
      readonly name: readonly string[];
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly comment?: string;
      readonly query: string;
    }
  | {
      readonly kind: 'createFunction';
      readonly name: readonly string[];
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly params: readonly FunctionParam[];
      readonly returnType: string;
      readonly body: string;
      readonly comment?: string;
      readonly deterministic: boolean;
    }
  /** LIST '/Volumes/catalog/schema/volume[/dir]' [LIMIT n]. */
  | { readonly kind: 'list'; readonly path: string; readonly limit?: number }
  | {
      readonly kind: 'createVolume';
      readonly name: readonly string[];
      readonly ifNotExists: boolean;
      readonly location?: string;
      readonly comment?: string;
    };

const container = (c: Cursor): Container | undefined =>
  c.acceptWords('CATALOG')
    ? 'catalog'
    : c.acceptWords('SCHEMA') || c.acceptWords('DATABASE')
      ? 'schema'
      : undefined;

/** The catalog statement at the start of `stmt`, or undefined when it is not one. */
export function parseCatalogStatement(
  stmt: StatementText,
  script: string = stmt.sql,
): CatalogStatement | undefined {
  const c = new Cursor(stmt.tokens, stmt.sql, stmt.offset, script);
  if (c.acceptWords('USE')) {
    const what = container(c);
    const name = c.qualifiedName('a catalog or schema name');
    c.expectEnd();
    return what === undefined ? { kind: 'use', name } : { kind: 'use', what, name };
  }
  if (c.peekWords('CREATE') || c.peekWords('REPLACE', 'TABLE')) return parseCreateNamed(c);
  if (c.acceptWords('DROP')) return parseDrop(c);
  if (c.peekWords('LIST') && c.peek(1)?.kind === 'string') {
    c.pos++;
    const path = c.string();
    const limit = c.acceptWords('LIMIT') ? c.integer('a LIMIT count') : undefined;
    c.expectEnd();
    return limit === undefined ? { kind: 'list', path } : { kind: 'list', path, limit };
  }
  if (c.acceptWords('SHOW')) return parseShow(c);
  if (c.peekWords('DESCRIBE') || c.peekWords('DESC')) return parseDescribeNamed(c);
  if (c.acceptWords('COMMENT', 'ON')) {
    const what =
      container(c) ?? (c.acceptWords('TABLE') ? 'table' : c.acceptWords('VOLUME') ? 'volume' : undefined);
    if (what === undefined) throw c.error('CATALOG, SCHEMA, TABLE or VOLUME');
    const name = c.qualifiedName('a name');
    c.expectWords('IS');
    const comment = c.acceptWords('NULL') ? null : c.string('a comment string or NULL');
    c.expectEnd();
    return { kind: 'comment', what, name, comment };
  }
  if (c.peekWords('ALTER', 'TABLE') || c.peekWords('ALTER', 'VIEW')) {
    c.pos++;
    const what = c.next().text.toUpperCase() === 'TABLE' ? 'table' : 'view';
    if (atPathRef(c)) return undefined;
    const from = c.qualifiedName('a table name');
    if (!c.acceptWords('RENAME', 'TO')) return undefined;
    const to = c.qualifiedName('the new name');
    c.expectEnd();
    return { kind: 'rename', what, from, to };
  }
  return undefined;
}

function parseDrop(c: Cursor): CatalogStatement | undefined {
  const what = container(c);
  if (what !== undefined) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    const name = c.qualifiedName(`a ${what} name`);
    const cascade = c.acceptWords('CASCADE');
    if (!cascade) c.acceptWords('RESTRICT');
    c.expectEnd();
    return { kind: 'dropContainer', what, name, ifExists, cascade };
  }
  const leaf: Leaf | undefined = c.acceptWords('TABLE')
    ? 'table'
    : c.acceptWords('VIEW')
      ? 'view'
      : c.acceptWords('FUNCTION')
        ? 'function'
        : c.acceptWords('VOLUME')
          ? 'volume'
          : undefined;
  if (leaf === undefined || atPathRef(c)) return undefined;
  const ifExists = c.acceptWords('IF', 'EXISTS');
  if (atPathRef(c)) return undefined;
  const name = c.qualifiedName(`a ${leaf} name`);
  c.expectEnd();
  return { kind: 'drop', what: leaf, name, ifExists };
}

function parseShow(c: Cursor): CatalogStatement | undefined {
  if (c.acceptWords('CREATE', 'TABLE')) {
    if (atPathRef(c)) return undefined;
    const table = c.qualifiedName('a table name');
    c.expectEnd();
    return { kind: 'showCreateTable', table };
  }
  if (c.acceptWords('COLUMNS')) {
    if (!c.acceptWords('IN')) c.expectWords('FROM');
    if (atPathRef(c)) return undefined;
    let table = c.qualifiedName('a table name');
    if (c.acceptWords('IN') || c.acceptWords('FROM')) table = [...c.qualifiedName('a schema name'), ...table];
    c.expectEnd();
    return { kind: 'showColumns', table };
  }
  c.acceptWords('USER');
  const word = c.peek()?.kind === 'word' ? c.peek()!.text.toLowerCase() : '';
  const what = word === 'databases' ? 'schemas' : word;
  if (!['catalogs', 'schemas', 'tables', 'views', 'functions', 'volumes'].includes(what)) return undefined;
  c.pos++;
  let inName: string[] | undefined;
  if (c.acceptWords('IN') || c.acceptWords('FROM')) inName = c.qualifiedName('a catalog or schema name');
  c.acceptWords('LIKE');
  const like = c.peek()?.kind === 'string' ? c.string() : undefined;
  c.expectEnd();
  return {
    kind: 'show',
    what: what as 'catalogs',
    ...(inName === undefined ? {} : { in: inName }),
    ...(like === undefined ? {} : { like }),
  };
}

function parseDescribeNamed(c: Cursor): CatalogStatement | undefined {
  c.pos++;
  const what = container(c);
  if (what !== undefined) {
    c.acceptWords('EXTENDED');
    const name = c.qualifiedName(`a ${what} name`);
    c.expectEnd();
    return { kind: 'describeContainer', what, name };
  }
  if (c.acceptWords('FUNCTION')) {
    const extended = c.acceptWords('EXTENDED');
    const name = c.qualifiedName('a function name');
    c.expectEnd();
    return { kind: 'describeFunction', name, extended };
  }
  if (c.peekWords('HISTORY') || c.peekWords('DETAIL') || c.peekWords('QUERY')) return undefined;
  c.acceptWords('TABLE');
  const extended = c.acceptWords('EXTENDED') || c.acceptWords('FORMATTED');
  const t = c.peek();
  if (t === undefined || atPathRef(c) || (t.kind !== 'word' && t.kind !== 'quoted')) return undefined;
  if (t.kind === 'word' && ['SELECT', 'WITH', 'FROM', 'VALUES'].includes(t.text.toUpperCase()))
    return undefined;
  const table = c.qualifiedName('a table name');
  // What follows the name (a time-travel clause) is kept for the path-based DESCRIBE.
  return { kind: 'describeTable', table, extended, rest: c.text.slice(c.tokens[c.pos - 1]!.end) };
}

function parseCreateNamed(c: Cursor): CatalogStatement | undefined {
  let orReplace = false;
  let replaceOnly = false;
  if (c.acceptWords('REPLACE')) {
    orReplace = true;
    replaceOnly = true;
  } else {
    c.expectWords('CREATE');
    orReplace = c.acceptWords('OR', 'REPLACE');
  }
  const what = replaceOnly ? undefined : container(c);
  if (what !== undefined) {
    const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
    const name = c.qualifiedName(`a ${what} name`);
    let comment: string | undefined;
    let location: string | undefined;
    let properties: Record<string, string> = {};
    for (;;) {
      if (c.acceptWords('COMMENT')) comment = c.string('a comment string');
      else if (c.acceptWords('MANAGED', 'LOCATION') || c.acceptWords('LOCATION'))
        location = c.string('a location string');
      else if (
        c.acceptWords('WITH', 'DBPROPERTIES') ||
        c.acceptWords('WITH', 'PROPERTIES') ||
        c.acceptWords('OPTIONS')
      )
        properties = { ...properties, ...parseProperties(c) };
      else break;
    }
    c.expectEnd();
    return {
      kind: 'createContainer',
      what,
      name,
      ifNotExists,
      properties,
      ...(comment === undefined ? {} : { comment }),
      ...(location === undefined ? {} : { location }),
    };
  }
  if (c.peekWords('TEMPORARY') || c.peekWords('TEMP')) return undefined;
  if (c.acceptWords('VIEW')) return parseCreateView(c, orReplace);
  if (c.acceptWords('FUNCTION')) return parseCreateFunction(c, orReplace);
  if (c.acceptWords('EXTERNAL', 'VOLUME') || c.acceptWords('VOLUME')) {
    const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
    const name = c.qualifiedName('a volume name');
    let location: string | undefined;
    let comment: string | undefined;
    for (;;) {
      if (c.acceptWords('LOCATION')) location = c.string('a location string');
      else if (c.acceptWords('COMMENT')) comment = c.string('a comment string');
      else break;
    }
    c.expectEnd();
    return {
      kind: 'createVolume',
      name,
      ifNotExists,
      ...(location === undefined ? {} : { location }),
      ...(comment === undefined ? {} : { comment }),
    };
  }
  c.acceptWords('EXTERNAL');
  if (!c.acceptWords('TABLE')) return undefined;
  return parseCreateTable(c, orReplace, replaceOnly);
}

function parseCreateTable(c: Cursor, orReplace: boolean, replaceOnly: boolean): CatalogStatement | undefined {
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  if (atPathRef(c)) return undefined;
  const nameStart = c.here();
  const name = c.qualifiedName('a table name');
  const nameEnd = c.tokens[c.pos - 1]!.end;
  // Scan the clauses (outside parentheses, before AS <query>) for LOCATION, COMMENT, TBLPROPERTIES.
  let location: string | undefined;
  let locationSpan: [number, number] | undefined;
  let comment: string | undefined;
  let properties: Record<string, string> = {};
  while (!c.atEnd()) {
    if (isPunct(c.peek(), '(')) {
      if (c.pos > 0 && isWord(c.tokens[c.pos - 1], 'TBLPROPERTIES'))
        properties = { ...properties, ...parseProperties(c) };
      else parenthesizedText(c);
    } else if (c.peekWords('LOCATION') && c.peek(1)?.kind === 'string') {
      const start = c.peek()!.start;
      c.pos++;
      location = c.string();
      locationSpan = [start, c.tokens[c.pos - 1]!.end];
    } else if (c.peekWords('COMMENT') && c.peek(1)?.kind === 'string') {
      c.pos++;
      comment = c.string();
    } else if (c.peekWords('TBLPROPERTIES')) {
      c.pos++;
    } else if (c.peekWords('AS') || c.peekWords('SELECT') || c.peekWords('WITH') || c.peekWords('VALUES'))
      break;
    else c.pos++;
  }
  const text = c.text;
  const pathSql = (loc: string): string => {
    const ref = `delta.\`${loc.replaceAll('`', '``')}\``;
    let out = text.slice(0, nameStart) + ref;
    if (locationSpan) out += text.slice(nameEnd, locationSpan[0]) + text.slice(locationSpan[1]);
    else out += text.slice(nameEnd);
    return out;
  };
  return {
    kind: 'createTable',
    name,
    orReplace,
    replaceOnly,
    ifNotExists,
    properties,
    pathSql,
    ...(location === undefined ? {} : { location }),
    ...(comment === undefined ? {} : { comment }),
  };
}

function parseCreateView(c: Cursor, orReplace: boolean): CatalogStatement {
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  const name = c.qualifiedName('a view name');
  let comment: string | undefined;
  for (;;) {
    if (c.acceptWords('COMMENT')) comment = c.string('a comment string');
    else if (c.acceptWords('TBLPROPERTIES')) parseProperties(c);
    else break;
  }
  c.expectWords('AS');
  const query = c.rest().sql.trim();
  return {
    kind: 'createView',
    name,
    orReplace,
    ifNotExists,
    query,
    ...(comment === undefined ? {} : { comment }),
  };
}

function parseCreateFunction(c: Cursor, orReplace: boolean): CatalogStatement {
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  const name = c.qualifiedName('a function name');
  c.expectPunct('(');
  const params: FunctionParam[] = [];
  if (!c.acceptPunct(')')) {
    do {
      const pname = c.identifier('a parameter name');
      const typeStart = c.here();
      let depth = 0;
      while (!c.atEnd()) {
        const t = c.peek()!;
        if (
          depth === 0 &&
          (isPunct(t, ',') || isPunct(t, ')') || isWord(t, 'DEFAULT') || isWord(t, 'COMMENT'))
        )
          break;
        if (isPunct(t, '(') || isPunct(t, '<')) depth++;
        if (isPunct(t, ')') || isPunct(t, '>')) depth--;
        c.pos++;
      }
      const type = c.text.slice(typeStart, c.tokens[c.pos - 1]!.end).trim();
      let dflt: string | undefined;
      let comment: string | undefined;
      if (c.acceptWords('DEFAULT')) {
        const s = c.here();
        c.pos++;
        dflt = c.text.slice(s, c.tokens[c.pos - 1]!.end);
      }
      if (c.acceptWords('COMMENT')) comment = c.string();
      params.push({
        name: pname,
        type,
        ...(dflt === undefined ? {} : { default: dflt }),
        ...(comment === undefined ? {} : { comment }),
      });
    } while (c.acceptPunct(','));
    c.expectPunct(')');
  }
  c.expectWords('RETURNS');
  const typeStart = c.here();
  while (
    !c.atEnd() &&
    !['RETURN', 'COMMENT', 'LANGUAGE', 'DETERMINISTIC', 'NOT', 'CONTAINS', 'READS'].some((w) =>
      c.peekWords(w),
    )
  ) {
    if (isPunct(c.peek(), '(')) c.skipBalanced();
    else c.pos++;
  }
  const returnType = c.text.slice(typeStart, c.tokens[c.pos - 1]!.end).trim();
  let comment: string | undefined;
  let deterministic = true;
  for (;;) {
    if (c.acceptWords('COMMENT')) comment = c.string('a comment string');
    else if (c.acceptWords('LANGUAGE', 'SQL')) continue;
    else if (c.acceptWords('NOT', 'DETERMINISTIC')) deterministic = false;
    else if (c.acceptWords('DETERMINISTIC')) deterministic = true;
    else if (c.acceptWords('CONTAINS', 'SQL') || c.acceptWords('READS', 'SQL', 'DATA')) continue;
    else break;
  }
  c.expectWords('RETURN');
  const body = c.rest().sql.trim();
  return {
    kind: 'createFunction',
    name,
    orReplace,
    ifNotExists,
    params,
    returnType,
    body,
    deterministic,
    ...(comment === undefined ? {} : { comment }),
  };
}
