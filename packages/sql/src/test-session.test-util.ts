// Shared scaffolding for this package's tests on the real stack: one DuckDB engine, one temp
// warehouse directory and one SqlSession over DeltaTables in it, per test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Metastore, openMetastore } from '@loch/catalog';
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';
import { afterAll, beforeAll } from 'vitest';
import { isSqlError, type SqlError } from './errors.js';
import { SqlSession, type StatementResult } from './session.js';

/** The context DeltaTables are opened with. */
export type TableContext = Parameters<typeof DeltaTable.forPath>[0];

export interface SqlFixtureOptions {
  /** Prefix of the temp directory's name (default `loch-sql-`). */
  readonly prefix?: string;
  /** DuckDB threads (default 1). */
  readonly threads?: number;
  /** DuckDB connections (the engine's default when absent). */
  readonly connections?: number;
  /** The tables' clock (commit timestamps, retention). */
  readonly now?: () => number;
  /** Open a metastore in the directory and give it to the sessions (default false). */
  readonly metastore?: boolean;
}

/** What `useSqlSession` gives a test file; read the members inside hooks and tests only. */
export interface SqlFixture {
  /** The warehouse directory: the sessions' `baseDir`. */
  readonly dir: string;
  readonly engine: DuckEngine;
  readonly ctx: TableContext;
  /** Only with `metastore: true`. */
  readonly metastore: Metastore;
  /** The file's session. */
  readonly session: SqlSession;
  /** A new session on the same engine, directory and metastore. */
  newSession(): SqlSession;
  /** Runs a script; the rows of its last statement as objects keyed by column name. */
  rows(sql: string, session?: SqlSession): Promise<Record<string, unknown>[]>;
  /** The SqlError a script fails with on the file's session (anything else is rethrown). */
  failure(sql: string): Promise<SqlError>;
}

/** The rows of the last result as objects keyed by column name. */
export function lastRowObjects(results: readonly StatementResult[]): Record<string, unknown>[] {
  const last = results[results.length - 1]!;
  return last.rows.map((r) => Object.fromEntries(last.columns.map((c, i) => [c.name, r[i]])));
}

/**
 * Registers the hooks that open the engine, directory, metastore and session before the file's
 * tests and close them after.
 */
export function useSqlSession(options: SqlFixtureOptions = {}): SqlFixture {
  let dir: string | undefined;
  let engine: DuckEngine | undefined;
  let ctx: TableContext | undefined;
  let metastore: Metastore | undefined;
  let session: SqlSession | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useSqlSession: ${name} is used outside a hook or test`);
    return value;
  };
  const newSession = (): SqlSession => {
    const tables = ready(ctx, 'ctx');
    return new SqlSession({
      engine: ready(engine, 'engine'),
      openTable: (l) => DeltaTable.forPath(tables, l),
      baseDir: ready(dir, 'dir'),
      ...(metastore !== undefined ? { metastore } : {}),
    });
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), options.prefix ?? 'loch-sql-'));
    engine = await DuckEngine.create({
      threads: options.threads ?? 1,
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
    });
    ctx = { engine, stores: openStore, ...(options.now !== undefined ? { now: options.now } : {}) };
    if (options.metastore === true) ({ metastore } = await openMetastore(dir, { adminPassword: 'pw' }));
    session = newSession();
  });
  afterAll(async () => {
    await metastore?.close();
    await engine?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return ready(dir, 'dir');
    },
    get engine() {
      return ready(engine, 'engine');
    },
    get ctx() {
      return ready(ctx, 'ctx');
    },
    get metastore() {
      return ready(metastore, 'metastore');
    },
    get session() {
      return ready(session, 'session');
    },
    newSession,
    rows: async (sql, s) => lastRowObjects(await (s ?? ready(session, 'session')).execute(sql)),
    failure: async (sql) => {
      try {
        await ready(session, 'session').execute(sql);
      } catch (e) {
        if (isSqlError(e)) return e;
        throw e;
      }
      throw new Error(`expected ${sql} to fail`);
    },
  };
}
