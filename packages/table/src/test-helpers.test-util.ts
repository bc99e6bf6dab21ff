// Shared scaffolding for this package's tests: one DuckDB engine per test file, temp table dirs.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { DeltaError, parseCommitText } from '@loch/delta';
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
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
