// Authentication of one connection against the catalog's identities. SCRAM-SHA-256 (the default)
// checks the client's proof against the stored verifier; cleartext (opt-in, meant for TLS) takes a
// password or a personal access token. Unknown users run the same exchange and fail at the end,
// so a client cannot tell them from a wrong password.
import type { Metastore } from '@loch/catalog';
import {
  type BackendMessage,
  type FrontendMessage,
  mockScramVerifier,
  type PasswordContext,
  parseScramVerifier,
  SCRAM_SHA_256,
  type ScramState,
  scramHandleClientFinal,
  scramHandleClientFirst,
  scramStart,
} from '@loch/pgwire';
import { nodeScramCrypto } from './node-crypto.js';

export type AuthMode = 'scram' | 'cleartext';

/** The part of the metastore authentication needs. */
export type AuthBackend = Pick<Metastore, 'scramVerifier' | 'authenticate' | 'authenticateToken'>;

export type AuthStep =
  | { readonly kind: 'continue'; readonly message: BackendMessage; readonly context: PasswordContext }
  | { readonly kind: 'ok'; readonly messages: readonly BackendMessage[]; readonly user: string }
  | { readonly kind: 'fail'; readonly sqlstate: string; readonly message: string };

const failed = (user: string): AuthStep => ({
  kind: 'fail',
  sqlstate: '28P01',
  message: `password authentication failed for user "${user}"`,
});

export class Authenticator {
  readonly #backend: AuthBackend;
  readonly #mode: AuthMode;
  readonly #user: string;
  readonly #mockSecret: Uint8Array;
  #scram: ScramState | undefined;

  constructor(backend: AuthBackend, mode: AuthMode, user: string, mockSecret: Uint8Array) {
    this.#backend = backend;
    this.#mode = mode;
    this.#user = user;
    this.#mockSecret = mockSecret;
  }

  /** The authentication request to send after the StartupMessage. */
  async start(): Promise<AuthStep> {
    if (this.#mode === 'cleartext') {
      return { kind: 'continue', message: { type: 'AuthenticationCleartextPassword' }, context: 'password' };
    }
    const stored = await this.#backend.scramVerifier(this.#user);
    const verifier = stored === undefined ? undefined : parseScramVerifier(stored);
    this.#scram = scramStart({
      crypto: nodeScramCrypto,
      verifier: verifier ?? mockScramVerifier(this.#user, this.#mockSecret, nodeScramCrypto),
      doomed: verifier === undefined,
    });
    return {
      kind: 'continue',
      message: { type: 'AuthenticationSASL', mechanisms: [SCRAM_SHA_256] },
      context: 'sasl-initial',
    };
  }

  /** Feeds the client's next authentication message. */
  async step(m: FrontendMessage): Promise<AuthStep> {
    if (m.type === 'PasswordMessage' && this.#mode === 'cleartext') return this.#cleartext(m.password);
    if (m.type === 'SASLInitialResponse' && this.#scram !== undefined) {
      const r = scramHandleClientFirst(this.#scram, m.mechanism, m.data);
      if (!r.ok) return this.#scramFailure(r.error.sqlstate, r.error.message);
      this.#scram = r.state;
      return {
        kind: 'continue',
        message: { type: 'AuthenticationSASLContinue', data: r.reply },
        context: 'sasl-continue',
      };
    }
    if (m.type === 'SASLResponse' && this.#scram !== undefined) {
      const r = scramHandleClientFinal(this.#scram, m.data);
      if (!r.ok) return this.#scramFailure(r.error.sqlstate, r.error.message);
      this.#scram = r.state;
      return {
        kind: 'ok',
        user: this.#user,
        messages: [{ type: 'AuthenticationSASLFinal', data: r.reply }, { type: 'AuthenticationOk' }],
      };
    }
    return {
      kind: 'fail',
      sqlstate: '08P01',
      message: `expected an authentication response, got a ${m.type} message`,
    };
  }

  #scramFailure(sqlstate: string, message: string): AuthStep {
    // A wrong proof is reported like PostgreSQL does; protocol mistakes keep their own message.
    return sqlstate === '28P01' ? failed(this.#user) : { kind: 'fail', sqlstate, message };
  }

  async #cleartext(password: string): Promise<AuthStep> {
    const byPassword = await this.#backend.authenticate(this.#user, password);
    if (byPassword.ok)
      return { kind: 'ok', user: byPassword.principal.name, messages: [{ type: 'AuthenticationOk' }] };
    // A personal access token stands in for the password; it must belong to the named user.
    const byToken = await this.#backend.authenticateToken(password);
    if (byToken.ok && byToken.principal.name === this.#user.toLowerCase()) {
      return { kind: 'ok', user: byToken.principal.name, messages: [{ type: 'AuthenticationOk' }] };
    }
    return failed(this.#user);
  }
}
