import { describe, expect, it } from 'vitest';
import { BackendDecoder } from '../backend/decoder.js';
import type { FrontendDecodeError } from './decode-error.js';
import { FrontendDecoder } from './decoder.js';
import { encodeFrontendMessage, encodeFrontendMessages } from './encode.js';
import type { FrontendMessage, PasswordContext } from './messages.js';

const bytes = (...xs: number[]) => new Uint8Array(xs);
const utf8 = (s: string) => new TextEncoder().encode(s);

const startup: FrontendMessage = {
  type: 'StartupMessage',
  protocolMajor: 3,
  protocolMinor: 0,
  parameters: new Map([
    ['user', 'admin'],
    ['database', 'main'],
    ['application_name', 'psql ✓'],
    ['__proto__', 'x'],
  ]),
};

const typed: FrontendMessage[] = [
  { type: 'Query', sql: 'SELECT 1; SELECT ʻokina' },
  { type: 'Query', sql: '' },
  { type: 'Parse', statement: 's1', sql: 'SELECT $1::int4, $2', parameterTypes: [23, 0, 4294967295] },
  { type: 'Parse', statement: '', sql: 'SELECT 1', parameterTypes: [] },
  {
    type: 'Bind',
    portal: 'p1',
    statement: 's1',
    parameterFormats: [0, 1, 0],
    parameters: [utf8('42'), bytes(0, 0, 0, 7), null],
    resultFormats: [1, 0],
  },
  {
    type: 'Bind',
    portal: '',
    statement: '',
    parameterFormats: [1],
    parameters: [bytes()],
    resultFormats: [],
  },
  { type: 'Describe', target: 'S', name: 's1' },
  { type: 'Describe', target: 'P', name: '' },
  { type: 'Execute', portal: 'p1', maxRows: 100 },
  { type: 'Execute', portal: '', maxRows: 0 },
  { type: 'Close', target: 'S', name: 's1' },
  { type: 'Close', target: 'P', name: 'p1' },
  { type: 'Flush' },
  { type: 'Sync' },
  { type: 'CopyData', data: utf8('1\tfoo\n') },
  { type: 'CopyDone' },
  { type: 'CopyFail', message: 'aborted by user' },
  { type: 'Terminate' },
];

const decodeAll = (chunks: Uint8Array[], decoder = new FrontendDecoder()) => {
  const out: (FrontendMessage | FrontendDecodeError)[] = [];
  for (const c of chunks) {
    decoder.push(c);
    out.push(...decoder.drain());
  }
  return out;
};

const splitAt = (buf: Uint8Array, i: number) => [buf.subarray(0, i), buf.subarray(i)];

