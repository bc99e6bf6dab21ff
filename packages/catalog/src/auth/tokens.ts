// Personal access tokens: 32 random bytes, shown once; the metastore keeps only SHA-256 of the
// token, which is enough because the token itself has full entropy (no slow hash needed).
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const PREFIX = 'loch_';

export function newToken(): { readonly id: string; readonly token: string; readonly hash: string } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  return { id: randomUUID(), token, hash: tokenHash(token) };
}

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Cheap shape check so obvious garbage never reaches the database. */
export const looksLikeToken = (token: string): boolean =>
  token.startsWith(PREFIX) && token.length === PREFIX.length + 43;

/** A readable random password for the bootstrap admin (24 base64url chars = 144 bits). */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
