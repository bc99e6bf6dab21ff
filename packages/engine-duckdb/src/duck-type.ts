// A parsed DuckDB type string (the text DuckDB prints: 'DECIMAL(18,2)', 'STRUCT("a b" INTEGER)[]',
// 'MAP(VARCHAR, BIGINT)', 'TIMESTAMP WITH TIME ZONE'...). Schema inference and value formatting both
// work from this tree instead of from regular expressions over the text.
import { EngineError } from './errors.js';

export type DuckType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'struct'; readonly fields: readonly DuckField[] }
  | { readonly kind: 'list'; readonly element: DuckType }
  | { readonly kind: 'array'; readonly element: DuckType; readonly size: number }
  | { readonly kind: 'map'; readonly key: DuckType; readonly value: DuckType }
  | { readonly kind: 'union'; readonly members: readonly DuckField[] }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

export interface DuckField {
  readonly name: string;
  readonly type: DuckType;
}

/** Canonical names DuckDB prints, keyed by the aliases it accepts. */
const ALIASES: Readonly<Record<string, string>> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT32: 'INTEGER',
  SIGNED: 'INTEGER',
  INT8: 'BIGINT',
  INT64: 'BIGINT',
  LONG: 'BIGINT',
  INT2: 'SMALLINT',
  INT16: 'SMALLINT',
  SHORT: 'SMALLINT',
  INT1: 'TINYINT',
  REAL: 'FLOAT',
  FLOAT4: 'FLOAT',
  FLOAT8: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  STRING: 'VARCHAR',
  TEXT: 'VARCHAR',
  CHAR: 'VARCHAR',
  BPCHAR: 'VARCHAR',
  NVARCHAR: 'VARCHAR',
  BYTEA: 'BLOB',
  BINARY: 'BLOB',
  VARBINARY: 'BLOB',
  BOOL: 'BOOLEAN',
  LOGICAL: 'BOOLEAN',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP_US: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  TIMETZ: 'TIME WITH TIME ZONE',
  NUMERIC: 'DECIMAL',
};

type Token = { readonly t: 'word' | 'quoted' | 'string' | 'number' | 'punct'; readonly v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalid(text, 'unterminated quote');
        if (text[i] === ch) {
          if (text[i + 1] === ch) {
            v += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i++];
      }
      out.push({ t: ch === '"' ? 'quoted' : 'string', v });
    } else if ('(),[]'.includes(ch)) {
      out.push({ t: 'punct', v: ch });
      i++;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+/.exec(text.slice(i))![0];
      out.push({ t: 'number', v: m });
      i += m.length;
    } else {
      const m = /^[^\s(),[\]"']+/.exec(text.slice(i))![0];
      out.push({ t: 'word', v: m });
      i += m.length;
    }
  }
  return out;
}

const invalid = (text: string, why: string) =>
  new EngineError('INVALID_TYPE', `cannot parse DuckDB type '${text}': ${why}`, { type: text });

/** Parses DuckDB type text. Throws EngineError INVALID_TYPE naming the text when it is malformed. */
export function parseDuckType(text: string): DuckType {
  const toks = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const next = (): Token => {
    const tok = toks[pos++];
    if (tok === undefined) throw invalid(text, 'unexpected end');
    return tok;
  };
  const expect = (v: string): void => {
    const tok = next();
    if (tok.v !== v || tok.t !== 'punct') throw invalid(text, `expected '${v}' but found '${tok.v}'`);
  };
  const isPunct = (v: string): boolean => peek()?.t === 'punct' && peek()?.v === v;

  const fieldList = (): DuckField[] => {
    expect('(');
    const fields: DuckField[] = [];
    while (!isPunct(')')) {
      const nameTok = next();
      if (nameTok.t === 'punct') throw invalid(text, `expected a field name, found '${nameTok.v}'`);
      fields.push({ name: nameTok.v, type: parseFull() });
      if (isPunct(',')) next();
    }
    expect(')');
    return fields;
  };

  const parseBase = (): DuckType => {
    const tok = next();
    if (tok.t !== 'word' && tok.t !== 'quoted') throw invalid(text, `expected a type name, found '${tok.v}'`);
    let name = tok.v.toUpperCase();
    // Multi-word names: TIMESTAMP WITH TIME ZONE, TIME WITH TIME ZONE, DOUBLE PRECISION.
    while (
      peek()?.t === 'word' &&
      ['WITH', 'TIME', 'ZONE', 'PRECISION', 'WITHOUT'].includes(peek()!.v.toUpperCase())
    ) {
      name += ` ${next().v.toUpperCase()}`;
    }
    if (name === 'TIMESTAMP WITHOUT TIME ZONE') name = 'TIMESTAMP';
    if (name === 'TIME WITHOUT TIME ZONE') name = 'TIME';
    name = ALIASES[name] ?? name;
    switch (name) {
      case 'STRUCT':
      case 'ROW':
        return { kind: 'struct', fields: fieldList() };
      case 'UNION':
        return { kind: 'union', members: fieldList() };
      case 'MAP': {
        expect('(');
        const key = parseFull();
        expect(',');
        const value = parseFull();
        expect(')');
        return { kind: 'map', key, value };
      }
      case 'DECIMAL': {
        if (!isPunct('(')) return { kind: 'decimal', precision: 18, scale: 3 };
        next();
        const precision = Number(next().v);
        let scale = 0;
        if (isPunct(',')) {
          next();
          scale = Number(next().v);
        }
        expect(')');
        if (!Number.isInteger(precision) || !Number.isInteger(scale))
          throw invalid(text, 'bad DECIMAL arguments');
        return { kind: 'decimal', precision, scale };
      }
      case 'ENUM': {
        expect('(');
        const values: string[] = [];
        while (!isPunct(')')) {
          values.push(next().v);
          if (isPunct(',')) next();
        }
        expect(')');
        return { kind: 'enum', values };
      }
      default:
        // Width arguments such as VARCHAR(10) change nothing we care about.
        if (isPunct('(')) {
          let depth = 0;
          do {
            const t = next();
            if (t.v === '(' && t.t === 'punct') depth++;
            if (t.v === ')' && t.t === 'punct') depth--;
          } while (depth > 0);
        }
        return { kind: 'scalar', name };
    }
  };

  const parseFull = (): DuckType => {
    let type = parseBase();
    while (isPunct('[')) {
      next();
      if (isPunct(']')) {
        next();
        type = { kind: 'list', element: type };
      } else {
        const size = Number(next().v);
        expect(']');
        type = { kind: 'array', element: type, size };
      }
    }
    return type;
  };

  const result = parseFull();
  if (pos !== toks.length) throw invalid(text, `unexpected '${toks[pos]!.v}'`);
  return result;
}

/** Prints a parsed type back as DuckDB type text (field names always quoted). */
export function printDuckType(type: DuckType): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name.replaceAll('"', '""')}" ${printDuckType(f.type)}`).join(', ')})`;
    case 'union':
      return `UNION(${type.members.map((f) => `"${f.name.replaceAll('"', '""')}" ${printDuckType(f.type)}`).join(', ')})`;
    case 'list':
      return `${printDuckType(type.element)}[]`;
    case 'array':
      return `${printDuckType(type.element)}[${type.size}]`;
    case 'map':
      return `MAP(${printDuckType(type.key)}, ${printDuckType(type.value)})`;
    case 'enum':
      return `ENUM(${type.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`;
  }
}
