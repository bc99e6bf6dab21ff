// A small parser for DuckDB type text, so the comparator can build a canonicalizing SQL expression
// for any column without asking DuckDB for anything but `typeof`/DESCRIBE output.

export type DuckType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | {
      readonly kind: 'struct';
      readonly fields: readonly { readonly name: string; readonly type: DuckType }[];
    }
  | { readonly kind: 'list'; readonly element: DuckType }
  | { readonly kind: 'array'; readonly element: DuckType; readonly size: number }
  | { readonly kind: 'map'; readonly key: DuckType; readonly value: DuckType };

class TypeTextError extends Error {
  constructor(text: string, pos: number, what: string) {
    super(`cannot parse DuckDB type '${text}' at offset ${pos}: ${what}`);
    this.name = 'TypeTextError';
  }
}

/** Parses a DuckDB type as DESCRIBE or the node API prints it (quoted or bare field names). */
export function parseDuckType(text: string): DuckType {
  const p = new Parser(text);
  const t = p.type();
  p.skipSpace();
  if (!p.atEnd()) p.fail('trailing text');
  return t;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(what: string): never {
    throw new TypeTextError(this.text, this.pos, what);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  /** A bare word, possibly with spaces inside (TIMESTAMP WITH TIME ZONE), up to a delimiter. */
  private word(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && !/[(),[\]]/.test(this.text[this.pos]!)) this.pos++;
    const w = this.text.slice(start, this.pos).trim();
    if (w === '') this.fail('expected a type name');
    return w;
  }

  private identifier(): string {
    this.skipSpace();
    if (this.text[this.pos] === '"') {
      this.pos++;
      let out = '';
      for (;;) {
        const ch = this.text[this.pos];
        if (ch === undefined) this.fail('unterminated quoted identifier');
        if (ch === '"') {
          if (this.text[this.pos + 1] === '"') {
            out += '"';
            this.pos += 2;
            continue;
          }
          this.pos++;
          return out;
        }
        out += ch;
        this.pos++;
      }
    }
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s(),[\]]/.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) this.fail('expected a field name');
    return this.text.slice(start, this.pos);
  }

  private integer(): number {
    this.skipSpace();
    const m = /^\d+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected an integer');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  type(): DuckType {
    let t = this.baseType();
    // Postfix list / fixed-size array markers bind left to right: INTEGER[][3].
    while (this.peek() === '[') {
      this.pos++;
      if (this.peek() === ']') {
        this.pos++;
        t = { kind: 'list', element: t };
      } else {
        const size = this.integer();
        this.expect(']');
        t = { kind: 'array', element: t, size };
      }
    }
    return t;
  }

  private baseType(): DuckType {
    const name = this.word().toUpperCase();
    if (name === 'STRUCT' || name === 'ROW') {
      this.expect('(');
      const fields: { name: string; type: DuckType }[] = [];
      if (this.peek() !== ')') {
        for (;;) {
          const fieldName = this.identifier();
          fields.push({ name: fieldName, type: this.type() });
          if (this.peek() === ',') {
            this.pos++;
            continue;
          }
          break;
        }
      }
      this.expect(')');
      return { kind: 'struct', fields };
    }
    if (name === 'MAP') {
      this.expect('(');
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect(')');
      return { kind: 'map', key, value };
    }
    if (name === 'DECIMAL' || name === 'NUMERIC') {
      if (this.peek() !== '(') return { kind: 'decimal', precision: 18, scale: 3 };
      this.pos++;
      const precision = this.integer();
      let scale = 0;
      if (this.peek() === ',') {
        this.pos++;
        scale = this.integer();
      }
      this.expect(')');
      return { kind: 'decimal', precision, scale };
    }
    if (this.peek() === '(') {
      // Parameterized types we do not look inside (ENUM('a','b'), UNION(...)): keep the text.
      const start = this.pos;
      let depth = 0;
      do {
        const ch = this.text[this.pos];
        if (ch === undefined) this.fail('unbalanced parentheses');
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (ch === "'") {
          const end = this.text.indexOf("'", this.pos + 1);
          if (end < 0) this.fail('unterminated string');
          this.pos = end;
        }
        this.pos++;
      } while (depth > 0);
      return { kind: 'scalar', name: name + this.text.slice(start, this.pos) };
    }
    return { kind: 'scalar', name };
  }
}

/** DuckDB type text for a parsed type (quoted field names), e.g. for CAST targets. */
export function duckTypeToSql(t: DuckType): string {
  switch (t.kind) {
    case 'scalar':
      return t.name;
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${duckTypeToSql(f.type)}`).join(', ')})`;
    case 'list':
      return `${duckTypeToSql(t.element)}[]`;
    case 'array':
      return `${duckTypeToSql(t.element)}[${t.size}]`;
    case 'map':
      return `MAP(${duckTypeToSql(t.key)}, ${duckTypeToSql(t.value)})`;
  }
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const quoteString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
