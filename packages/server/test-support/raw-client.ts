// A minimal protocol-level client for tests that need exact messages (declared parameter types,
// Describe, row limits, malformed input), built from @loch/pgwire's client-side codec.
import { connect, type Socket } from 'node:net';
import {
  BackendDecoder,
  type BackendMessage,
  encodeFrontendMessage,
  encodeFrontendMessages,
  type FrontendMessage,
  PROTOCOL_3_0,
} from '@loch/pgwire';

export class RawClient {
  readonly #socket: Socket;
  readonly #decoder = new BackendDecoder();
  readonly #received: BackendMessage[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;
  processId = 0;
  secretKey: Uint8Array = new Uint8Array(0);

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      this.#decoder.push(chunk);
      for (let m = this.#decoder.next(); m !== undefined; m = this.#decoder.next()) {
        if (m.type !== 'DecodeError') this.#received.push(m);
      }
      this.#waiter?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#waiter?.();
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connects and logs in with a cleartext password (server in cleartext mode). */
  static async login(port: number, user: string, password: string): Promise<RawClient> {
    const c = await RawClient.open(port);
    c.send({
      type: 'StartupMessage',
      protocolMajor: 3,
      protocolMinor: 0,
      parameters: new Map([['user', user]]),
    });
    const auth = await c.until(
      (m) => m.type === 'AuthenticationCleartextPassword' || m.type === 'ErrorResponse',
    );
    if (auth.at(-1)?.type === 'ErrorResponse') throw new Error('login refused');
    c.send({ type: 'PasswordMessage', password });
    const rest = await c.until((m) => m.type === 'ReadyForQuery' || m.type === 'ErrorResponse');
    const last = rest.at(-1)!;
    if (last.type === 'ErrorResponse')
      throw Object.assign(new Error(last.fields.message), { code: last.fields.code });
    const key = rest.find((m) => m.type === 'BackendKeyData');
    if (key?.type === 'BackendKeyData') {
      c.processId = key.processId;
      c.secretKey = key.secretKey;
    }
    return c;
  }

  send(...messages: FrontendMessage[]): void {
    this.#socket.write(
      messages.length === 1 ? encodeFrontendMessage(messages[0]!) : encodeFrontendMessages(messages),
    );
  }

  sendRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Messages up to and including the first that matches `stop` (or all, if the server closes). */
  async until(stop: (m: BackendMessage) => boolean): Promise<BackendMessage[]> {
    for (;;) {
      const i = this.#received.findIndex(stop);
      if (i >= 0) return this.#received.splice(0, i + 1);
      if (this.#closed) return this.#received.splice(0);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
      this.#waiter = undefined;
    }
  }

  /** Sends the messages and collects the answer up to ReadyForQuery. */
  async roundTrip(...messages: FrontendMessage[]): Promise<BackendMessage[]> {
    this.send(...messages);
    return this.until((m) => m.type === 'ReadyForQuery');
  }

  get closed(): boolean {
    return this.#closed;
  }

  async waitClosed(): Promise<void> {
    await this.until(() => false);
  }

  close(): void {
    this.#socket.destroy();
  }
}

export const PROTOCOL = PROTOCOL_3_0;
export const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes).toString('utf8');
