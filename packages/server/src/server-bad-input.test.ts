// Bad input from clients: oversized and negative length prefixes (up to a 2 GB claim), garbage
// startup packets, malformed messages, truncated fields and unknown statements. Each gets an
// ErrorResponse (FATAL where the stream cannot be resynchronised), and a bystander session keeps
// being served throughout.
import { connect } from 'node:net';
import type { BackendMessage } from '@loch/pgwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../test-support/harness.js';
import { RawClient, text } from '../test-support/raw-client.js';

let h: Harness;
const clients: RawClient[] = [];

beforeAll(async () => {
  h = await startHarness({ authMode: 'cleartext', maxMessageSize: 1024 * 1024 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await h.close();
});

const login = async (): Promise<RawClient> => {
  const c = await RawClient.login(h.port, 'admin', ADMIN_PASSWORD);
  clients.push(c);
  return c;
};

const types = (ms: BackendMessage[]): string[] => ms.map((m) => m.type);
const rows = (ms: BackendMessage[]): (string | null)[][] =>
  ms.flatMap((m) => (m.type === 'DataRow' ? [m.values.map(text)] : []));
const fatal = (ms: BackendMessage[]) => {
  const e = ms.find((m) => m.type === 'ErrorResponse');
  return e?.type === 'ErrorResponse' ? [e.fields.severity, e.fields.code] : undefined;
};

/** A typed message header claiming `length` bytes (the body never follows). */
const header = (type: string, length: number): Buffer => {
  const b = Buffer.alloc(5);
  b.write(type, 0);
  b.writeUInt32BE(length >>> 0, 1);
  return b;
};

/** Opens a raw socket, writes `bytes` and resolves everything the server sent until it closed. */
const rawExchange = async (bytes: Buffer): Promise<Buffer> => {
  const socket = connect(h.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const closed = new Promise((r) => socket.once('close', r));
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  socket.on('error', () => {});
  socket.write(bytes);
  await closed;
  return Buffer.concat(received);
};

describe('bad input', () => {
  it('answers an oversized message with a FATAL error and closes, while others keep working', async () => {
    const bystander = await login();
    const c = await login();
    const huge = Buffer.alloc(5);
    huge.write('Q', 0);
    huge.writeInt32BE(512 * 1024 * 1024, 1);
    c.sendRaw(huge);
    const r = await c.until((m) => m.type === 'ErrorResponse');
    const err = r.at(-1);
    expect(err?.type === 'ErrorResponse' && [err.fields.severity, err.fields.code]).toEqual([
      'FATAL',
      '08P01',
    ]);
    await c.waitClosed();
    expect(c.closed).toBe(true);
    expect(rows(await bystander.roundTrip({ type: 'Query', sql: 'SELECT 3' }))).toEqual([['3']]);
  });

  it('answers a garbage startup packet with an error and keeps serving', async () => {
    const socket = connect(h.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise((r) => socket.once('close', r));
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => {});
    socket.write(Buffer.from([0, 0, 0, 3, 1, 2, 3, 4]));
    await closed;
    const reply = Buffer.concat(received);
    expect(reply.subarray(0, 1).toString()).toBe('E');
    expect(reply.toString('latin1')).toContain('invalid startup packet length 3');
    const c = await login();
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 4' }))).toEqual([['4']]);
  });

  it('answers a malformed Bind with one error and recovers at Sync', async () => {
    const c = await login();
    // 'B', length 8, empty portal and statement names, then a negative format-code count.
    const bad = Buffer.from([0x42, 0, 0, 0, 8, 0, 0, 0xff, 0xff]);
    c.sendRaw(bad);
    const r = await c.roundTrip({ type: 'Sync' });
    expect(types(r)).toEqual(['ErrorResponse', 'ReadyForQuery']);
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 7' }))).toEqual([['7']]);
  });

  it('closes the connection on an unknown message type', async () => {
    const c = await login();
    c.sendRaw(Buffer.from([0x7a, 0, 0, 0, 4]));
    const r = await c.until((m) => m.type === 'ErrorResponse');
    const err = r.at(-1);
    expect(err?.type === 'ErrorResponse' && err.fields.severity).toBe('FATAL');
    await c.waitClosed();
  });

  it('reports an unknown statement and continues', async () => {
    const c = await login();
    const r = await c.roundTrip({ type: 'Query', sql: 'FROBNICATE everything' });
    expect(types(r)).toEqual(['ErrorResponse', 'ReadyForQuery']);
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 5' }))).toEqual([['5']]);
  });
});

describe('bad input: lengths', () => {
  it.each([
    ['a 2 GB length prefix', 0x7fffffff, 'exceeds the limit'],
    ['a negative length prefix', -1, 'invalid message length -1'],
    ['a length shorter than its own field', 3, 'invalid message length 3'],
  ])('answers %s with a FATAL 08P01 at once, while others keep working', async (_, length, message) => {
    const bystander = await login();
    const c = await login();
    const started = performance.now();
    c.sendRaw(header('Q', length));
    const r = await c.until((m) => m.type === 'ErrorResponse');
    expect(fatal(r)).toEqual(['FATAL', '08P01']);
    const err = r.at(-1);
    expect(err?.type === 'ErrorResponse' && err.fields.message).toContain(message);
    await c.waitClosed();
    // Nothing was buffered waiting for 2 GB to arrive: the answer came at once.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(rows(await bystander.roundTrip({ type: 'Query', sql: 'SELECT 1' }))).toEqual([['1']]);
  });

  it('answers a startup packet claiming 2 GB with an error and closes', async () => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(0x7fffffff, 0);
    b.writeUInt32BE(196608, 4);
    const reply = await rawExchange(b);
    expect(reply.subarray(0, 1).toString()).toBe('E');
    expect(reply.toString('latin1')).toContain('exceeds the limit');
    const c = await login();
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 2' }))).toEqual([['2']]);
  });
});

describe('bad input: malformed bodies', () => {
  it('answers a Query without its NUL terminator and goes on with the next message', async () => {
    const c = await login();
    // 'Q', length 8, four bytes of text and no terminator.
    c.sendRaw(Buffer.from([0x51, 0, 0, 0, 8, 0x53, 0x45, 0x4c, 0x45]));
    const r = await c.until((m) => m.type === 'ErrorResponse');
    expect(r.some((m) => m.type === 'ErrorResponse')).toBe(true);
    // The frame itself was intact, so the stream is still in step: the session goes on.
    expect(types(await c.until((m) => m.type === 'ReadyForQuery'))).toEqual(['ReadyForQuery']);
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 12' }))).toEqual([['12']]);
  });

  it('answers a Parse whose parameter count runs past the message with one error; Sync recovers', async () => {
    const c = await login();
    // 'P', length 8: empty name, "" query, then 100 parameter types announced and none sent.
    c.sendRaw(Buffer.from([0x50, 0, 0, 0, 8, 0, 0, 0, 100]));
    const r = await c.roundTrip({ type: 'Sync' });
    expect(types(r)).toEqual(['ErrorResponse', 'ReadyForQuery']);
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 13' }))).toEqual([['13']]);
  });

  it('survives 64 KiB of random bytes on one connection while others are served', async () => {
    const bystander = await login();
    const c = await login();
    // Seeded, so a failure reproduces.
    let seed = 7;
    const noise = Buffer.alloc(64 * 1024);
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = seed >> 16;
    }
    c.sendRaw(noise);
    const r = await c.until((m) => m.type === 'ErrorResponse');
    expect(r.some((m) => m.type === 'ErrorResponse')).toBe(true);
    expect(rows(await bystander.roundTrip({ type: 'Query', sql: 'SELECT 14' }))).toEqual([['14']]);
  });

  it('reports unknown and unterminated statements as errors and keeps the session', async () => {
    const c = await login();
    for (const sql of ['FROBNICATE everything', "SELECT 'unterminated", 'SELECT * FROM', '\\dt']) {
      const r = await c.roundTrip({ type: 'Query', sql });
      expect(types(r)).toEqual(['ErrorResponse', 'ReadyForQuery']);
    }
    expect(rows(await c.roundTrip({ type: 'Query', sql: 'SELECT 15' }))).toEqual([['15']]);
  });
});
