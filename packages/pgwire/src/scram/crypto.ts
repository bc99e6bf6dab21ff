/**
 * The crypto primitives SCRAM needs, injected so this package stays runtime-neutral. In Node,
 * implement them with node:crypto (createHmac, createHash, pbkdf2Sync, randomBytes).
 */
export interface ScramCrypto {
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number): Uint8Array;
  randomBytes(length: number): Uint8Array;
}

/** Compares without an early exit so timing does not reveal how many leading bytes matched. */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
};

export const xorBytes = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ (b[i] ?? 0);
  return out;
};
