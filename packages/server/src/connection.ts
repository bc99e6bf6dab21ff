// One client connection: startup (SSL/TLS, StartupMessage, authentication), then the simple and
// extended query protocols. Messages are handled strictly one after another; the socket is paused
// while a backlog builds up so a flooding client cannot grow memory without bound.
import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import { type Engine, InterruptScope } from '@loch/engine-duckdb';
import {
  type BackendMessage,
  BackendWriter,
  type FrontendDecodeError,
  FrontendDecoder,
  type FrontendMessage,
  interpretStartup,
  protocolNegotiation,
  SSL_ACCEPT,
  SSL_REJECT,
  type StartupMessage,
  serverParameterStatus,
  type TransactionStatus,
} from '@loch/pgwire';
import { type SqlSession, splitStatements } from '@loch/sql';
import { type AuthBackend, Authenticator, type AuthMode } from './auth.js';
import { ExtendedProtocol } from './extended-protocol.js';
import { type StreamFn, streamQuery } from './query-stream.js';
import { sendResult } from './result-writer.js';
import { type LocalResult, SERVER_VERSION, SessionSettings } from './session-settings.js';
import { planOf } from './statement-plan.js';
import {
  CANCEL_REASON,
  cancelledError,
  errorOf,
  runStatement,
  type StatementHost,
  shiftPosition,
  TIMEOUT_REASON,
  WireError,
} from './statement-runner.js';

export interface ConnectionContext {
  readonly newSession: (user?: string) => SqlSession;
  readonly engine: Pick<Engine, 'describe' | 'query'>;
  /** Streams plain queries of the simple protocol when the engine can. */
  readonly stream: StreamFn | undefined;
  readonly auth: AuthBackend;
  readonly authMode: AuthMode;
  readonly tls: SecureContext | undefined;
  readonly mockSecret: Uint8Array;
  readonly maxMessageSize: number;
  /** Registers the connection for CancelRequests; returns its (pid, secret). */
  register(conn: Connection): { processId: number; secretKey: Uint8Array };
  unregister(conn: Connection): void;
  cancel(processId: number, secretKey: Uint8Array): void;
}

/** Bytes buffered ahead of the handler before the socket is paused. */
const BACKLOG_LIMIT = 8 * 1024 * 1024;
/** Output is written out once this much is pending, so large results stream. */
export const FLUSH_THRESHOLD = 256 * 1024;

type Phase = 'startup' | 'auth' | 'ready' | 'closed';

/** Decode errors of extended-protocol messages (the codec names the message first). */
const EXTENDED_MESSAGE = /^(Parse|Bind|Describe|Execute|Close)\b|^unsupported format code/;

export class Connection implements StatementHost {
  #socket: Socket;
  readonly #ctx: ConnectionContext;
  readonly #decoder: FrontendDecoder;
  readonly out = new BackendWriter();
  #phase: Phase = 'startup';
  #pumping = false;
  #auth: Authenticator | undefined;
  #session: SqlSession | undefined;
  readonly settings = new SessionSettings();
  #status: TransactionStatus = 'I';
  /** The running statement's scope: a CancelRequest or the statement timeout interrupts it. */
  #scope: InterruptScope | undefined;
  #extended: ExtendedProtocol | undefined;
  #key: { processId: number; secretKey: Uint8Array } | undefined;
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;

  constructor(socket: Socket, ctx: ConnectionContext) {
    this.#socket = socket;
    this.#ctx = ctx;
    this.#decoder = new FrontendDecoder({ maxMessageSize: ctx.maxMessageSize });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#attach(socket);
  }

  get engine(): Pick<Engine, 'query'> {
    return this.#ctx.engine;
  }

