// Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it, as pure functions
// over immutable states. The server feeds SASLInitialResponse to `scramHandleClientFirst`, sends
// back the result as AuthenticationSASLContinue, feeds SASLResponse to `scramHandleClientFinal`
// and sends AuthenticationSASLFinal followed by AuthenticationOk.
import { decodeUtf8Strict, encodeUtf8 } from '../bytes/text.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { constantTimeEqual, type ScramCrypto, xorBytes } from './crypto.js';
import type { ScramVerifier } from './verifier.js';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
export const SCRAM_SHA_256_PLUS = 'SCRAM-SHA-256-PLUS';
/** PostgreSQL's SCRAM_RAW_NONCE_LEN. */
const SERVER_NONCE_BYTES = 18;

export interface ChannelBinding {
  /** The only type PostgreSQL supports: a hash of the server's TLS certificate (RFC 5929). */
  readonly type: 'tls-server-end-point';
  readonly data: Uint8Array;
}

export interface ScramServerOptions {
  readonly crypto: ScramCrypto;
  readonly verifier: ScramVerifier;
  /** True for mock authentication of an unknown user: the exchange runs but always fails. */
  readonly doomed?: boolean;
  /** Set when the connection is TLS and SCRAM-SHA-256-PLUS was offered. */
  readonly channelBinding?: ChannelBinding;
  /** Fixed server nonce, only for reproducing test vectors. */
  readonly serverNonce?: string;
}

/** Mechanisms to list in AuthenticationSASL, strongest first. */
export const scramMechanisms = (channelBindingAvailable: boolean): string[] =>
  channelBindingAvailable ? [SCRAM_SHA_256_PLUS, SCRAM_SHA_256] : [SCRAM_SHA_256];

export type ScramErrorCode =
  | 'malformed_message'
  | 'unsupported_mechanism'
  | 'unsupported_feature'
  | 'channel_binding_mismatch'
  | 'authentication_failed'
  | 'invalid_state';

export interface ScramError {
  readonly code: ScramErrorCode;
  /** SQLSTATE for the ErrorResponse (08P01, 0A000, 28000 or 28P01). */
  readonly sqlstate: string;
  readonly message: string;
}

const SQLSTATE: Record<ScramErrorCode, string> = {
  malformed_message: '08P01',
  unsupported_mechanism: '08P01',
  unsupported_feature: '0A000',
  channel_binding_mismatch: '28000',
  authentication_failed: '28P01',
  invalid_state: '08P01',
};

const fail = (code: ScramErrorCode, message: string): { ok: false; error: ScramError } => ({
  ok: false,
  error: { code, sqlstate: SQLSTATE[code], message },
});

export type ScramState =
  | { readonly phase: 'initial'; readonly options: ScramServerOptions }
  | {
      readonly phase: 'server-first-sent';
      readonly options: ScramServerOptions;
      readonly gs2Header: string;
      readonly clientFirstBare: string;
      readonly serverFirst: string;
      readonly nonce: string;
    }
  | { readonly phase: 'done' };

export type ScramStep =
  | { readonly ok: true; readonly state: ScramState; readonly reply: Uint8Array }
  | { readonly ok: false; readonly error: ScramError };

export const scramStart = (options: ScramServerOptions): ScramState => ({ phase: 'initial', options });

/** RFC 5802 `printable`: 0x21-0x7E except ','. */
const isValidNonce = (s: string): boolean => /^[\x21-\x2b\x2d-\x7e]+$/.test(s);

/** Splits `x=value,...` attributes; values may contain '=' but never ','. */
const splitAttributes = (s: string): [string, string][] | undefined => {
  const out: [string, string][] = [];
  for (const part of s.split(',')) {
    if (!/^[A-Za-z]=/.test(part)) return undefined;
    out.push([part[0]!, part.slice(2)]);
  }
  return out;
};

