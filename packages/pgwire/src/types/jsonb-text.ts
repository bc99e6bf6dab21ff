// jsonb text output as PostgreSQL prints it: keys sorted (shorter first, then bytewise), the last
// duplicate key wins, ", " and ": " separators, numbers in numeric_out form, strings re-escaped.
// `json` keeps its input text verbatim; only `jsonb` is normalized.
import { encodeUtf8 } from '../bytes/text.js';
import { formatNumeric } from './numeric.js';

type Node =
  | { readonly t: 'lit'; readonly text: string }
  | { readonly t: 'str'; readonly value: string }
  | { readonly t: 'arr'; readonly items: Node[] }
  | { readonly t: 'obj'; readonly entries: Map<string, Node> };

// PostgreSQL's limit comes from its stack depth; ours keeps the recursive parser and printer well
// inside the JS stack. Deeper documents fail validation (encoders then send the text unchanged).
const MAX_DEPTH = 1000;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.pos}`);
  }

  ws(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else return;
    }
  }

  value(depth: number): Node {
    if (depth > MAX_DEPTH) this.fail();
    this.ws();
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { t: 'str', value: this.string() };
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.s.slice(this.pos, this.pos + 400),
    );
    if (lit === null || lit[0] === '') this.fail();
    this.pos += lit[0].length;
    const text = lit[0];
    return { t: 'lit', text: /^[-\d]/.test(text) ? formatNumeric(text) : text };
  }

  object(depth: number): Node {
    this.pos++;
    const entries = new Map<string, Node>();
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { t: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail();
      const key = this.string();
      this.ws();
      if (this.s[this.pos++] !== ':') this.fail();
      const v = this.value(depth + 1);
      entries.delete(key); // last duplicate wins
      entries.set(key, v);
      this.ws();
      const c = this.s[this.pos++];
      if (c === '}') return { t: 'obj', entries };
      if (c !== ',') this.fail();
    }
  }

  array(depth: number): Node {
    this.pos++;
    const items: Node[] = [];
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return { t: 'arr', items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos++];
      if (c === ']') return { t: 'arr', items };
      if (c !== ',') this.fail();
    }
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (Number.isNaN(c) || c < 0x20) this.fail();
      if (c === 0x22) break;
      this.pos += c === 0x5c ? 2 : 1;
    }
    this.pos++;
    const decoded: unknown = JSON.parse(this.s.slice(start, this.pos));
    if (typeof decoded !== 'string' || decoded.includes('\u0000')) this.fail();
    return decoded;
  }
}

const escapeJson = (s: string): string => {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += s[i];
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
};

const compareUtf8 = (a: Uint8Array, b: Uint8Array): number => {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

const render = (n: Node): string => {
  switch (n.t) {
    case 'lit':
      return n.text;
    case 'str':
      return escapeJson(n.value);
    case 'arr':
      return `[${n.items.map(render).join(', ')}]`;
    case 'obj': {
      const keys = [...n.entries.keys()].map((k) => ({ k, b: encodeUtf8(k) }));
      keys.sort((x, y) => compareUtf8(x.b, y.b));
      return `{${keys.map(({ k }) => `${escapeJson(k)}: ${render(n.entries.get(k)!)}`).join(', ')}}`;
    }
  }
};

/** jsonb_out of `text`; undefined when `text` is not valid JSON (or holds \u0000, which jsonb rejects). */
export const formatJsonb = (text: string): string | undefined => {
  const p = new Parser(text);
  try {
    const node = p.value(0);
    p.ws();
    if (p.pos !== text.length) return undefined;
    return render(node);
  } catch {
    return undefined;
  }
};