  get session(): SqlSession {
    if (this.#session === undefined) throw new WireError('08P01', 'no session before authentication');
    return this.#session;
  }

  get transactionStatus(): TransactionStatus {
    return this.#status;
  }

  #attach(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#decoder.push(chunk);
    if (this.#decoder.bufferedBytes > BACKLOG_LIMIT) this.#socket.pause();
    void this.#pump();
  };

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (
        let m = this.#decoder.next();
        m !== undefined && this.#phase !== 'closed';
        m = this.#decoder.next()
      ) {
        try {
          await this.#handle(m);
        } catch (e) {
          const err = errorOf(e);
          this.out.errorCode(err.sqlstate, err.message, {
            ...(err.fatal ? { severity: 'FATAL' } : {}),
            ...(err.position === undefined ? {} : { position: err.position }),
          });
          if (err.fatal || this.#phase !== 'ready') {
            await this.#write();
            this.close();
            return;
          }
          if (this.#extended?.inBatch) this.#extended.fail();
          else this.out.readyForQuery(this.#status);
        }
      }
      await this.#write();
    } finally {
      this.#pumping = false;
      if (this.#phase !== 'closed') this.#socket.resume();
    }
  }

  /** Writes pending output, waiting for the socket to drain when the client reads slowly. */
  async #write(): Promise<void> {
    if (this.out.length === 0 || this.#phase === 'closed') return;
    const bytes = this.out.flush();
    if (!this.#socket.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#socket.off('drain', done);
          this.#socket.off('close', done);
          resolve();
        };
        this.#socket.on('drain', done);
        this.#socket.on('close', done);
      });
    }
  }

  /** Writes out pending output when enough has built up (called while streaming rows). */
  async flushIfLarge(): Promise<void> {
    if (this.out.length >= FLUSH_THRESHOLD) await this.#write();
  }

  async flush(): Promise<void> {
    await this.#write();
  }

  async #handle(m: FrontendMessage | FrontendDecodeError): Promise<void> {
    if (m.type === 'DecodeError') {
      // An unknown message type means the stream is out of step: PostgreSQL ends the session too.
      const fatal = m.fatal || this.#phase !== 'ready' || m.code === 'unknown_message_type';
      if (!fatal && this.#extended !== undefined && EXTENDED_MESSAGE.test(m.message)) {
        // A bad Parse/Bind/...: the client sends Sync next and waits for ReadyForQuery there.
        this.out.errorCode(m.sqlstate, m.message);
        this.#extended.fail();
        return;
      }
      throw new WireError(m.sqlstate, m.message, fatal);
    }
    switch (this.#phase) {
      case 'startup':
        return this.#handleStartup(m);
      case 'auth':
        return this.#handleAuth(m);
      case 'ready':
        return this.#handleReady(m);
      case 'closed':
        return;
    }
  }

  async #handleStartup(m: FrontendMessage): Promise<void> {
    switch (m.type) {
      case 'SSLRequest': {
        if (this.#ctx.tls === undefined || this.#decoder.bufferedBytes > 0) {
          this.out.raw(SSL_REJECT);
          return;
        }
        this.out.raw(SSL_ACCEPT);
        await this.#write();
        this.#upgrade(this.#ctx.tls);
        return;
      }
      case 'GSSENCRequest':
        this.out.raw(SSL_REJECT);
        return;
      case 'CancelRequest':
        this.#ctx.cancel(m.processId, m.secretKey);
        this.close();
        return;
      case 'StartupMessage':
        return this.#startup(m);
      default:
        throw new WireError('08P01', `expected a startup message, got ${m.type}`, true);
    }
  }

  #upgrade(context: SecureContext): void {
    const raw = this.#socket;
    raw.off('data', this.#onData);
    const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
    this.#socket = secure;
    this.#attach(secure);
  }

  async #startup(m: StartupMessage): Promise<void> {
    const negotiation = protocolNegotiation(m);
    if (negotiation !== undefined) this.out.message(negotiation);
    const startup = interpretStartup(m);
    if (startup.user === undefined || startup.user === '') {
      throw new WireError('28000', 'no PostgreSQL user name specified in startup packet', true);
    }
    if (startup.replication)
      throw new WireError('0A000', 'Loch does not support replication connections', true);
    this.settings.applyStartup(startup.settings);
    this.#auth = new Authenticator(this.#ctx.auth, this.#ctx.authMode, startup.user, this.#ctx.mockSecret);
    this.#phase = 'auth';
    this.#authStep(await this.#auth.start());
  }

  async #handleAuth(m: FrontendMessage): Promise<void> {
    if (this.#auth === undefined) throw new WireError('08P01', 'authentication was not started', true);
    this.#authStep(await this.#auth.step(m));
  }

  #authStep(step: Awaited<ReturnType<Authenticator['step']>>): void {
    switch (step.kind) {
      case 'continue':
        this.out.message(step.message);
        this.#decoder.setPasswordContext(step.context);
        return;
      case 'fail':
        throw new WireError(step.sqlstate, step.message, true);
      case 'ok': {
        for (const msg of step.messages) this.out.message(msg);
        this.#decoder.setPasswordContext('none');
        this.#auth = undefined;
        this.#session = this.#ctx.newSession(step.user);
        this.#extended = new ExtendedProtocol(this, this.#ctx.engine);
        const params: BackendMessage[] = serverParameterStatus({
          serverVersion: SERVER_VERSION,
          user: step.user,
          applicationName: this.settings.get('application_name') ?? '',
        });
        for (const p of params) this.out.message(p);
        this.#key = this.#ctx.register(this);
        this.out.backendKeyData(this.#key.processId, this.#key.secretKey);
        this.out.readyForQuery(this.#status);
        this.#phase = 'ready';
        return;
      }
    }
  }

  async #handleReady(m: FrontendMessage): Promise<void> {
    const ext = this.#extended!;
    switch (m.type) {
      case 'Query':
        return this.#simpleQuery(m.sql);
      case 'Parse':
      case 'Bind':
      case 'Describe':
      case 'Execute':
      case 'Close':
        return ext.handle(m);
      case 'Sync':
        ext.sync();
        this.out.readyForQuery(this.#status);
        return;
      case 'Flush':
        return this.#write();
      case 'Terminate':
        this.close();
        return;
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        return;
      default:
        throw new WireError('08P01', `unexpected ${m.type} message after authentication`);
    }
  }

  async #simpleQuery(sql: string): Promise<void> {
    const statements = splitStatements(sql);
    if (statements.length === 0) this.out.emptyQueryResponse();
    for (const { sql: text, offset } of statements) {
      let result: Awaited<ReturnType<typeof runStatement>>;
      try {
        const plan = planOf(text);
        const stream = this.#ctx.stream;
        // SHOW/SELECT version() answered locally have no side effects, so asking is safe.
        if (
          stream !== undefined &&
          plan.streamable &&
          this.settings.handle(text, plan.tokens) === undefined
        ) {
          await this.#tracked(() => streamQuery(this, text, stream));
          continue;
        }
        result = await this.#tracked(() => runStatement(this, text, plan));
      } catch (e) {
        throw shiftPosition(e, offset);
      }
      await sendResult(this, result, { describe: true, formats: [], maxRows: 0 });
    }
    this.out.readyForQuery(this.#status);
  }

  /**
   * Runs one statement in its own InterruptScope: the DuckDB queries it runs are interrupted by a
   * CancelRequest or when `statement_timeout` passes, and the statement then fails with 57014.
   */
  async #tracked<T>(fn: () => Promise<T>): Promise<T> {
    const scope = new InterruptScope();
    this.#scope = scope;
    const timeoutMs = this.settings.statementTimeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => scope.interrupt(TIMEOUT_REASON), timeoutMs) : undefined;
    try {
      const result = await scope.run(fn);
      scope.check();
      return result;
    } catch (e) {
      if (scope.reason !== undefined) throw cancelledError(scope.reason);
      throw e;
    } finally {
      clearTimeout(timer);
      this.#scope = undefined;
    }
  }

  /** Runs one statement with cancellation tracking. */
  async run(sql: string): Promise<Awaited<ReturnType<typeof runStatement>>> {
    return this.#tracked(() => runStatement(this, sql));
  }

  /** Throws 57014 once the running statement was cancelled (checked between result chunks). */
  checkCancelled(): void {
    const reason = this.#scope?.reason;
    if (reason !== undefined) throw cancelledError(reason);
  }

  /** A CancelRequest for this connection: interrupts the running statement, if any. */
  requestCancel(): void {
    this.#scope?.interrupt(CANCEL_REASON);
  }

  applyLocal(r: LocalResult): void {
    if (r.kind === 'transaction') this.#status = r.tag === 'BEGIN' ? 'T' : 'I';
    if (r.kind === 'command' && r.report !== undefined) this.out.parameterStatus(r.report[0], r.report[1]);
    if (r.kind === 'deallocate') this.#extended?.deallocate(r.name);
    if (r.kind === 'discard') this.#extended?.deallocate(undefined);
  }

  close(): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    // Nobody is left to read the answer: a running query would only hold its pooled connection.
    this.#scope?.interrupt('connection closed');
    this.#ctx.unregister(this);
    this.#socket.end();
    this.#socket.destroySoon?.();
    this.#resolveClosed();
  }

  /** Ends the connection at once (server shutdown). */
  destroy(): void {
    this.close();
    this.#socket.destroy();
  }
}
