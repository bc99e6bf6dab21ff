// The `loch` command line: parses arguments, runs a command, maps failures to exit codes
// (1 for errors, 2 for usage mistakes) with a message on stderr and no stack unless LOCH_DEBUG=1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isOutputFormat, type OutputFormat, USAGE, UsageError } from './usage.js';

/** DuckDB statements `loch serve` runs at once; more wait for a free connection. */
const DEFAULT_QUERY_SLOTS = 16;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: () => Promise<string>;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        warehouse: { type: 'string', short: 'w' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'auth-cleartext': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'max-concurrent-queries': { type: 'string' },
        metrics: { type: 'boolean' },
        interactive: { type: 'boolean', short: 'i' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.version) {
      io.out(`loch ${version()}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    switch (command) {
      case 'sql': {
        const format = values.format ?? 'table';
        if (!isOutputFormat(format)) {
          throw new UsageError(`unknown format '${format}': use table, ndjson, csv or json`);
        }
        // No statements on a terminal (or -i): the interactive shell. Piped stdin still needs `-`.
        if (rest.length === 0 && (values.interactive === true || process.stdin.isTTY === true)) {
          const warehouse = resolve(io.cwd, values.warehouse ?? io.env['LOCH_WAREHOUSE'] ?? 'warehouse');
          const { startShell } = await import('./shell.js');
          return await startShell({ format, warehouse, env: io.env, cwd: io.cwd });
        }
        if (rest.length === 0)
          throw new UsageError('loch sql needs the statements to run, e.g. loch sql "SELECT 1"');
        const baseDir = resolve(io.cwd, values.warehouse ?? io.env['LOCH_WAREHOUSE'] ?? 'warehouse');
        // `-` reads the statements from stdin: no shell quoting of backticks.
        const sql = rest.length === 1 && rest[0] === '-' ? await io.stdin() : rest.join(' ');
        if (sql.trim() === '') throw new UsageError('loch sql got no statements to run');
        return await runSql(sql, format, baseDir, io, values.metrics === true);
      }
      case 'demo': {
        if (rest.length > 0) throw new UsageError(`loch demo takes no arguments (got '${rest.join(' ')}')`);
        if (values.format !== undefined) throw new UsageError('loch demo has no --format option');
        const warehouse = resolve(io.cwd, values.warehouse ?? io.env['LOCH_WAREHOUSE'] ?? 'warehouse');
        // Loaded on demand so --help, --version and usage errors never load DuckDB.
        const { createRuntime } = await import('./runtime.js');
        const { runDemo } = await import('./demo.js');
        const runtime = await createRuntime({ baseDir: warehouse });
        announceAdmin(runtime.bootstrap, io);
        try {
          await runDemo(runtime.session, warehouse, io.out);
        } finally {
          await runtime.close();
        }
        return 0;
      }
      case 'serve': {
        if (rest.length > 0) throw new UsageError(`loch serve takes no arguments (got '${rest.join(' ')}')`);
        const port = Number(values.port ?? '15432');
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new UsageError(`--port must be a port number (0-65535), got '${values.port}'`);
        }
        if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
          throw new UsageError('--tls-cert and --tls-key go together: give both PEM files, or neither');
        }
        const slots = Number(values['max-concurrent-queries'] ?? DEFAULT_QUERY_SLOTS);
        if (!Number.isInteger(slots) || slots < 1 || slots > 256) {
          throw new UsageError(
            `--max-concurrent-queries must be a whole number from 1 to 256, got '${values['max-concurrent-queries']}'`,
          );
        }
        const warehouse = resolve(io.cwd, values.warehouse ?? io.env['LOCH_WAREHOUSE'] ?? 'warehouse');
        const { runServe } = await import('./serve.js');
        return await runServe(
          {
            warehouse,
            host: values.host ?? '127.0.0.1',
            port,
            authCleartext: values['auth-cleartext'] === true,
            maxConcurrentQueries: slots,
            ...(values['tls-cert'] === undefined ? {} : { tlsCert: resolve(io.cwd, values['tls-cert']) }),
            ...(values['tls-key'] === undefined ? {} : { tlsKey: resolve(io.cwd, values['tls-key']) }),
          },
          io.out,
        );
      }
      case undefined:
        io.err(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    return reportError(e, io);
  }
}

async function runSql(
  sql: string,
  format: OutputFormat,
  baseDir: string,
  io: Io,
  metrics = false,
): Promise<number> {
  const { createRuntime } = await import('./runtime.js');
  const { renderScript } = await import('./output.js');
  const runtime = await createRuntime({ baseDir });
  announceAdmin(runtime.bootstrap, io);
  try {
    // A progress bar on stderr (a terminal only) once a script runs longer than about a second.
    const { withProgress } = await import('./shell-progress.js');
    const { InterruptScope } = await import('@loch/engine-duckdb');
    const scope = new InterruptScope();
    let results: Awaited<ReturnType<typeof runtime.session.execute>>;
    try {
      results = await withProgress(process.stderr, () => scope.run(() => runtime.session.execute(sql)), {
        progress: () => scope.progress(),
      });
    } finally {
      // One JSON line per query statement that ran, even when a later statement failed.
      if (metrics) for (const m of runtime.session.metrics) io.err(`${JSON.stringify(m)}\n`);
    }
    io.out(renderScript(results, format));
    return 0;
  } finally {
    await runtime.close();
  }
}

/** A fresh warehouse's generated admin password, shown once (stderr: stdout stays the result). */
function announceAdmin(
  bootstrap: { readonly fresh: boolean; readonly generatedPassword?: string },
  io: Io,
): void {
  if (bootstrap.fresh && bootstrap.generatedPassword !== undefined) {
    io.err(
      `Created user admin with password: ${bootstrap.generatedPassword}\n(shown once; set LOCH_ADMIN_PASSWORD to choose it)\n`,
    );
  }
}

function reportError(e: unknown, io: Io): number {
  const debug = io.env['LOCH_DEBUG'] === '1';
  if (e instanceof UsageError) {
    io.err(`loch: ${e.message}\nRun 'loch --help' for usage.\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const { sqlState, details } = err as { sqlState?: unknown; details?: Record<string, unknown> };
  const index = details?.['statementIndex'];
  const count = details?.['statementCount'];
  const where = typeof count === 'number' && count > 1 ? `, statement ${index} of ${count}` : '';
  const suffix = typeof sqlState === 'string' ? ` (SQLSTATE ${sqlState}${where})` : '';
  io.err(`Error: ${err.message}${suffix}\n`);
  if (debug && err.stack) io.err(`${err.stack}\n`);
  if (debug && err.cause instanceof Error && err.cause.stack) io.err(`Caused by: ${err.cause.stack}\n`);
  return 1;
}
