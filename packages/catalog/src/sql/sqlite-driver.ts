// SQLite through better-sqlite3. WAL lets readers run beside a writer in other processes,
// busy_timeout makes writers queue instead of failing, and BEGIN IMMEDIATE takes the write lock up
// front so two read-then-write transactions cannot deadlock on lock upgrade.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Row, SqlDriver, SqlTx, SqlValue } from './driver.js';

const BUSY_TIMEOUT_MS = 10_000;

export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  // One connection per process: a queue keeps one logical transaction on it at a time.
  #queue: Promise<unknown> = Promise.resolve();
  readonly #tx: SqlTx;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (file !== ':memory:') this.#enableWal(file);
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    const db = this.#db;
    // Statement texts are a small fixed set, so caching every prepared statement is bounded.
    const prepared = new Map<string, Database.Statement>();
    const stmt = (sql: string) => {
      let s = prepared.get(sql);
      if (s === undefined) {
        s = db.prepare(sql);
        prepared.set(sql, s);
      }
      return s;
    };
    this.#tx = {
      all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
        stmt(sql).all(...params) as T[],
      get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
        stmt(sql).get(...params) as T | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => stmt(sql).run(...params).changes,
    };
  }

  // Switching to WAL needs a brief exclusive lock, and SQLite reports SQLITE_BUSY for it without
  // consulting the busy handler when another process is opening the same fresh file: retry with a
  // short synchronous back-off (the constructor is synchronous) rather than fail the open.
  #enableWal(file: string): void {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        if (this.#db.pragma('journal_mode = WAL', { simple: true }) === 'wal') return;
      } catch (e) {
        if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
    throw new Error(`cannot switch the metastore ${file} to WAL mode: another process keeps it locked`);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.#serial(() => fn(this.#tx));
  }

  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.#tx);
        this.#db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  async migrationLock(): Promise<void> {
    // BEGIN IMMEDIATE already holds the database's single write lock.
  }

  isUniqueViolation(e: unknown): boolean {
    const code = (e as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  }

  async close(): Promise<void> {
    await this.#serial(async () => this.#db.close());
  }
}
