import { ChunkQueue } from '../bytes/chunk-queue.js';
import { decodeError, type FrontendDecodeError } from './decode-error.js';
import type { FrontendMessage, PasswordContext } from './messages.js';
import { parseStartupPacket } from './parse-startup.js';
import { parseTypedMessage } from './parse-typed.js';

export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
/** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
export const DEFAULT_MAX_STARTUP_SIZE = 10000;

export interface FrontendDecoderOptions {
  /** Largest accepted typed message, counting its length field (default 64 MiB). */
  readonly maxMessageSize?: number;
  /** Largest accepted startup packet (default 10000 bytes, as PostgreSQL). */
  readonly maxStartupSize?: number;
  /** Start in the typed phase, e.g. after a server handled startup elsewhere (default false). */
  readonly skipStartup?: boolean;
}

export type DecoderPhase = 'startup' | 'typed' | 'failed';

/**
 * Incremental decoder for one client connection. `push` bytes as they arrive, then call `next`
 * until it returns `undefined`. Pull-based on purpose: the server can change the password context
 * (or stop after an SSLRequest to upgrade the socket) between two messages of the same chunk.
 *
 * Pushed chunks are kept by reference and returned messages may hold views into them (Bind
 * parameters, CopyData); do not reuse pushed buffers.
 */
export class FrontendDecoder {
  private readonly queue = new ChunkQueue();
  private readonly maxMessageSize: number;
  private readonly maxStartupSize: number;
  private state: DecoderPhase;
  private passwordContext: PasswordContext = 'none';

  constructor(options: FrontendDecoderOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxStartupSize = options.maxStartupSize ?? DEFAULT_MAX_STARTUP_SIZE;
    this.state = options.skipStartup ? 'typed' : 'startup';
  }

  get phase(): DecoderPhase {
    return this.state;
  }

  /**
   * Bytes received but not yet returned as messages. After an SSLRequest the server must check
   * this is 0 before the TLS handshake: bytes sent ahead were not encrypted (CVE-2021-23214).
   */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  /** Selects how the next 'p' messages are read; see PasswordContext. */
  setPasswordContext(context: PasswordContext): void {
    this.passwordContext = context;
  }

  push(chunk: Uint8Array): void {
    if (this.state === 'failed') return;
    this.queue.push(chunk);
  }

  /** The next complete message, a decode error, or `undefined` when more bytes are needed. */
  next(): FrontendMessage | FrontendDecodeError | undefined {
    if (this.state === 'failed') return undefined;
    return this.state === 'startup' ? this.nextStartup() : this.nextTyped();
  }

  /** Drains all complete messages (convenience for when the password context does not change). */
  drain(): (FrontendMessage | FrontendDecodeError)[] {
    const out: (FrontendMessage | FrontendDecodeError)[] = [];
    for (let m = this.next(); m !== undefined; m = this.next()) out.push(m);
    return out;
  }

  private fail(error: FrontendDecodeError): FrontendDecodeError {
    this.state = 'failed';
    this.queue.clear();
    return error;
  }

  private nextStartup(): FrontendMessage | FrontendDecodeError | undefined {
    if (this.queue.length < 4) return undefined;
    const len = this.queue.int32At(0);
    if (len < 8) return this.fail(decodeError('invalid_length', `invalid startup packet length ${len}`));
    if (len > this.maxStartupSize) {
      return this.fail(
        decodeError(
          'startup_too_large',
          `startup packet length ${len} exceeds the limit of ${this.maxStartupSize} bytes`,
        ),
      );
    }
    if (this.queue.length < len) return undefined;
    this.queue.skip(4);
    const result = parseStartupPacket(this.queue.read(len - 4));
    if (result.type === 'DecodeError') {
      // A bad startup packet leaves nothing sensible to continue with.
      return this.fail(result.fatal ? result : { ...result, fatal: true });
    }
    if (result.type === 'StartupMessage') this.state = 'typed';
    return result;
  }

  private nextTyped(): FrontendMessage | FrontendDecodeError | undefined {
    if (this.queue.length < 5) return undefined;
    const code = this.queue.byteAt(0);
    const len = this.queue.int32At(1);
    if (len < 4) return this.fail(decodeError('invalid_length', `invalid message length ${len}`));
    if (len > this.maxMessageSize) {
      return this.fail(
        decodeError(
          'message_too_large',
          `message length ${len} exceeds the limit of ${this.maxMessageSize} bytes; send smaller statements or parameters`,
        ),
      );
    }
    if (this.queue.length < len + 1) return undefined;
    this.queue.skip(5);
    return parseTypedMessage(code, this.queue.read(len - 4), this.passwordContext);
  }
}
