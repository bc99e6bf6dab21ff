// Spawns the built `loch` binary. The build (npx tsc -b) must exist: `npm test` runs it first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const MAIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../dist/main.cjs');

export function assertBuilt(): void {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: build the CLI first with \`npx tsc -b\` (npm test does this)`);
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Commands without --warehouse use ./warehouse: run them from a scratch directory, not the repo.
let scratch: string | undefined;
function scratchDir(): string {
  if (scratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'loch-cli-cwd-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

export function loch(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): RunResult {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  if (!opts.env?.['LOCH_DEBUG']) delete env['LOCH_DEBUG'];
  if (!opts.env?.['LOCH_WAREHOUSE']) delete env['LOCH_WAREHOUSE'];
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: opts.cwd ?? scratchDir(),
    env,
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs SQL in `dir` and expects success; returns stdout. */
export function sqlOk(dir: string, sql: string, format = 'ndjson'): string {
  const r = loch(['sql', '--format', format, '--warehouse', dir, sql]);
  if (r.code !== 0) throw new Error(`loch sql failed (${r.code}): ${r.stderr}\nSQL: ${sql}`);
  return r.stdout;
}

export const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * For a test file: checks that the CLI is built and gives a fresh temporary directory (`dir`) for
 * its warehouses and tables, removed after the file's tests.
 */
export function useCliDir(): { readonly dir: string } {
  let current: { dir: string; cleanup: () => void } | undefined;
  beforeAll(() => {
    assertBuilt();
    current = tempDir();
  });
  afterAll(() => current?.cleanup());
  return {
    get dir(): string {
      if (current === undefined) throw new Error('useCliDir: the directory exists from beforeAll on');
      return current.dir;
    },
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'loch-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
