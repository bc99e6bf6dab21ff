// `loch serve`: a PostgreSQL-protocol server over one shared engine. Each connection gets its own
// SQL session; statements of different connections run concurrently through the engine's pool.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Engine } from '@loch/engine-duckdb';
import type { SqlSession } from '@loch/sql';
import type { AuthBackend, AuthMode } from './auth.js';
import { Connection, type ConnectionContext } from './connection.js';
import { compatSetupSql } from './pg-catalog-compat.js';
import type { StreamFn } from './query-stream.js';

export const DEFAULT_PORT = 15432;
export const DEFAULT_HOST = '127.0.0.1';
/** Largest message accepted from a client: a bound on memory per connection. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

export interface ServerOptions {
  /** A fresh SQL session for each connection (sharing the engine and table cache). */
  readonly newSession: (user?: string) => SqlSession;
  /** Runs rewritten queries, describes prepared statements; `stream` (DuckEngine's) streams results. */
  readonly engine: Pick<Engine, 'describe' | 'query'> & { readonly stream?: StreamFn };
  readonly auth: AuthBackend;
  /** 'scram' (default): SCRAM-SHA-256 with the stored verifier. 'cleartext': password or token. */
  readonly authMode?: AuthMode;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** PEM certificate and key: SSLRequest is then accepted and the connection upgraded to TLS. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly maxMessageSize?: number;
}

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export class PgServer {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  readonly #byPid = new Map<number, { conn: Connection; secret: Uint8Array }>();
  #nextPid = 1000 + Math.floor(Math.random() * 1000);
  #address: ServerAddress | undefined;

  private constructor(options: ServerOptions) {
    const tls: SecureContext | undefined =
      options.tls === undefined
        ? undefined
        : createSecureContext({ cert: options.tls.cert, key: options.tls.key });
    const ctx: ConnectionContext = {
      newSession: options.newSession,
      engine: options.engine,
      stream: options.engine.stream?.bind(options.engine),
      auth: options.auth,
      authMode: options.authMode ?? 'scram',
      tls,
      mockSecret: new Uint8Array(randomBytes(32)),
      maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
      register: (conn) => {
        const processId = this.#nextPid++;
        const secretKey = new Uint8Array(randomBytes(4));
        this.#byPid.set(processId, { conn, secret: secretKey });
        return { processId, secretKey };
      },
      unregister: (conn) => {
        this.#connections.delete(conn);
        for (const [pid, entry] of this.#byPid) if (entry.conn === conn) this.#byPid.delete(pid);
      },
      cancel: (processId, secretKey) => {
        const entry = this.#byPid.get(processId);
        if (entry === undefined || entry.secret.length !== secretKey.length) return;
        if (timingSafeEqual(entry.secret, secretKey)) entry.conn.requestCancel();
      },
    };
    this.#server = createServer((socket) => {
      socket.setNoDelay(true);
      const conn = new Connection(socket, ctx);
      this.#connections.add(conn);
    });
  }

  static async start(options: ServerOptions): Promise<PgServer> {
    // Functions psql's catalog queries call that DuckDB lacks; macros are shared by every connection.
    await options.newSession().execute(compatSetupSql());
    const server = new PgServer(options);
    await server.#listen(options.host ?? DEFAULT_HOST, options.port ?? DEFAULT_PORT);
    return server;
  }

  async #listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const addr = this.#server.address();
    if (addr === null || typeof addr === 'string')
      throw new Error(`server is not listening on TCP (${addr})`);
    this.#address = { host: addr.address, port: addr.port };
  }

  get address(): ServerAddress {
    if (this.#address === undefined) throw new Error('server is not listening');
    return this.#address;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Stops accepting, ends every connection and resolves once the listener is closed. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const conn of [...this.#connections]) conn.destroy();
    await closed;
  }
}