export const scramHandleClientFirst = (
  state: ScramState,
  mechanism: string,
  data: Uint8Array | null,
): ScramStep => {
  if (state.phase !== 'initial') return fail('invalid_state', 'SCRAM client-first message received twice');
  const { options } = state;
  const cb = options.channelBinding;
  if (mechanism !== SCRAM_SHA_256 && !(mechanism === SCRAM_SHA_256_PLUS && cb !== undefined)) {
    return fail(
      'unsupported_mechanism',
      `client selected an invalid SASL authentication mechanism "${mechanism}"; offered: ${scramMechanisms(cb !== undefined).join(', ')}`,
    );
  }
  const text = data === null ? undefined : decodeUtf8Strict(data);
  if (text === undefined || text.includes('\0')) {
    return fail('malformed_message', 'malformed SCRAM message: client-first message is missing or not UTF-8');
  }

  // gs2-header = cbind-flag "," [authzid] ","
  const m = /^(n|y|p=[A-Za-z0-9.-]+),(a=[^,]*)?,/.exec(text);
  if (m === null) return fail('malformed_message', `malformed SCRAM message: bad GS2 header in "${text}"`);
  const flag = m[1]!;
  if (m[2] !== undefined) {
    return fail('unsupported_feature', 'client uses authorization identity, but it is not supported');
  }
  if (flag === 'y' && cb !== undefined) {
    return fail(
      'channel_binding_mismatch',
      'SCRAM channel binding negotiation error: the client supports channel binding but thinks the server does not, yet this server does',
    );
  }
  if (flag.startsWith('p=')) {
    if (cb === undefined || mechanism !== SCRAM_SHA_256_PLUS) {
      return fail('malformed_message', 'client requires SCRAM channel binding, but it was not negotiated');
    }
    if (flag.slice(2) !== cb.type) {
      return fail('unsupported_feature', `unsupported SCRAM channel-binding type "${flag.slice(2)}"`);
    }
  } else if (mechanism === SCRAM_SHA_256_PLUS) {
    return fail(
      'malformed_message',
      'client selected SCRAM-SHA-256-PLUS but did not send channel binding data',
    );
  }

  const gs2Header = m[0];
  const clientFirstBare = text.slice(gs2Header.length);
  const attrs = splitAttributes(clientFirstBare);
  if (attrs === undefined) return fail('malformed_message', `malformed SCRAM message: "${clientFirstBare}"`);
  if (attrs[0]?.[0] === 'm')
    return fail('unsupported_feature', 'client requires an unsupported SCRAM extension');
  // The user name is ignored, as in PostgreSQL: the startup packet's user is authoritative.
  if (attrs[0]?.[0] !== 'n' || attrs[1]?.[0] !== 'r') {
    return fail('malformed_message', 'malformed SCRAM message: expected n= then r= attributes');
  }
  const clientNonce = attrs[1][1];
  if (!isValidNonce(clientNonce))
    return fail('malformed_message', 'malformed SCRAM message: invalid client nonce');

  const serverNonce = options.serverNonce ?? encodeBase64(options.crypto.randomBytes(SERVER_NONCE_BYTES));
  const nonce = clientNonce + serverNonce;
  const { salt, iterations } = options.verifier;
  const serverFirst = `r=${nonce},s=${encodeBase64(salt)},i=${iterations}`;
  return {
    ok: true,
    state: { phase: 'server-first-sent', options, gs2Header, clientFirstBare, serverFirst, nonce },
    reply: encodeUtf8(serverFirst),
  };
};

export const scramHandleClientFinal = (state: ScramState, data: Uint8Array): ScramStep => {
  if (state.phase !== 'server-first-sent') {
    return fail('invalid_state', 'SCRAM client-final message received before client-first');
  }
  const text = decodeUtf8Strict(data);
  if (text === undefined) return fail('malformed_message', 'malformed SCRAM message: not UTF-8');
  const proofAt = text.lastIndexOf(',p=');
  const attrs = proofAt < 0 ? undefined : splitAttributes(text);
  if (attrs === undefined || attrs[0]?.[0] !== 'c' || attrs[1]?.[0] !== 'r' || attrs.at(-1)?.[0] !== 'p') {
    return fail('malformed_message', 'malformed SCRAM message: expected c=, r= ... p= attributes');
  }
  const { options } = state;

  const cbind = decodeBase64(attrs[0][1]);
  const header = encodeUtf8(state.gs2Header);
  const cbData = state.gs2Header.startsWith('p=')
    ? (options.channelBinding?.data ?? new Uint8Array(0))
    : undefined;
  const expected = cbData === undefined ? header : new Uint8Array([...header, ...cbData]);
  if (cbind === undefined || !constantTimeEqual(cbind, expected)) {
    return fail('channel_binding_mismatch', 'SCRAM channel binding check failed');
  }
  if (attrs[1][1] !== state.nonce) return fail('malformed_message', 'SCRAM nonce mismatch');
  const proof = decodeBase64(attrs.at(-1)![1]);
  if (proof === undefined || proof.length !== 32) {
    return fail('malformed_message', 'malformed SCRAM message: invalid client proof');
  }

  const clientFinalWithoutProof = text.slice(0, proofAt);
  const authMessage = encodeUtf8(`${state.clientFirstBare},${state.serverFirst},${clientFinalWithoutProof}`);
  const { crypto, verifier } = options;
  const clientSignature = crypto.hmacSha256(verifier.storedKey, authMessage);
  const clientKey = xorBytes(proof, clientSignature);
  const valid = constantTimeEqual(crypto.sha256(clientKey), verifier.storedKey);
  if (!valid || options.doomed === true) return fail('authentication_failed', 'SCRAM proof does not match');

  const serverSignature = crypto.hmacSha256(verifier.serverKey, authMessage);
  return { ok: true, state: { phase: 'done' }, reply: encodeUtf8(`v=${encodeBase64(serverSignature)}`) };
};
