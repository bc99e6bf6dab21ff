// Splits a script into statements on `;` outside strings, quoted identifiers and comments.
import { type Token, tokenize } from './tokenizer.js';

export interface StatementText {
  /** The statement's text, without the terminating `;` (comments and whitespace kept). */
  readonly sql: string;
  /** Offset of `sql` in the script, so errors can point into the whole script. */
  readonly offset: number;
  /** Tokens of `sql` with offsets relative to `sql`. */
  readonly tokens: readonly Token[];
}

/** Statements of `script` in order; statements with only whitespace/comments are dropped. */
export function splitStatements(script: string): StatementText[] {
  const tokens = tokenize(script);
  const out: StatementText[] = [];
  let begin = 0;
  let current: Token[] = [];
  const flush = (end: number): void => {
    if (current.some((t) => t.kind !== 'space' && t.kind !== 'comment')) {
      out.push({
        sql: script.slice(begin, end),
        offset: begin,
        tokens: current.map((t) => ({ ...t, start: t.start - begin, end: t.end - begin })),
      });
    }
    current = [];
  };
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') {
      flush(t.start);
      begin = t.end;
    } else current.push(t);
  }
  flush(script.length);
  return out;
}
