// A read position over a statement's significant tokens, with the helpers a recursive-descent
// parser needs. Errors point into the original statement text.
import { syntaxError } from './errors.js';
import { isPunct, isWord, significant, type Token } from './tokenizer.js';

export class Cursor {
  readonly tokens: readonly Token[];
  /** The statement text the tokens' offsets refer to. */
  readonly text: string;
  /** Offset of `text` in the whole script (for error positions). */
  readonly offset: number;
  /** The whole script, for line/column in errors. */
  readonly script: string;
  pos = 0;

  constructor(tokens: readonly Token[], text: string, offset = 0, script = text) {
    this.tokens = significant(tokens);
    this.text = text;
    this.offset = offset;
    this.script = script;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.pos + ahead];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  next(): Token {
    const t = this.tokens[this.pos];
    if (!t) throw this.fail('unexpected end of statement');
    this.pos++;
    return t;
  }

  /** True (and consumed) when the next tokens are the words `words` in order. */
  acceptWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isWord(this.peek(k), words[k]!)) return false;
    this.pos += words.length;
    return true;
  }

  peekWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isWord(this.peek(k), words[k]!)) return false;
    return true;
  }

  expectWords(...words: string[]): void {
    if (!this.acceptWords(...words)) throw this.error(words.join(' '));
  }

  acceptPunct(ch: string): boolean {
    if (!isPunct(this.peek(), ch)) return false;
    this.pos++;
    return true;
  }

  expectPunct(ch: string): void {
    if (!this.acceptPunct(ch)) throw this.error(`'${ch}'`);
  }

  /** An identifier: a bare word or a quoted identifier. */
  identifier(what = 'an identifier'): string {
    const t = this.peek();
    if (t && (t.kind === 'word' || t.kind === 'quoted')) {
      this.pos++;
      return t.kind === 'word' ? t.text : t.value;
    }
    throw this.error(what);
  }

  /** A dotted name (a.b.c) as its parts. */
  qualifiedName(what = 'a name'): string[] {
    const parts = [this.identifier(what)];
    while (this.acceptPunct('.')) parts.push(this.identifier(what));
    return parts;
  }

  string(what = 'a string literal'): string {
    const t = this.peek();
    if (t?.kind === 'string') {
      this.pos++;
      return t.value;
    }
    throw this.error(what);
  }

  integer(what = 'an integer'): number {
    const t = this.peek();
    if (t?.kind === 'number' && /^\d+$/.test(t.text)) {
      this.pos++;
      return Number(t.text);
    }
    throw this.error(what);
  }

  /** Offset (in `text`) where the next token starts, or the end of the text. */
  here(): number {
    return this.peek()?.start ?? this.text.length;
  }

  /** Text from the next token to the end of the statement. */
  rest(): { sql: string; offset: number } {
    const start = this.here();
    this.pos = this.tokens.length;
    return { sql: this.text.slice(start), offset: this.offset + start };
  }

  /** Skips a parenthesized group starting at the cursor, nested groups included. */
  skipBalanced(): void {
    this.expectPunct('(');
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth--;
    }
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error('end of statement');
  }

  /** A syntax error at the next token: "... expected <what>". */
  error(expected: string): Error {
    return this.fail(`expected ${expected}`);
  }

  /** A syntax error at the next token with a free-form explanation. */
  fail(message: string): Error {
    return syntaxError(this.script, this.offset + this.here(), message);
  }
}
