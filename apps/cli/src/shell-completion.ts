// Tab completion for the shell: SQL keywords, table paths (used in this session or found in the
// warehouse folder), column names of the tables the statement references, and DuckDB functions.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findTableRefs } from '@loch/sql';
import { SQL_KEYWORDS } from './shell-keywords.js';

/** Where names come from; each source is asked lazily and may be slow (the shell caches). */
export interface CompletionSources {
  /** Table paths as the user writes them inside delta.`...`. */
  readonly tablePaths: () => readonly string[];
  /** Column names of the tables at these locations. */
  readonly columns: (locations: readonly string[]) => Promise<readonly string[]>;
  readonly functions: () => Promise<readonly string[]>;
}

/** readline's completer result: the candidates and the text they replace. */
export type Completion = [string[], string];

/** A path being typed inside delta.`...` (or a bare backtick), up to the cursor. */
const PATH_PREFIX = /`([^`]*)$/;
const WORD_PREFIX = /[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Completes the word ending at the cursor. `line` is the current line up to the cursor and
 * `context` the statement typed so far (earlier lines of a multi-line statement plus `line`).
 */
export async function complete(
  line: string,
  context: string,
  sources: CompletionSources,
): Promise<Completion> {
  const path = PATH_PREFIX.exec(line);
  if (path !== null && countBackticks(line) % 2 === 1) {
    const partial = path[1]!;
    const hits = unique(sources.tablePaths()).filter((p) => p.startsWith(partial));
    return [hits.map((p) => `${p}\``), partial];
  }
  const word = WORD_PREFIX.exec(line)?.[0] ?? '';
  // An empty word would list every keyword and function: too long to be useful.
  if (word === '') return [[], ''];
  const lower = word.toLowerCase();
  const matches = (name: string) => name.toLowerCase().startsWith(lower);
  const afterDot = line.length > word.length && line[line.length - word.length - 1] === '.';
  const columns = await sources.columns(referencedLocations(context)).catch(() => [] as readonly string[]);
  const names = unique(columns).filter(matches);
  if (afterDot) return [names, word];
  const functions = await sources.functions().catch(() => [] as readonly string[]);
  // Keywords and function names (case-insensitive in SQL) follow the case the user types in, so
  // readline's case-sensitive common prefix still extends FR to FROM next to from_json; columns
  // keep their own case.
  const upper = word === word.toUpperCase() && word !== word.toLowerCase();
  const cased = (k: string) => (upper ? k.toUpperCase() : k.toLowerCase());
  const keywords = SQL_KEYWORDS.filter(matches).map(cased);
  const fns = unique(functions).filter(matches).map(cased);
  const hits = unique([...names, ...keywords, ...fns]);
  return [hits, word];
}

/** The table locations (as written) a possibly unfinished statement references. */
export function referencedLocations(sql: string): string[] {
  // Close an unfinished quote or comment so the tokenizer accepts the text typed so far.
  for (const suffix of ['', '`', "'", '"', '*/', "'`"]) {
    try {
      return unique(findTableRefs(sql + suffix).map((r) => r.location));
    } catch {
      // try the next closing
    }
  }
  return [];
}

/**
 * Delta tables under `root` (folders with a _delta_log), as paths relative to it, `depth` levels
 * deep. The shell lists them once; reading a large warehouse on every Tab would be slow.
 */
export function findTablePaths(root: string, depth = 2): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string, left: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    if (names.includes('_delta_log') && rel !== '') {
      out.push(rel);
      return;
    }
    if (left === 0) return;
    for (const name of names) {
      if (name.startsWith('.') || name.startsWith('_')) continue;
      const full = join(dir, name);
      try {
        if (!statSync(full).isDirectory()) continue;
      } catch {
        continue;
      }
      walk(full, rel === '' ? name : `${rel}/${name}`, left - 1);
    }
  };
  walk(root, '', depth);
  return out.sort();
}

function countBackticks(s: string): number {
  let n = 0;
  for (const c of s) if (c === '`') n++;
  return n;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
