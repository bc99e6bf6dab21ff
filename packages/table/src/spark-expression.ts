// The few Spark SQL functions common in generation expressions that DuckDB spells differently.
// Everything else (arithmetic, CAST, YEAR/MONTH/DAY, DATE_TRUNC, SUBSTRING, CONCAT, ...) means the
// same in both and passes through unchanged.

/** Java DateTimeFormatter letters -> strftime, longest first. */
const DATE_PATTERN: readonly (readonly [string, string])[] = [
  ['yyyy', '%Y'],
  ['yy', '%y'],
  ['MMMM', '%B'],
  ['MMM', '%b'],
  ['MM', '%m'],
  ['dd', '%d'],
  ['HH', '%H'],
  ['hh', '%I'],
  ['mm', '%M'],
  ['ss', '%S'],
  ['SSS', '%g'],
  ['EEEE', '%A'],
  ['EEE', '%a'],
  ['a', '%p'],
];

function strftimePattern(java: string): string {
  let out = '';
  let i = 0;
  while (i < java.length) {
    const hit = DATE_PATTERN.find(([j]) => java.startsWith(j, i));
    if (hit !== undefined) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += java[i] === '%' ? '%%' : java[i];
      i++;
    }
  }
  return out;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; -1 if unbalanced. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Top-level comma-separated arguments of a call's inner text. */
function splitArgs(inner: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = inner.indexOf(ch, i + 1);
      if (end < 0) break;
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(inner.slice(start).trim());
  return args;
}

const REWRITES: Readonly<Record<string, (args: string[]) => string | undefined>> = {
  to_date: (args) => (args.length === 1 ? `CAST(${args[0]} AS DATE)` : undefined),
  date_format: (args) => {
    const literal = /^'((?:[^']|'')*)'$/u.exec(args[1] ?? '');
    if (args.length !== 2 || literal === null) return undefined;
    const pattern = strftimePattern(literal[1]!.replaceAll("''", "'")).replaceAll("'", "''");
    return `strftime(${args[0]}, '${pattern}')`;
  },
};

/** The expression in DuckDB's dialect (unchanged where the two agree); quoted text is left alone. */
export function sparkToDuckExpression(expr: string): string {
  const call = /^(to_date|date_format)\s*\(/iu;
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = expr.indexOf(ch, i + 1);
      const stop = end < 0 ? expr.length : end + 1;
      out += expr.slice(i, stop);
      i = stop;
      continue;
    }
    const m =
      /[A-Za-z_]/u.test(ch) && !/[A-Za-z0-9_]/u.test(expr[i - 1] ?? ' ') ? call.exec(expr.slice(i)) : null;
    if (m !== null) {
      const open = i + m[0].length - 1;
      const close = closingParen(expr, open);
      const rewrite = REWRITES[m[1]!.toLowerCase()];
      if (close >= 0 && rewrite !== undefined) {
        const args = splitArgs(expr.slice(open + 1, close)).map(sparkToDuckExpression);
        const rewritten = rewrite(args);
        if (rewritten !== undefined) {
          out += rewritten;
          i = close + 1;
          continue;
        }
      }
    }
    out += ch;
    i++;
  }
  return out;
}
