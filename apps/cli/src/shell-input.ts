// When the shell's input buffer holds complete statements: a `;` outside strings, quoted
// identifiers and comments. Uses @loch/sql's tokenizer so the shell and the engine agree on lexing.
import { tokenize } from '@loch/sql';

/** True when `buffer` ends (ignoring whitespace and comments) with a `;` that terminates a statement. */
export function isComplete(buffer: string): boolean {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(buffer);
  } catch {
    // An unterminated string, quoted identifier or block comment: the user is still typing it.
    return false;
  }
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind === 'space' || t.kind === 'comment') continue;
    return t.kind === 'punct' && t.text === ';';
  }
  return false;
}

/** True when `buffer` has nothing but whitespace and comments. */
export function isBlank(buffer: string): boolean {
  try {
    return tokenize(buffer).every((t) => t.kind === 'space' || t.kind === 'comment');
  } catch {
    return false;
  }
}

/**
 * The statement text on one line, for history: line comments dropped (they would swallow what
 * follows once the newlines are gone) and line breaks outside literals turned into spaces.
 */
export function oneLine(buffer: string): string {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(buffer);
  } catch {
    return buffer.replace(/\s*\n\s*/g, ' ').trim();
  }
  let out = '';
  for (const t of tokens) {
    const gap = t.kind === 'space' || (t.kind === 'comment' && t.text.startsWith('--'));
    if (!gap) out += t.text;
    else if (out !== '' && !out.endsWith(' ')) out += ' ';
  }
  // A string literal with a line break keeps it; the history file skips such entries.
  return out.trim();
}
