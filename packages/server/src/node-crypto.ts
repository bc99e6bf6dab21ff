// SCRAM's primitives from node:crypto, for @loch/pgwire's runtime-neutral SCRAM state machine.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { ScramCrypto } from '@loch/pgwire';

export const nodeScramCrypto: ScramCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  pbkdf2Sha256: (password, salt, iterations, keyLength) =>
    new Uint8Array(pbkdf2Sync(password, salt, iterations, keyLength, 'sha256')),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
};
