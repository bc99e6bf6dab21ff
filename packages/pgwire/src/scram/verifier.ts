import { encodeUtf8 } from '../bytes/text.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { constantTimeEqual, type ScramCrypto } from './crypto.js';
import { saslprep } from './saslprep.js';

/** PostgreSQL's defaults (scram_iterations = 4096, SCRAM_DEFAULT_SALT_LEN = 16). */
export const DEFAULT_SCRAM_ITERATIONS = 4096;
export const DEFAULT_SCRAM_SALT_LENGTH = 16;

/** The stored secret: never the password, only what SCRAM needs to verify a proof. */
export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

const CLIENT_KEY = encodeUtf8('Client Key');
const SERVER_KEY = encodeUtf8('Server Key');

/** The password bytes SCRAM hashes: SASLprep'd when possible, raw otherwise (as PostgreSQL). */
export const scramPasswordBytes = (password: string): Uint8Array =>
  encodeUtf8(saslprep(password) ?? password);

export const deriveScramKeys = (
  password: string,
  salt: Uint8Array,
  iterations: number,
  crypto: ScramCrypto,
): { clientKey: Uint8Array; storedKey: Uint8Array; serverKey: Uint8Array } => {
  const salted = crypto.pbkdf2Sha256(scramPasswordBytes(password), salt, iterations, 32);
  const clientKey = crypto.hmacSha256(salted, CLIENT_KEY);
  return { clientKey, storedKey: crypto.sha256(clientKey), serverKey: crypto.hmacSha256(salted, SERVER_KEY) };
};

export interface CreateVerifierOptions {
  readonly iterations?: number;
  /** Fixed salt, for tests; random otherwise. */
  readonly salt?: Uint8Array;
}

export const createScramVerifier = (
  password: string,
  crypto: ScramCrypto,
  options: CreateVerifierOptions = {},
): ScramVerifier => {
  const iterations = options.iterations ?? DEFAULT_SCRAM_ITERATIONS;
  const salt = options.salt ?? crypto.randomBytes(DEFAULT_SCRAM_SALT_LENGTH);
  const { storedKey, serverKey } = deriveScramKeys(password, salt, iterations, crypto);
  return { iterations, salt, storedKey, serverKey };
};

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, as in pg_authid.rolpassword. */
export const formatScramVerifier = (v: ScramVerifier): string =>
  `SCRAM-SHA-256$${v.iterations}:${encodeBase64(v.salt)}$${encodeBase64(v.storedKey)}:${encodeBase64(v.serverKey)}`;

/** Parses the stored form; `undefined` when it is not a well-formed SCRAM-SHA-256 secret. */
export const parseScramVerifier = (text: string): ScramVerifier | undefined => {
  const m = /^SCRAM-SHA-256\$(\d{1,9}):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (m === null) return undefined;
  const iterations = Number(m[1]);
  const salt = decodeBase64(m[2]!);
  const storedKey = decodeBase64(m[3]!);
  const serverKey = decodeBase64(m[4]!);
  if (iterations < 1 || salt === undefined || salt.length === 0) return undefined;
  if (storedKey?.length !== 32 || serverKey?.length !== 32) return undefined;
  return { iterations, salt, storedKey, serverKey };
};

/** Checks a cleartext password (AuthenticationCleartextPassword flow) against a stored verifier. */
export const verifyScramPassword = (
  password: string,
  verifier: ScramVerifier,
  crypto: ScramCrypto,
): boolean => {
  const { storedKey, serverKey } = deriveScramKeys(password, verifier.salt, verifier.iterations, crypto);
  return constantTimeEqual(storedKey, verifier.storedKey) && constantTimeEqual(serverKey, verifier.serverKey);
};

/**
 * A verifier for a user that does not exist, so the exchange looks the same as for a real user
 * (same salt every time for a given name) and fails only at the proof, as PostgreSQL's mock
 * authentication does. `secret` is a per-server random value kept for the server's lifetime.
 */
export const mockScramVerifier = (
  username: string,
  secret: Uint8Array,
  crypto: ScramCrypto,
): ScramVerifier => {
  const digest = crypto.sha256(new Uint8Array([...encodeUtf8(username), ...secret]));
  return {
    iterations: DEFAULT_SCRAM_ITERATIONS,
    salt: digest.slice(0, DEFAULT_SCRAM_SALT_LENGTH),
    storedKey: crypto.randomBytes(32),
    serverKey: crypto.randomBytes(32),
  };
};
