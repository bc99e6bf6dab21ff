// The interactive SQL shell (`loch sql` with no statement): multi-line input ending at `;`, history,
// tab completion, results in the chosen format with a timing line, and backslash commands.
// Built on node:readline; runShell takes streams so tests drive it without a terminal.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { InterruptScope, type QueryResult } from '@loch/engine-duckdb';
import { findTableRefs, splitStatements } from '@loch/sql';
import { renderScript } from './output.js';
import type { Runtime } from './runtime.js';
import { type CommandContext, runCommand } from './shell-commands.js';
import { type CompletionSources, complete } from './shell-completion.js';
import { DEFAULT_HISTORY_SIZE, History, historyPath } from './shell-history.js';
import { isBlank, isComplete, oneLine } from './shell-input.js';
import { NameCache } from './shell-names.js';
import { type Progress, startProgress } from './shell-progress.js';
import type { OutputFormat } from './usage.js';

export const PROMPT = 'loch> ';
export const CONTINUATION = '   -> ';

/** What the shell runs statements on: a SqlSession and its engine (see backendFor). */
export interface ShellBackend {
  execute(script: string): Promise<readonly QueryResult[]>;
  /** Plain DuckDB SQL, for the shell's own lookups (function names). */
  query(sql: string): Promise<QueryResult>;
  /** Interrupts the statement `execute` is running (Ctrl-C); absent: statements cannot be cancelled. */
  cancel?(): void;
  /** How far the statement `execute` is running is, when the engine can tell. */
  progress?(): Progress | undefined;
}

export interface ShellOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Errors, warnings and the progress indicator (default: output). */
  readonly errorOutput?: Writable;
  readonly backend: ShellBackend;
  /** Line editing, completion and Ctrl-C handling (default: whether output is a TTY). */
  readonly terminal?: boolean;
  readonly format?: OutputFormat;
  readonly timing?: boolean;
  /** The history file; null turns history off. */
  readonly historyFile?: string | null;
  readonly historySize?: number;
  /** The warehouse folder, searched for table paths to complete. */
  readonly warehouse?: string;
  /** Where \i resolves relative files (default: process.cwd()). */
  readonly cwd?: string;
  /** Called on Ctrl-C while a statement runs and Ctrl-C was already pressed during it. */
  readonly onForceQuit?: () => void;
}

/** A statement stopped by Ctrl-C: PostgreSQL's message and SQLSTATE, as psql users know them. */
export class StatementCancelled extends Error {
  readonly sqlState = '57014';
  constructor() {
    super('canceling statement due to user request');
    this.name = 'StatementCancelled';
  }
}

/**
 * Runs each statement in an InterruptScope, so `cancel` interrupts the DuckDB query running for it
 * (however deep in the SQL and table layers) and the statement fails with 57014.
 */
export const backendFor = (runtime: Pick<Runtime, 'engine' | 'session'>): ShellBackend => {
  let running: InterruptScope | undefined;
  return {
    async execute(script) {
      const scope = new InterruptScope();
      running = scope;
      try {
        return await scope.run(() => runtime.session.execute(script));
      } catch (e) {
        if (scope.reason !== undefined) throw new StatementCancelled();
        throw e;
      } finally {
        running = undefined;
      }
    },
    query: (sql) => runtime.engine.query(sql),
    cancel: () => running?.interrupt('user request'),
    progress: () => running?.progress(),
  };
};