describe('FrontendDecoder', () => {
  const stream = encodeFrontendMessages([
    { type: 'SSLRequest' },
    { type: 'GSSENCRequest' },
    startup,
    ...typed,
  ]);
  const expected: FrontendMessage[] = [{ type: 'SSLRequest' }, { type: 'GSSENCRequest' }, startup, ...typed];

  it('round-trips every message type in one chunk', () => {
    expect(decodeAll([stream])).toEqual(expected);
  });

  it('yields the same messages when the stream is split at every byte offset', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(decodeAll(splitAt(stream, i))).toEqual(expected);
    }
  });

  it('yields the same messages byte by byte', () => {
    const chunks = Array.from(stream, (b) => bytes(b));
    expect(decodeAll(chunks)).toEqual(expected);
  });

  it('yields the same messages for every three-way split of a shorter stream', () => {
    const small = encodeFrontendMessages([startup, typed[2]!, typed[4]!, { type: 'Sync' }]);
    const want = decodeAll([small]);
    for (let i = 0; i <= small.length; i += 3) {
      for (let j = i; j <= small.length; j += 5) {
        expect(decodeAll([small.subarray(0, i), small.subarray(i, j), small.subarray(j)])).toEqual(want);
      }
    }
  });

  it('decodes CancelRequest with pid and secret key', () => {
    const m: FrontendMessage = { type: 'CancelRequest', processId: 4242, secretKey: bytes(1, 2, 3, 4) };
    const buf = encodeFrontendMessage(m);
    expect(buf.length).toBe(16);
    expect(Array.from(buf.subarray(4, 8))).toEqual([0x04, 0xd2, 0x16, 0x2e]); // 80877102
    expect(decodeAll([buf])).toEqual([m]);
  });

  it('stays in the startup phase after SSLRequest and exposes buffered bytes', () => {
    const d = new FrontendDecoder();
    d.push(encodeFrontendMessages([{ type: 'SSLRequest' }]));
    d.push(bytes(0x16, 0x03, 0x01)); // a TLS ClientHello sent too early
    expect(d.next()).toEqual({ type: 'SSLRequest' });
    expect(d.phase).toBe('startup');
    expect(d.bufferedBytes).toBe(3);
  });

  it('switches to the typed phase after StartupMessage', () => {
    const d = new FrontendDecoder();
    d.push(encodeFrontendMessage(startup));
    expect(d.phase).toBe('startup');
    expect(d.next()).toEqual(startup);
    expect(d.phase).toBe('typed');
  });

  it('accepts protocol 3.x minor versions for negotiation', () => {
    const m = { ...startup, protocolMinor: 2, parameters: new Map([['_pq_.foo', 'bar']]) };
    expect(decodeAll([encodeFrontendMessage(m)])).toEqual([m]);
  });

  it('rejects protocol 2.0 as fatal unsupported_protocol', () => {
    const buf = encodeFrontendMessage({ ...startup, protocolMajor: 2 });
    const [err] = decodeAll([buf]) as FrontendDecodeError[];
    expect(err).toMatchObject({
      type: 'DecodeError',
      code: 'unsupported_protocol',
      sqlstate: '0A000',
      fatal: true,
    });
    expect(err!.message).toContain('2.0');
  });

  it('reads context-dependent p messages according to the password context', () => {
    const cases: [PasswordContext, FrontendMessage][] = [
      ['password', { type: 'PasswordMessage', password: 's3cret' }],
      [
        'sasl-initial',
        { type: 'SASLInitialResponse', mechanism: 'SCRAM-SHA-256', data: utf8('n,,n=,r=abc') },
      ],
      ['sasl-initial', { type: 'SASLInitialResponse', mechanism: 'SCRAM-SHA-256', data: null }],
      ['sasl-continue', { type: 'SASLResponse', data: utf8('c=biws,r=abc,p=xyz') }],
      ['none', { type: 'PasswordData', data: utf8('whatever') }],
    ];
    for (const [ctx, m] of cases) {
      const d = new FrontendDecoder({ skipStartup: true });
      d.setPasswordContext(ctx);
      d.push(encodeFrontendMessage(m));
      expect(d.next()).toEqual(m);
    }
  });

  it('lets the context change between two messages of the same chunk', () => {
    const d = new FrontendDecoder({ skipStartup: true });
    d.setPasswordContext('sasl-initial');
    d.push(
      encodeFrontendMessages([
        { type: 'SASLInitialResponse', mechanism: 'SCRAM-SHA-256', data: utf8('n,,n=,r=a') },
        { type: 'SASLResponse', data: utf8('c=biws') },
      ]),
    );
    expect(d.next()).toMatchObject({ type: 'SASLInitialResponse' });
    d.setPasswordContext('sasl-continue');
    expect(d.next()).toEqual({ type: 'SASLResponse', data: utf8('c=biws') });
  });
});

