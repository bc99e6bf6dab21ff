import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { ScramCrypto } from './crypto.js';
import { saslprep } from './saslprep.js';
import {
  type ChannelBinding,
  SCRAM_SHA_256,
  SCRAM_SHA_256_PLUS,
  type ScramServerOptions,
  scramHandleClientFinal,
  scramHandleClientFirst,
  scramMechanisms,
  scramStart,
} from './scram-server.js';
import {
  createScramVerifier,
  formatScramVerifier,
  mockScramVerifier,
  parseScramVerifier,
  verifyScramPassword,
} from './verifier.js';

const crypto: ScramCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  pbkdf2Sha256: (pw, salt, it, len) => new Uint8Array(pbkdf2Sync(pw, salt, it, len, 'sha256')),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** An RFC 5802 client written from the RFC, independent of the server code. */
const scramClient = (
  password: string,
  clientNonce: string,
  gs2Header = 'n,,',
  cbData = new Uint8Array(0),
) => {
  const clientFirstBare = `n=,r=${clientNonce}`;
  return {
    first: utf8(gs2Header + clientFirstBare),
    final(serverFirst: string) {
      const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
      const salted = pbkdf2Sync(
        password.normalize('NFKC'),
        Buffer.from(attrs.s!, 'base64'),
        Number(attrs.i),
        32,
        'sha256',
      );
      const clientKey = createHmac('sha256', salted).update('Client Key').digest();
      const storedKey = createHash('sha256').update(clientKey).digest();
      const cbind = Buffer.concat([Buffer.from(gs2Header), cbData]).toString('base64');
      const withoutProof = `c=${cbind},r=${attrs.r}`;
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const sig = createHmac('sha256', storedKey).update(authMessage).digest();
      const proof = Buffer.from(clientKey.map((b, i) => b ^ sig[i]!));
      const serverKey = createHmac('sha256', salted).update('Server Key').digest();
      const expectedServerSig = createHmac('sha256', serverKey)
        .update(authMessage)
        .digest()
        .toString('base64');
      return {
        message: utf8(`${withoutProof},p=${proof.toString('base64')}`),
        expectedServerFinal: `v=${expectedServerSig}`,
      };
    },
  };
};

const runExchange = (
  password: string,
  options: ScramServerOptions,
  mechanism = SCRAM_SHA_256,
  gs2 = 'n,,',
  cb?: Uint8Array<ArrayBuffer>,
) => {
  const client = scramClient(password, 'fyko+d2lbbFgONRv9qkxdawL', gs2, cb);
  const first = scramHandleClientFirst(scramStart(options), mechanism, client.first);
  if (!first.ok) return { first };
  const { message, expectedServerFinal } = client.final(text(first.reply));
  return { first, final: scramHandleClientFinal(first.state, message), expectedServerFinal };
};

