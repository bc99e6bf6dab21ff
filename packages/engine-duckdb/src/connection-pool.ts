// A small pool of DuckDB connections with an explicit FIFO queue in front of it. A connection runs one
// caller's statement at a time (DuckDB invalidates a pending result when the same connection starts
// another statement), and several connections let a long query run while short ones keep flowing.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EngineError } from './errors.js';
import { InterruptScope, interruptedError } from './interrupt-scope.js';

type Waiter = { resolve: (c: DuckDBConnection) => void; reject: (e: unknown) => void };

export class ConnectionPool {
  readonly #instance: DuckDBInstance;
  readonly #size: number;
  readonly #setup: (conn: DuckDBConnection) => Promise<void>;
  readonly #idle: DuckDBConnection[] = [];
  readonly #all: DuckDBConnection[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #drained: (() => void)[] = [];
  #opening = 0;
  #closed = false;

  constructor(instance: DuckDBInstance, size: number, setup: (conn: DuckDBConnection) => Promise<void>) {
    if (!Number.isInteger(size) || size < 1) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `connection pool size must be a positive integer, got ${size}`,
      );
    }
    this.#instance = instance;
    this.#size = size;
    this.#setup = setup;
  }

  /** Connections currently open (for tests and diagnostics). */
  get openCount(): number {
    return this.#all.length;
  }

  /**
   * Runs `fn` with a connection nobody else uses until `fn` settles. Inside an InterruptScope the
   * connection is interruptible while `fn` runs, and an interrupted scope fails at once (queued
   * callers leave the queue).
   */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const scope = InterruptScope.current();
    // An idle connection is taken without #acquire's promises, each of which runs the promise hooks
    // AsyncLocalStorage turns on (1.5-2 µs per call, decision 0014). Idle connections exist only
    // while nobody queues, and a closed pool has none, so #acquire still reports that.
    if (scope === undefined) {
      const conn = this.#idle.pop() ?? (await this.#acquire());
      try {
        return await fn(conn);
      } finally {
        this.#release(conn);
      }
    }
    scope.check();
    const conn = this.#idle.pop() ?? (await this.#acquireFor(scope));
    scope.attach(conn);
    try {
      scope.check();
      return await fn(conn);
    } catch (e) {
      // DuckDB's own "Interrupted!" (or whatever the cut-off query left) is reported as the interrupt.
      if (scope.reason !== undefined) throw interruptedError(scope.reason);
      throw e;
    } finally {
      scope.detach(conn);
      this.#release(conn);
    }
  }

  /** #acquire, leaving the queue when the scope is interrupted while waiting. */
  async #acquireFor(scope: InterruptScope): Promise<DuckDBConnection> {
    let waiter: Waiter | undefined;
    const leave = scope.onInterrupt(() => {
      const i = waiter === undefined ? -1 : this.#waiters.indexOf(waiter);
      if (i < 0) return;
      this.#waiters.splice(i, 1);
      waiter!.reject(interruptedError(scope.reason!));
    });
    try {
      return await this.#acquire((w) => {
        waiter = w;
      });
    } finally {
      leave();
    }
  }

  async #acquire(queued?: (w: Waiter) => void): Promise<DuckDBConnection> {
    if (this.#closed) throw closedError();
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#all.length + this.#opening < this.#size) {
      this.#opening++;
      try {
        const conn = await this.#instance.connect();
        try {
          await this.#setup(conn);
        } catch (e) {
          conn.closeSync();
          throw e;
        }
        if (this.#closed) {
          conn.closeSync();
          throw closedError();
        }
        this.#all.push(conn);
        return conn;
      } finally {
        this.#opening--;
      }
    }
    return new Promise<DuckDBConnection>((resolve, reject) => {
      const w: Waiter = { resolve, reject };
      this.#waiters.push(w);
      queued?.(w);
    });
  }

  #release(conn: DuckDBConnection): void {
    if (this.#closed) {
      this.#closeOne(conn);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(conn);
    else this.#idle.push(conn);
  }

  #closeOne(conn: DuckDBConnection): void {
    const i = this.#all.indexOf(conn);
    if (i >= 0) this.#all.splice(i, 1);
    conn.closeSync();
    if (this.#all.length === 0) for (const done of this.#drained.splice(0)) done();
  }

  /**
   * Rejects queued callers, closes idle connections now and busy ones as their callers finish (closing a
   * connection under a running statement would free native memory still in use). Resolves when all are closed.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const w of this.#waiters.splice(0)) w.reject(closedError());
      for (const conn of this.#idle.splice(0)) this.#closeOne(conn);
    }
    if (this.#all.length === 0) return;
    await new Promise<void>((resolve) => this.#drained.push(resolve));
  }
}

const closedError = () => new EngineError('ENGINE_CLOSED', 'the DuckDB engine is closed; create a new one');
