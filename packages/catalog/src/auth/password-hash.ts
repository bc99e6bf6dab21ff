// Password verifiers: scrypt with a per-user random salt; only the verifier is stored.
// Format: `scrypt$<N>:<r>:<p>$<salt base64>$<hash base64>` so the cost can rise later without
// invalidating stored verifiers.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...options, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err === null ? resolve(key) : reject(err)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}:${R}:${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, verifier: string): Promise<boolean> {
  const [scheme, params, salt, hash] = verifier.split('$');
  if (scheme !== 'scrypt' || params === undefined || salt === undefined || hash === undefined) return false;
  const [n, r, p] = params.split(':').map(Number);
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: n!, r: r!, p: p! });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Verifying against this when the user does not exist keeps "unknown user" and "wrong password"
// indistinguishable by timing.
let dummy: Promise<string> | undefined;
export function dummyVerifier(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
