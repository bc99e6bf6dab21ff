// The shell's backslash commands (\q, \?, \d, \dh, \timing, \format, \i), psql style.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FORMATS, isOutputFormat, type OutputFormat } from './usage.js';

/** What a backslash command may do to the shell it runs in. */
export interface CommandContext {
  format: OutputFormat;
  timing: boolean;
  readonly cwd: string;
  print(text: string): void;
  printError(e: unknown): void;
  /** Runs statements, printing each result; resolves false when one failed. */
  runScript(sql: string): Promise<boolean>;
  /** Table paths known to the shell (used this session or found in the warehouse). */
  tablePaths(): readonly string[];
}

export const HELP = `Statements end with ';' and may span several lines.
  \\q                 quit (also Ctrl-D, or Ctrl-C twice on an empty line)
  \\?                 this help
  \\d                 list the Delta tables in the warehouse and those used in this session
  \\d  TABLE          describe TABLE's columns (a path, delta.\`path\` or a catalog name)
  \\dh TABLE          TABLE's commit history (DESCRIBE HISTORY)
  \\timing [on|off]   show or hide the time each statement takes
  \\format [FORMAT]   result format: ${FORMATS.join(', ')}
  \\i FILE            run the statements in FILE
Ctrl-C clears the statement being typed, or cancels the one running. Tab completes keywords, tables, columns and functions.
`;

export type CommandOutcome = 'continue' | 'quit';

/** Runs one backslash command line (starting with `\`). */
export async function runCommand(line: string, ctx: CommandContext): Promise<CommandOutcome> {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const name = space < 0 ? trimmed : trimmed.slice(0, space);
  const arg = space < 0 ? '' : trimmed.slice(space).trim().replace(/;$/, '').trim();
  switch (name) {
    case '\\q':
    case '\\quit':
      return 'quit';
    case '\\?':
    case '\\h':
    case '\\help':
      ctx.print(HELP);
      return 'continue';
    case '\\d': {
      if (arg === '') {
        const paths = ctx.tablePaths();
        ctx.print(
          paths.length === 0
            ? 'No Delta tables found.\n'
            : `${paths.map((p) => `delta.\`${p}\``).join('\n')}\n`,
        );
        return 'continue';
      }
      await ctx.runScript(`DESCRIBE TABLE ${tableSql(arg)}`);
      return 'continue';
    }
    case '\\dh':
      if (arg === '') ctx.printError(new Error('\\dh needs a table, e.g. \\dh sales/orders'));
      else await ctx.runScript(`DESCRIBE HISTORY ${tableSql(arg)}`);
      return 'continue';
    case '\\timing': {
      const want = arg.toLowerCase();
      if (want !== '' && want !== 'on' && want !== 'off') {
        ctx.printError(new Error(`\\timing takes on or off, got '${arg}'`));
        return 'continue';
      }
      ctx.timing = want === '' ? !ctx.timing : want === 'on';
      ctx.print(`Timing is ${ctx.timing ? 'on' : 'off'}.\n`);
      return 'continue';
    }
    case '\\format':
      if (arg === '') ctx.print(`Output format is ${ctx.format}.\n`);
      else if (!isOutputFormat(arg)) {
        ctx.printError(new Error(`unknown format '${arg}': use ${FORMATS.join(', ')}`));
      } else {
        ctx.format = arg;
        ctx.print(`Output format is ${arg}.\n`);
      }
      return 'continue';
    case '\\i':
    case '\\include': {
      if (arg === '') {
        ctx.printError(new Error('\\i needs a file, e.g. \\i setup.sql'));
        return 'continue';
      }
      const file = resolve(ctx.cwd, unquote(arg));
      let sql: string;
      try {
        sql = readFileSync(file, 'utf8');
      } catch (e) {
        ctx.printError(new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`));
        return 'continue';
      }
      await ctx.runScript(sql);
      return 'continue';
    }
    default:
      ctx.printError(new Error(`unknown command '${name}': type \\? for help`));
      return 'continue';
  }
}

/**
 * The SQL for a table the user names: `delta.`...`` and dotted catalog names as written, anything
 * else (a path, relative to the warehouse or absolute) as a path-based table.
 */
export function tableSql(arg: string): string {
  const t = unquote(arg);
  if (/^delta\s*\.\s*`/i.test(t)) return t;
  if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*){1,2}$/.test(t)) return t;
  return `delta.\`${t.replaceAll('`', '``')}\``;
}

function unquote(s: string): string {
  const m = /^'(.*)'$/.exec(s) ?? /^"(.*)"$/.exec(s);
  return m ? m[1]! : s;
}
