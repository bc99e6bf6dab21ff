// SCRAM-SHA-256 verifiers in PostgreSQL's pg_authid format, so a pg-wire server can run the SASL
// exchange (RFC 5802/7677) without ever holding the plaintext:
//   SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export const SCRAM_ITERATIONS = 4096;

export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

// RFC 3454 C.1.2 (non-ASCII spaces, mapped to SPACE) and B.1 (commonly mapped to nothing).
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
// biome-ignore lint/suspicious/noMisleadingCharacterClass: these code points are removed one by one, never combined
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
// A conservative subset of the prohibited output (controls, private use, surrogates, non-characters).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are prohibited by RFC 4013
const PROHIBITED = /[\u0000-\u001f\u007f-\u009f\ue000-\uf8ff\ufff9-\ufffd\ud800-\udfff]/;

/**
 * SASLprep (RFC 4013) as PostgreSQL applies it: if the prepared string would contain prohibited
 * characters, PostgreSQL falls back to the raw bytes, and so do we, so verifiers agree.
 */
export function saslPrep(password: string): string {
  const prepared = password.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  return PROHIBITED.test(prepared) ? password : prepared;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

export function scramVerifierFor(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  const salted = pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Parses a stored verifier; undefined when it is not in SCRAM-SHA-256 format. */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (m === null) return undefined;
  return {
    iterations: Number(m[1]),
    salt: Buffer.from(m[2]!, 'base64'),
    storedKey: Buffer.from(m[3]!, 'base64'),
    serverKey: Buffer.from(m[4]!, 'base64'),
  };
}