describe('FrontendDecoder limits and malformed input', () => {
  const typedDecoder = (maxMessageSize?: number) =>
    new FrontendDecoder(
      maxMessageSize === undefined ? { skipStartup: true } : { skipStartup: true, maxMessageSize },
    );

  it('rejects a huge length from the 5-byte header alone, before any body arrives', () => {
    const d = typedDecoder();
    d.push(bytes(0x51, 0x7f, 0xff, 0xff, 0xff)); // 'Q' with length 2^31-1
    const err = d.next() as FrontendDecodeError;
    expect(err).toMatchObject({ code: 'message_too_large', fatal: true, sqlstate: '08P01' });
    expect(err.message).toContain('2147483647');
    expect(d.phase).toBe('failed');
    expect(d.bufferedBytes).toBe(0);
    d.push(new Uint8Array(1000));
    expect(d.bufferedBytes).toBe(0);
    expect(d.next()).toBeUndefined();
  });

  it('honours a configured max message size exactly', () => {
    const q = encodeFrontendMessage({ type: 'Query', sql: 'x'.repeat(95) }); // length field 100
    expect(decodeAll([q], typedDecoder(100))).toEqual([{ type: 'Query', sql: 'x'.repeat(95) }]);
    expect(decodeAll([q], typedDecoder(99))[0]).toMatchObject({ code: 'message_too_large' });
  });

  it('rejects an oversize startup packet before buffering it', () => {
    const d = new FrontendDecoder();
    d.push(bytes(0x00, 0x10, 0x00, 0x00));
    expect(d.next()).toMatchObject({ code: 'startup_too_large', fatal: true });
  });

  it('rejects lengths below the framing minimum as fatal', () => {
    expect(decodeAll([bytes(0x51, 0, 0, 0, 3)], typedDecoder())[0]).toMatchObject({ code: 'invalid_length' });
    expect(decodeAll([bytes(0x51, 0xff, 0xff, 0xff, 0xff)], typedDecoder())[0]).toMatchObject({
      code: 'invalid_length',
    });
    expect(decodeAll([bytes(0, 0, 0, 4)])[0]).toMatchObject({ code: 'invalid_length', fatal: true });
  });

  it('reports a malformed body as a non-fatal error and continues with the next message', () => {
    const badQuery = bytes(0x51, 0, 0, 0, 7, 0x61, 0x62, 0x63); // no NUL terminator
    const out = decodeAll([badQuery, encodeFrontendMessage({ type: 'Sync' })], typedDecoder());
    expect(out).toEqual([
      expect.objectContaining({ type: 'DecodeError', code: 'malformed_message', fatal: false }),
      { type: 'Sync' },
    ]);
  });

  it('rejects invalid UTF-8 with SQLSTATE 22021', () => {
    const out = decodeAll([bytes(0x51, 0, 0, 0, 7, 0xc3, 0x28, 0)], typedDecoder());
    expect(out[0]).toMatchObject({ code: 'invalid_utf8', sqlstate: '22021' });
  });

  it('rejects unknown message types, bad format codes and bad Describe targets', () => {
    expect(decodeAll([bytes(0x21, 0, 0, 0, 4)], typedDecoder())[0]).toMatchObject({
      code: 'unknown_message_type',
      message: expect.stringContaining("'!'"),
    });
    const bind = encodeFrontendMessage({
      type: 'Bind',
      portal: '',
      statement: '',
      parameterFormats: [0],
      parameters: [],
      resultFormats: [],
    });
    // Body ends with i16 format count (1), i16 format code, i16 nparams, i16 nresults.
    const badFormat = bind.slice();
    badFormat.set([0, 1, 0, 7], badFormat.length - 8);
    expect(decodeAll([badFormat], typedDecoder())[0]).toMatchObject({
      code: 'invalid_format_code',
      sqlstate: '22023',
    });
    const describe = encodeFrontendMessage({ type: 'Describe', target: 'S', name: '' });
    describe[5] = 0x58;
    expect(decodeAll([describe], typedDecoder())[0]).toMatchObject({ code: 'malformed_message' });
  });

  it('rejects a Bind whose format count matches neither 0, 1 nor the parameter count', () => {
    const m = encodeFrontendMessage({
      type: 'Bind',
      portal: '',
      statement: '',
      parameterFormats: [0, 1],
      parameters: [utf8('1'), utf8('2'), utf8('3')],
      resultFormats: [],
    });
    expect(decodeAll([m], typedDecoder())[0]).toMatchObject({
      code: 'malformed_message',
      message: 'bind message has 2 parameter formats but 3 parameters',
    });
  });

  it('rejects lying counts and lengths inside Bind without allocating for them', () => {
    const lie = bytes(0x42, 0, 0, 0, 12, 0, 0, 0, 0, 0x7f, 0xff, 0, 0); // 32767 formats, none present
    expect(decodeAll([lie], typedDecoder())[0]).toMatchObject({ code: 'malformed_message' });
    const negLen = encodeFrontendMessage({
      type: 'Bind',
      portal: '',
      statement: '',
      parameterFormats: [],
      parameters: [utf8('abcd')],
      resultFormats: [],
    });
    negLen.set([0xff, 0xff, 0xff, 0xfe], 11); // param length -2
    expect(decodeAll([negLen], typedDecoder())[0]).toMatchObject({ code: 'malformed_message' });
  });

  it('rejects trailing bytes after a complete body', () => {
    expect(decodeAll([bytes(0x53, 0, 0, 0, 5, 0)], typedDecoder())[0]).toMatchObject({
      code: 'malformed_message',
    });
  });

  it('never throws or hangs on random bytes, in either phase, with any chunking', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 400; round++) {
      const len = rand() % 200;
      const buf = new Uint8Array(len);
      for (let i = 0; i < len; i++) buf[i] = rand() & 0xff;
      // Bias some rounds toward plausible headers so bodies get parsed, not just framing.
      if (round % 2 === 0 && len > 5) {
        buf[0] = 'QPBDECSHXpdcf'.charCodeAt(rand() % 13);
        buf.set([0, 0, 0, Math.min(len - 1, 4 + (rand() % 60))], 1);
      }
      for (const skipStartup of [false, true]) {
        const d = new FrontendDecoder({ skipStartup, maxMessageSize: 1 << 20 });
        d.setPasswordContext((['none', 'password', 'sasl-initial', 'sasl-continue'] as const)[round % 4]);
        let i = 0;
        let steps = 0;
        while (i < buf.length) {
          const n = 1 + (rand() % 17);
          d.push(buf.subarray(i, i + n));
          i += n;
          for (let m = d.next(); m !== undefined; m = d.next()) {
            steps++;
            expect(steps).toBeLessThan(10_000);
          }
        }
      }
    }
  });

  it('also survives random bytes appended after a valid startup', () => {
    let seed = 99;
    const rand = () => {
      seed = (seed * 48271) % 2147483647;
      return seed;
    };
    for (let round = 0; round < 200; round++) {
      const tail = Uint8Array.from({ length: rand() % 300 }, () => rand() & 0xff);
      const d = new FrontendDecoder({ maxMessageSize: 4096 });
      d.push(encodeFrontendMessage(startup));
      d.push(tail);
      const out = d.drain();
      expect(out[0]).toEqual(startup);
    }
  });
});