describe('SCRAM-SHA-256 server', () => {
  it('reproduces the RFC 7677 test vector', () => {
    const verifier = createScramVerifier('pencil', crypto, {
      salt: decodeBase64('W22ZaJ0SNY7soEsUEjb6gQ==')!,
      iterations: 4096,
    });
    const state = scramStart({ crypto, verifier, serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });
    const first = scramHandleClientFirst(state, SCRAM_SHA_256, utf8('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(text(first.reply)).toBe(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    const final = scramHandleClientFinal(
      first.state,
      utf8(
        'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      ),
    );
    expect(final.ok).toBe(true);
    if (final.ok) {
      expect(text(final.reply)).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
      expect(final.state.phase).toBe('done');
    }
  });

  it('authenticates an independent RFC 5802 client and returns the signature it expects', () => {
    const verifier = createScramVerifier('correct horse', crypto, { iterations: 1000 });
    const r = runExchange('correct horse', { crypto, verifier });
    expect(r.final?.ok).toBe(true);
    if (r.final?.ok) expect(text(r.final.reply)).toBe(r.expectedServerFinal);
    expect(r.first.ok && text(r.first.reply)).toMatch(
      /^r=fyko\+d2lbbFgONRv9qkxdawL[A-Za-z0-9+/]{24},s=[^,]+,i=1000$/,
    );
  });

  it('rejects a wrong password with 28P01 and a doomed (unknown user) exchange even with the right proof', () => {
    const verifier = createScramVerifier('right', crypto, { iterations: 100 });
    expect(runExchange('wrong', { crypto, verifier }).final).toMatchObject({
      ok: false,
      error: { code: 'authentication_failed', sqlstate: '28P01' },
    });
    expect(runExchange('right', { crypto, verifier, doomed: true }).final).toMatchObject({
      ok: false,
      error: { code: 'authentication_failed' },
    });
  });

  it('supports tls-server-end-point channel binding with SCRAM-SHA-256-PLUS', () => {
    const verifier = createScramVerifier('pw', crypto, { iterations: 100 });
    const channelBinding: ChannelBinding = { type: 'tls-server-end-point', data: utf8('cert-hash') };
    expect(scramMechanisms(true)).toEqual([SCRAM_SHA_256_PLUS, SCRAM_SHA_256]);
    expect(scramMechanisms(false)).toEqual([SCRAM_SHA_256]);
    const gs2 = 'p=tls-server-end-point,,';
    const ok = runExchange(
      'pw',
      { crypto, verifier, channelBinding },
      SCRAM_SHA_256_PLUS,
      gs2,
      utf8('cert-hash'),
    );
    expect(ok.final?.ok).toBe(true);
    const bad = runExchange(
      'pw',
      { crypto, verifier, channelBinding },
      SCRAM_SHA_256_PLUS,
      gs2,
      utf8('other'),
    );
    expect(bad.final).toMatchObject({ ok: false, error: { code: 'channel_binding_mismatch' } });
    // Plain SCRAM over TLS still works with 'n', but 'y' signals a downgrade when the server offers PLUS.
    expect(runExchange('pw', { crypto, verifier, channelBinding }).final?.ok).toBe(true);
    expect(runExchange('pw', { crypto, verifier, channelBinding }, SCRAM_SHA_256, 'y,,').first).toMatchObject(
      {
        ok: false,
        error: { code: 'channel_binding_mismatch', sqlstate: '28000' },
      },
    );
    expect(runExchange('pw', { crypto, verifier }, SCRAM_SHA_256, 'y,,').final?.ok).toBe(true);
    expect(runExchange('pw', { crypto, verifier }, SCRAM_SHA_256_PLUS, gs2).first).toMatchObject({
      ok: false,
      error: { code: 'unsupported_mechanism' },
    });
  });

  it('rejects malformed client-first messages with stable codes', () => {
    const verifier = createScramVerifier('pw', crypto, { iterations: 10 });
    const start = scramStart({ crypto, verifier });
    const cases: [string | null, string][] = [
      [null, 'malformed_message'],
      ['', 'malformed_message'],
      ['x,,n=,r=abc', 'malformed_message'],
      ['n,a=admin,n=,r=abc', 'unsupported_feature'],
      ['n,,m=ext,n=,r=abc', 'unsupported_feature'],
      ['n,,n=,r=', 'malformed_message'],
      ['n,,r=abc', 'malformed_message'],
      ['n,,n=,r=a\u0001b', 'malformed_message'],
    ];
    for (const [msg, code] of cases) {
      const r = scramHandleClientFirst(start, SCRAM_SHA_256, msg === null ? null : utf8(msg));
      expect(r, String(msg)).toMatchObject({ ok: false, error: { code } });
    }
    expect(scramHandleClientFirst(start, 'SCRAM-SHA-1', utf8('n,,n=,r=abc'))).toMatchObject({
      ok: false,
      error: { code: 'unsupported_mechanism' },
    });
    expect(scramHandleClientFirst(start, SCRAM_SHA_256, new Uint8Array([0xff, 0xfe]))).toMatchObject({
      ok: false,
    });
  });

  it('rejects malformed or mismatched client-final messages', () => {
    const verifier = createScramVerifier('pw', crypto, { iterations: 10 });
    const first = scramHandleClientFirst(
      scramStart({ crypto, verifier }),
      SCRAM_SHA_256,
      utf8('n,,n=,r=abc'),
    );
    if (!first.ok) throw new Error('setup');
    const nonce = text(first.reply).split(',')[0]!.slice(2);
    const proof = encodeBase64(new Uint8Array(32));
    const cases: [string, string][] = [
      ['', 'malformed_message'],
      [`c=biws,r=${nonce}`, 'malformed_message'],
      [`c=eSws,r=${nonce},p=${proof}`, 'channel_binding_mismatch'],
      [`c=biws,r=abcX,p=${proof}`, 'malformed_message'],
      [`c=biws,r=${nonce},p=AAAA`, 'malformed_message'],
      [`c=biws,r=${nonce},p=${proof}`, 'authentication_failed'],
    ];
    for (const [msg, code] of cases) {
      expect(scramHandleClientFinal(first.state, utf8(msg)), msg).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(scramHandleClientFinal(scramStart({ crypto, verifier }), utf8('c=biws'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
    expect(scramHandleClientFirst(first.state, SCRAM_SHA_256, utf8('n,,n=,r=abc'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
  });

  it('never throws on random client messages', () => {
    const verifier = createScramVerifier('pw', crypto, { iterations: 10 });
    const start = scramStart({ crypto, verifier });
    const first = scramHandleClientFirst(start, SCRAM_SHA_256, utf8('n,,n=,r=abc'));
    if (!first.ok) throw new Error('setup');
    for (let i = 0; i < 300; i++) {
      const junk = new Uint8Array(randomBytes(i % 80));
      expect(() => scramHandleClientFirst(start, SCRAM_SHA_256, junk)).not.toThrow();
      expect(() => scramHandleClientFinal(first.state, junk)).not.toThrow();
    }
  });
});

describe('SCRAM verifiers', () => {
  it('formats and parses the pg_authid form', () => {
    const v = createScramVerifier('pencil', crypto, { salt: decodeBase64('W22ZaJ0SNY7soEsUEjb6gQ==')! });
    const s = formatScramVerifier(v);
    expect(s).toMatch(
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/,
    );
    expect(parseScramVerifier(s)).toEqual(v);
    expect(parseScramVerifier('md5abc')).toBeUndefined();
    expect(parseScramVerifier('SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA')).toBeUndefined();
  });

  it('verifies passwords against verifiers produced by the real PostgreSQL 15 server', () => {
    const pencil = parseScramVerifier(
      'SCRAM-SHA-256$4096:blURJ9WyDw0w9DK9ODI4OQ==$6JB/pdIrkK4f4EoY5zO/TmTNxSCpoxLOz/DeynB3UI0=:iDIBiwuXGg07e5HRdhNFIq/RTpFm+UZWMOg6gVoK+jU=',
    )!;
    expect(verifyScramPassword('pencil', pencil, crypto)).toBe(true);
    expect(verifyScramPassword('Pencil', pencil, crypto)).toBe(false);
    // 'IⅢX' is SASLprep-normalized (NFKC) to 'IIIIX' by PostgreSQL.
    const roman = parseScramVerifier(
      'SCRAM-SHA-256$4096:c/UxrmrHxgMr5KMfWveo4g==$QV8q0DHqWAg2EgWv33tApg2ve81nVaD660HigOi2Ono=:ok+hF6YydtyvPendN+EVVr3b3viJb1vMW6wK+gDc1gw=',
    )!;
    expect(verifyScramPassword('IⅢX', roman, crypto)).toBe(true);
    expect(verifyScramPassword('IIIIX', roman, crypto)).toBe(true);
    // And the full exchange works against a PostgreSQL-made verifier.
    expect(runExchange('pencil', { crypto, verifier: pencil }).final?.ok).toBe(true);
  });

  it('gives unknown users a stable mock salt so they are indistinguishable from real ones', () => {
    const secret = utf8('server-secret');
    const a = mockScramVerifier('ghost', secret, crypto);
    const b = mockScramVerifier('ghost', secret, crypto);
    expect(a.salt).toEqual(b.salt);
    expect(a.salt.length).toBe(16);
    expect(mockScramVerifier('other', secret, crypto).salt).not.toEqual(a.salt);
  });
});

describe('saslprep and base64', () => {
  it('normalizes as RFC 4013 examples say', () => {
    expect(saslprep('I\u00ADX')).toBe('IX');
    expect(saslprep('user')).toBe('user');
    expect(saslprep('\u00AA')).toBe('a');
    expect(saslprep('\u2168')).toBe('IX');
    expect(saslprep('a\u00A0b')).toBe('a b');
    expect(saslprep('\u0007')).toBe('\u0007'); // ASCII passes unchanged in PostgreSQL
    expect(saslprep('é\u0007')).toBeUndefined(); // prohibited control char in a non-ASCII string
    expect(saslprep('\u0627\u0031')).toBeUndefined(); // bidi: must end with RandALCat
    expect(saslprep('\u0627\u0031\u0628')).toBe('\u0627\u0031\u0628');
  });

  it('base64 matches Buffer and rejects non-canonical input', () => {
    for (let n = 0; n < 40; n++) {
      const b = new Uint8Array(randomBytes(n));
      const s = Buffer.from(b).toString('base64');
      expect(encodeBase64(b)).toBe(s);
      expect(decodeBase64(s)).toEqual(b);
    }
    expect(decodeBase64('abc')).toBeUndefined();
    expect(decodeBase64('ab=c')).toBeUndefined();
    expect(decodeBase64('YR==')).toBeUndefined();
    expect(decodeBase64('Y!==')).toBeUndefined();
  });
});