/** Runs the shell until \q, Ctrl-D or the end of input; resolves the exit code (0). */
export async function runShell(options: ShellOptions): Promise<number> {
  const { input, output, backend } = options;
  const errorOutput = options.errorOutput ?? output;
  const terminal = options.terminal ?? (output as Writable & { isTTY?: boolean }).isTTY === true;
  const history = new History(options.historyFile ?? null, options.historySize ?? DEFAULT_HISTORY_SIZE, (m) =>
    errorOutput.write(`${m}\n`),
  );
  const usedPaths = new Set<string>();
  const names = new NameCache(backend, options.warehouse);
  const tablePaths = () => [...new Set([...usedPaths, ...names.warehousePaths()])];
  let buffer: string[] = [];

  const sources: CompletionSources = {
    tablePaths,
    columns: (locations) => names.columns(locations),
    functions: () => names.functions(),
  };
  const rl = createInterface({
    input,
    output,
    terminal,
    prompt: PROMPT,
    history: [...history.load()].reverse(),
    historySize: options.historySize ?? DEFAULT_HISTORY_SIZE,
    removeHistoryDuplicates: true,
    tabSize: 4,
    ...(terminal
      ? {
          completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
            complete(line, [...buffer, line].join('\n'), sources).then(
              (r) => callback(null, r),
              () => callback(null, [[], line]),
            );
          },
        }
      : {}),
  });

  const print = (text: string) => {
    if (text !== '') output.write(text);
  };
  const printError = (e: unknown) => errorOutput.write(`${errorText(e)}\n`);
  let running = false;
  let interruptedWhileRunning = false;

  const runOne = async (sql: string, ctx: { format: OutputFormat; timing: boolean }): Promise<boolean> => {
    const started = performance.now();
    const stop = startProgress(errorOutput, { progress: () => backend.progress?.() });
    running = true;
    try {
      const results = await backend.execute(sql);
      stop();
      const text = renderScript(results, ctx.format);
      if (text !== '') print(text);
      else if (ctx.format === 'table') print('OK\n');
      return true;
    } catch (e) {
      stop();
      printError(e);
      return false;
    } finally {
      running = false;
      interruptedWhileRunning = false;
      rememberTables(sql, usedPaths);
      if (ctx.timing) print(`Time: ${(performance.now() - started).toFixed(1)} ms\n`);
    }
  };

  const ctx: CommandContext = {
    format: options.format ?? 'table',
    timing: options.timing ?? true,
    cwd: options.cwd ?? process.cwd(),
    print,
    printError,
    tablePaths,
    runScript: async (script) => {
      for (const sql of statementsOf(script)) if (!(await runOne(sql, ctx))) return false;
      return true;
    },
  };

  let lastInterrupt = false;
  const showPrompt = () => {
    rl.setPrompt(buffer.length === 0 ? PROMPT : CONTINUATION);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running) {
      // The first Ctrl-C interrupts the query; a second one, while the statement still has not
      // stopped (a commit being written, say), quits loch.
      if (interruptedWhileRunning) {
        options.onForceQuit?.();
        return;
      }
      interruptedWhileRunning = true;
      if (backend.cancel === undefined) {
        errorOutput.write(
          '\nThe statement cannot be cancelled; it keeps running. Ctrl-C again quits loch.\n',
        );
        return;
      }
      backend.cancel();
      errorOutput.write('\nCancel request sent\n');
      return;
    }
    const typed = rl.line !== '' || buffer.length > 0;
    forgetLine(rl);
    if (!typed && lastInterrupt) {
      output.write('\n');
      rl.close();
      return;
    }
    output.write(typed ? '^C\n' : '^C (Ctrl-C again or Ctrl-D quits)\n');
    lastInterrupt = !typed;
    buffer = [];
    showPrompt();
  });

  const remember = (entry: string, typedLines: number) => {
    history.add(entry);
    if (!terminal) return;
    // readline keeps every typed line; one entry per statement is what up-arrow should bring back.
    const rlHistory = (rl as unknown as { history: string[] }).history;
    rlHistory.splice(0, Math.min(typedLines, rlHistory.length), entry);
  };

  showPrompt();
  let quit = false;
  for await (const line of rl) {
    lastInterrupt = false;
    if (buffer.length === 0 && line.trim().startsWith('\\')) {
      remember(line.trim(), 1);
      quit = (await runCommand(line, ctx)) === 'quit';
      if (quit) break;
    } else if (buffer.length === 0 && /^\s*(exit|quit)\s*;?\s*$/i.test(line)) {
      quit = true;
      break;
    } else if (buffer.length === 0 && isBlank(line)) {
      // Nothing typed: psql-style, just prompt again.
    } else {
      buffer.push(line);
      const text = buffer.join('\n');
      if (isComplete(text)) {
        remember(oneLine(text), buffer.filter((l) => l.trim() !== '').length);
        buffer = [];
        await ctx.runScript(text);
      }
    }
    showPrompt();
  }
  // Piped input may end without a final `;`: run what is left rather than drop it silently.
  if (!quit && !terminal && buffer.length > 0 && !isBlank(buffer.join('\n'))) {
    const text = buffer.join('\n');
    history.add(oneLine(text));
    await ctx.runScript(text);
  } else if (terminal && !quit) output.write('\n');
  rl.close();
  return 0;
}

/** The statements of a script; a script the splitter rejects goes whole, so the session reports why. */
function statementsOf(script: string): string[] {
  try {
    return splitStatements(script).map((s) => s.sql);
  } catch {
    return [script];
  }
}

function rememberTables(sql: string, into: Set<string>): void {
  try {
    for (const ref of findTableRefs(sql)) into.add(ref.location);
  } catch {
    // Unparseable statements reference no table worth completing.
  }
}

/**
 * Drops the half-typed line without redrawing it, so it stays on screen followed by ^C (as in psql);
 * readline has no public call for that, and Ctrl-U would erase the text from view.
 */
function forgetLine(rl: Interface): void {
  const state = rl as unknown as { line: string; cursor: number };
  state.line = '';
  state.cursor = 0;
}

/** `Error: <message> (SQLSTATE xxxxx)`, the way `loch sql` reports failures. */
export function errorText(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const { sqlState } = err as { sqlState?: unknown };
  return `Error: ${err.message}${typeof sqlState === 'string' ? ` (SQLSTATE ${sqlState})` : ''}`;
}

/** `loch sql` without statements: the shell on this process's terminal, until \q or Ctrl-D. */
export async function startShell(opts: {
  readonly format: OutputFormat;
  readonly warehouse: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}): Promise<number> {
  const { createRuntime } = await import('./runtime.js');
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const runtime = await createRuntime({ baseDir: opts.warehouse });
  if (terminal)
    process.stdout.write(`Loch SQL shell on ${opts.warehouse}. Type \\? for help, \\q to quit.\n`);
  try {
    return await runShell({
      input: process.stdin,
      output: process.stdout,
      errorOutput: process.stderr,
      backend: backendFor(runtime),
      terminal,
      format: opts.format,
      historyFile: historyPath(opts.env),
      warehouse: opts.warehouse,
      cwd: opts.cwd,
      // A statement that does not stop on the first Ctrl-C must not trap the user: the second ends loch.
      // process.exit would wait for DuckDB's running query in native teardown; the default SIGTERM
      // action ends the process at once (a Delta commit is atomic, so none is left half-written).
      onForceQuit: () => {
        process.stderr.write('\n');
        process.kill(process.pid, 'SIGTERM');
      },
    });
  } finally {
    await runtime.close();
  }
}
