// Per-file stats for skipping by a full parse (stats-scan.ts reads only the columns a predicate
// needs and falls back to this when unsure). JSON.parse turns a decimal or long
// stat with more than 15 significant digits into a rounded double, and skipping must compare
// them exactly, so stats strings holding such numbers go through a small lossless parser that
// keeps the number's text.
import type { AddFile } from '../actions/types.js';
import { type FileStats, parseStats } from '../stats/parse-stats.js';

/** A JSON number kept as its source text because a double would round it. */
export class NumberText {
  constructor(readonly text: string) {}
}

const LONG_NUMBER = /\d[\d.]{15,}/;

/** Stats of an add by a full parse, numbers beyond double precision as NumberText. */
export function parseFileStats(add: Pick<AddFile, 'stats' | 'statsParsed'>): FileStats | undefined {
  if (typeof add.stats === 'string' && LONG_NUMBER.test(add.stats)) {
    let raw: unknown;
    try {
      raw = parseJsonLossless(add.stats);
    } catch {
      return undefined;
    }
    return parseStats({ statsParsed: raw });
  }
  return parseStats(add);
}

/** JSON.parse, except numbers with more than 15 significant digits become NumberText. */
export function parseJsonLossless(text: string): unknown {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = string();
        ws();
        if (text[i++] !== ':') fail();
        out[key] = value();
        ws();
        const sep = text[i++];
        if (sep === '}') return out;
        if (sep !== ',') fail();
      }
    }
    if (ch === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return out;
        if (sep !== ',') fail();
      }
    }
    if (ch === '"') return string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail();
    i += m[0].length;
    const digits = m[0]
      .replace(/[eE].*$/, '')
      .replace(/[-.]/g, '')
      .replace(/^0+/, '');
    return digits.length > 15 ? new NumberText(m[0]) : Number(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const out = value();
  ws();
  if (i !== text.length) fail();
  return out;
}
