// Shared scaffolding for this package's tests: one DuckDB engine per test file, temp table dirs.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeltaError, parseCommitText } from '@loch/delta';
import { DuckEngine } from '@loch/engine-duckdb';
import { type ObjectStore, openStore } from '@loch/storage';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { DeltaTable } from './delta-table.js';
import type { TableContext } from './types.js';

export async function openEngine(): Promise<DuckEngine> {
  return DuckEngine.create({ threads: 1, connections: 1 });
}

export function contextFor(engine: DuckEngine, now?: () => number): TableContext {
  return { engine, stores: openStore, ...(now !== undefined ? { now } : {}) };
}

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(nodePath.join(os.tmpdir(), 'loch-table-'));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

export function tableAt(ctx: TableContext, location: string): DeltaTable {
  return DeltaTable.forPath(ctx, location);
}

/** What `useTableFixture` gives a test file; read the members inside hooks and tests only. */
export interface TableFixture {
  /** One engine for the whole file. */
  readonly engine: DuckEngine;
  readonly ctx: TableContext;
  /** An empty temp dir: a fresh one per test, or one per file with `scope: 'file'`. */
  readonly dir: string;
  /** The table at `dir` (nothing is read or written until it is used). */
  readonly table: DeltaTable;
}

export interface TableFixtureOptions {
  /** The clock of `ctx` (commit timestamps, retention). */
  readonly now?: () => number;
  /** `'test'` (default): a fresh dir and table per test; `'file'`: one for the whole file. */
  readonly scope?: 'test' | 'file';
}

/**
 * Registers the hooks that open one engine per test file (closed after it) and a temp dir with a
 * table at it (removed after each test, or after the file with `scope: 'file'`).
 */
export function useTableFixture(options: TableFixtureOptions = {}): TableFixture {
  let engine: DuckEngine | undefined;
  let ctx: TableContext | undefined;
  let dir: string | undefined;
  let table: DeltaTable | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useTableFixture: ${name} is used outside a hook or test`);
    return value;
  };
  const openDir = async (): Promise<void> => {
    dir = await tempDir();
    table = tableAt(ready(ctx, 'ctx'), dir);
  };
  const closeDir = async (): Promise<void> => {
    if (dir !== undefined) await removeDir(dir);
  };
  const perFile = options.scope === 'file';
  beforeAll(async () => {
    engine = await openEngine();
    ctx = contextFor(engine, options.now);
    if (perFile) await openDir();
  });
  afterAll(async () => {
    await engine?.close();
    if (perFile) await closeDir();
  });
  if (!perFile) {
    beforeEach(openDir);
    afterEach(closeDir);
  }
  return {
    get engine() {
      return ready(engine, 'engine');
    },
    get ctx() {
      return ready(ctx, 'ctx');
    },
    get dir() {
      return ready(dir, 'dir');
    },
    get table() {
      return ready(table, 'table');
    },
  };
}

const repoRoot = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds this package's dist/ (and what it depends on) for tests whose child processes run it. */
export async function buildTablePackage(): Promise<void> {
  await promisify(execFile)(nodePath.join(repoRoot, 'node_modules/.bin/tsc'), ['-b', 'packages/table'], {
    cwd: repoRoot,
  });
}

/**
 * Writer A of a two-writer race: a table at `location` whose first attempt to publish a commit
 * first runs `interloper` (writer B's commit), once.
 */
export function racingWriter(
  ctx: TableContext,
  location: string,
  interloper: () => Promise<unknown>,
): DeltaTable {
  let pending: (() => Promise<unknown>) | undefined = interloper;
  return tableAt(
    {
      ...ctx,
      stores: async (url) => {
        const inner = await openStore(url);
        return Object.assign(Object.create(inner) as ObjectStore, {
          putIfAbsent: async (path: string, data: Uint8Array) => {
            if (path.startsWith('_delta_log/') && pending !== undefined) {
              const run = pending;
              pending = undefined;
              await run();
            }
            return inner.putIfAbsent(path, data);
          },
        });
      },
    },
    location,
  );
}

/** All actions of one commit file of a local table. */
export async function commitActions(
  dir: string,
  version: number,
): Promise<ReturnType<typeof parseCommitText>> {
  const text = await fs.readFile(
    nodePath.join(dir, '_delta_log', `${String(version).padStart(20, '0')}.json`),
    'utf8',
  );
  return parseCommitText(text);
}

/** Files under a directory (recursively), relative, excluding the log. */
export async function dataFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(nodePath.join(dir, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (p !== '_delta_log') await walk(p);
      } else out.push(p);
    }
  };
  await walk('');
  return out.sort();
}

export async function expectDeltaError(
  promise: Promise<unknown>,
  code: DeltaError['code'],
): Promise<DeltaError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DeltaError && e.code === code) return e;
    throw e;
  }
  throw new Error(`expected a DeltaError ${code}, but the operation succeeded`);
}

/** Plain JS numbers/strings from DuckDB values, for comparisons. */
export const plain = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      o[k] = typeof v === 'bigint' ? Number(v) : v === null || typeof v !== 'object' ? v : String(v);
    }
    return o;
  });
