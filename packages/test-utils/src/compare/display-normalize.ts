// Normalizes Arrow display text (`{a: 1, m: {k: v}}`, `[1, , 3]`) so that entry order inside braces
// does not matter: a map's entries have no order, and struct fields are compared by name. Values
// are kept verbatim. Text that does not parse as display form is returned unchanged, so a mismatch
// still shows up as a plain diff instead of an exception.

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly Node[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Node])[] };

export function normalizeDisplay(text: string): string {
  try {
    const reader = new Reader(text);
    const node = reader.value(true);
    if (!reader.atEnd()) return text;
    return render(node);
  } catch {
    return text;
  }
}

function render(node: Node): string {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'list':
      return `[${node.items.map(render).join(', ')}]`;
    case 'object': {
      const entries = node.entries
        .map(([k, v]) => [k, `${k}: ${render(v)}`] as const)
        .sort(([ka, a], [kb, b]) => (ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([, text]) => text).join(', ')}}`;
    }
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private fail(): never {
    throw new Error(`not display form at ${this.pos}`);
  }

  /** A value ends at ', ' or a closing bracket of the enclosing container (or at the end on top). */
  value(top = false): Node {
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.list();
    const start = this.pos;
    if (top) {
      this.pos = this.text.length;
    } else {
      while (this.pos < this.text.length && !this.atSeparator() && !'}]'.includes(this.text[this.pos]!))
        this.pos++;
    }
    return { kind: 'text', text: this.text.slice(start, this.pos) };
  }

  private atSeparator(): boolean {
    return this.text.startsWith(', ', this.pos);
  }

  private list(): Node {
    this.pos++; // [
    const items: Node[] = [];
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'list', items };
    }
    for (;;) {
      items.push(this.value());
      if (this.atSeparator()) {
        this.pos += 2;
        continue;
      }
      if (this.text[this.pos] === ']') {
        this.pos++;
        return { kind: 'list', items };
      }
      this.fail();
    }
  }

  private object(): Node {
    this.pos++; // {
    const entries: (readonly [string, Node])[] = [];
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      const keyEnd = this.text.indexOf(': ', this.pos);
      if (keyEnd < 0) this.fail();
      const key = this.text.slice(this.pos, keyEnd);
      if (/[{}[\]]/.test(key)) this.fail();
      this.pos = keyEnd + 2;
      entries.push([key, this.value()]);
      if (this.atSeparator()) {
        this.pos += 2;
        continue;
      }
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', entries };
      }
      this.fail();
    }
  }
}
