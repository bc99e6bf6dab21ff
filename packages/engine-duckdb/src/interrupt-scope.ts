// Interrupting a running statement. A caller (a pg-wire session, the interactive shell) runs one
// statement inside an InterruptScope; every pooled DuckDB connection used within it, however deep
// in the SQL and table layers, is tracked through AsyncLocalStorage, so `interrupt()` reaches the
// query DuckDB is executing right now without those layers passing a signal along.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EngineError } from './errors.js';

const current = new AsyncLocalStorage<InterruptScope>();

export interface QueryProgress {
  /** 0-100. */
  readonly percentage: number;
  readonly rowsProcessed: number;
  readonly totalRows: number;
}

export class InterruptScope {
  readonly #running = new Set<DuckDBConnection>();
  readonly #listeners = new Set<() => void>();
  #reason: string | undefined;

  /** Runs `fn` with this scope current for every engine call it makes. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return current.run(this, fn);
  }

  /** Why the scope was interrupted, or undefined while it was not. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /**
   * Interrupts the queries running in the scope and fails every later engine call in it (a
   * statement made of several queries stops at the next one). Idempotent.
   */
  interrupt(reason = 'interrupted'): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    // DuckDB checks the flag between pipeline steps; an idle connection ignores it, so a query
    // that finished a moment ago leaves nothing behind for the connection's next user.
    for (const conn of this.#running) conn.interrupt();
    for (const listener of [...this.#listeners]) listener();
  }

  /** Throws the interrupted error when the scope was interrupted. */
  check(): void {
    if (this.#reason !== undefined) throw interruptedError(this.#reason);
  }

  /** Calls `listener` on interrupt (once); returns the unsubscribe function. */
  onInterrupt(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  attach(conn: DuckDBConnection): void {
    this.#running.add(conn);
  }

  /** Must run before the connection goes back to the pool, so no other caller is interrupted. */
  detach(conn: DuckDBConnection): void {
    this.#running.delete(conn);
  }

  /**
   * How far the query running in the scope is, when the engine tracks progress
   * (`trackProgress`) and DuckDB can tell (scans of files can; a `range()` cannot): undefined
   * otherwise. With several queries running, the least advanced one.
   */
  progress(): QueryProgress | undefined {
    let least: QueryProgress | undefined;
    for (const conn of this.#running) {
      const p = conn.progress;
      if (!(p.percentage >= 0)) continue;
      const item = {
        percentage: Math.min(100, p.percentage),
        rowsProcessed: Number(p.rows_processed),
        totalRows: Number(p.total_rows_to_process),
      };
      if (least === undefined || item.percentage < least.percentage) least = item;
    }
    return least;
  }

  /** The scope of the calling async context, if any. */
  static current(): InterruptScope | undefined {
    return current.getStore();
  }

  /**
   * Runs `fn` outside any scope: work shared by several statements (a cache fill others await)
   * must not be cut short by one of them being interrupted.
   */
  static detached<T>(fn: () => Promise<T>): Promise<T> {
    return current.exit(fn);
  }
}

export const interruptedError = (reason: string): EngineError =>
  new EngineError('INTERRUPTED', `the statement was interrupted: ${reason}`, { reason });
