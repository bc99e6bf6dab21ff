// SCRAM against the client implementation of the `pg` npm driver (hoisted into node_modules by
// another workspace package). Skipped when that module is not installed.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { ScramCrypto } from './crypto.js';
import {
  scramHandleClientFinal,
  scramHandleClientFirst,
  scramMechanisms,
  scramStart,
} from './scram-server.js';
import { createScramVerifier } from './verifier.js';

interface PgSasl {
  startSession(mechanisms: string[], stream?: unknown): { mechanism: string; response: string };
  continueSession(session: object, password: string, serverData: string, stream?: unknown): Promise<void>;
  finalizeSession(session: object, serverData: string): void;
}

const loadPgSasl = (): PgSasl | undefined => {
  try {
    return createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as PgSasl;
  } catch {
    return undefined;
  }
};
const sasl = loadPgSasl();

const crypto: ScramCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  pbkdf2Sha256: (pw, salt, it, len) => new Uint8Array(pbkdf2Sync(pw, salt, it, len, 'sha256')),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe.skipIf(sasl === undefined)('SCRAM with the pg driver client', () => {
  const exchange = async (storedPassword: string, clientPassword: string) => {
    const verifier = createScramVerifier(storedPassword, crypto, { iterations: 4096 });
    const session = sasl!.startSession(scramMechanisms(false));
    const first = scramHandleClientFirst(
      scramStart({ crypto, verifier }),
      session.mechanism,
      utf8(session.response),
    );
    if (!first.ok) throw new Error(first.error.message);
    await sasl!.continueSession(session, clientPassword, text(first.reply));
    const final = scramHandleClientFinal(first.state, utf8(session.response));
    if (final.ok) sasl!.finalizeSession(session, text(final.reply)); // throws on a bad server signature
    return final;
  };

  it('authenticates, and pg accepts our server signature', async () => {
    expect((await exchange('s3cret', 's3cret')).ok).toBe(true);
  });

  it('agrees with pg on SASLprep of non-ASCII passwords', async () => {
    expect((await exchange('IⅢX', 'IIIIX')).ok).toBe(true);
    expect((await exchange('pass\u00A0word', 'pass word')).ok).toBe(true);
  });

  it('rejects a wrong password', async () => {
    expect(await exchange('s3cret', 'nope')).toMatchObject({
      ok: false,
      error: { code: 'authentication_failed' },
    });
  });
});