describe('FrontendDecoder on mutated valid streams and large messages', () => {
  it('never throws and always makes progress when valid streams get random byte flips', () => {
    const base = encodeFrontendMessages([startup, ...typed]);
    let seed = 2024;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 500; round++) {
      const buf = base.slice();
      for (let k = 0; k <= round % 4; k++) buf[rand() % buf.length] = rand() & 0xff;
      const d = new FrontendDecoder({ maxMessageSize: 1 << 16 });
      d.setPasswordContext('password');
      let produced = 0;
      for (let i = 0; i < buf.length; i += 1 + (rand() % 9)) {
        d.push(buf.subarray(i, i + 1 + (rand() % 9)));
        produced += d.drain().length;
      }
      // Every message consumes at least 5 bytes, so this bounds any runaway loop.
      expect(produced).toBeLessThanOrEqual(buf.length);
    }
  });

  it('reassembles a 1 MiB message fed in 1 KiB chunks and a 64 KiB one byte by byte', () => {
    const big = 'x'.repeat(1 << 20);
    const buf = encodeFrontendMessage({ type: 'Query', sql: big });
    const d = new FrontendDecoder({ skipStartup: true });
    const out: unknown[] = [];
    for (let i = 0; i < buf.length; i += 1024) {
      d.push(buf.subarray(i, i + 1024));
      out.push(...d.drain());
    }
    expect(out).toEqual([{ type: 'Query', sql: big }]);
    const mid = encodeFrontendMessage({ type: 'CopyData', data: new Uint8Array(1 << 16).fill(7) });
    const d2 = new FrontendDecoder({ skipStartup: true });
    const got: unknown[] = [];
    for (let i = 0; i < mid.length; i++) {
      d2.push(mid.subarray(i, i + 1));
      got.push(...d2.drain());
    }
    expect(got).toEqual([{ type: 'CopyData', data: new Uint8Array(1 << 16).fill(7) }]);
    expect(d2.bufferedBytes).toBe(0);
  });
});

describe('BackendDecoder sanity on random bytes', () => {
  it('never throws', () => {
    let seed = 7;
    for (let round = 0; round < 300; round++) {
      const buf = Uint8Array.from({ length: 64 }, () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed & 0xff;
      });
      const d = new BackendDecoder();
      d.push(buf);
      expect(() => d.drain()).not.toThrow();
    }
  });
});
