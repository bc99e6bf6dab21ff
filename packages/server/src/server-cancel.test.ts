// Cancellation for real: a CancelRequest or `statement_timeout` interrupts the DuckDB query that is
// running, so the 57014 comes long before the query could have finished. Each test measures the
// uncancelled duration of the same query on the same server and compares against it.
import type { BackendMessage, FrontendMessage } from '@loch/pgwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../test-support/harness.js';
import { RawClient, text } from '../test-support/raw-client.js';

let h: Harness;
const clients: RawClient[] = [];

beforeAll(async () => {
  h = await startHarness({ authMode: 'cleartext' });
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

// About a second on two cores: long next to a 50 ms cancel, short enough to time once per test.
const LONG = 'SELECT count(*) AS n FROM range(60000000) t1(x), range(3) t2(y) WHERE x % 7 = y';
// The same work without FROM at the top level, so it takes the materialized (non-streaming) path.
const LONG_SCALAR = `SELECT (${LONG}) AS n`;

const rows = (ms: BackendMessage[]): (string | null)[][] =>
  ms.flatMap((m) => (m.type === 'DataRow' ? [m.values.map(text)] : []));
const errorOf = (ms: BackendMessage[]) => {
  const e = ms.find((m) => m.type === 'ErrorResponse');
  return e?.type === 'ErrorResponse' ? { code: e.fields.code, message: e.fields.message } : undefined;
};

/** Sends the messages and times the answer up to ReadyForQuery. */
const timed = async (c: RawClient, ...messages: FrontendMessage[]) => {
  const started = performance.now();
  const answer = await c.roundTrip(...messages);
  return { ms: performance.now() - started, answer };
};

const cancel = async (target: RawClient): Promise<void> => {
  const canceller = await RawClient.open(h.port);
  canceller.send({ type: 'CancelRequest', processId: target.processId, secretKey: target.secretKey });
  await canceller.waitClosed();
};

const extended = (sql: string): FrontendMessage[] => [
  { type: 'Parse', statement: '', sql, parameterTypes: [] },
  { type: 'Bind', portal: '', statement: '', parameterFormats: [], parameters: [], resultFormats: [] },
  { type: 'Execute', portal: '', maxRows: 0 },
  { type: 'Sync' },
];

describe('CancelRequest', () => {
  it.each([
    ['a streamed simple query', LONG],
    ['a materialized simple query', LONG_SCALAR],
  ])('interrupts %s long before it would finish; the session goes on', async (_, sql) => {
    const c = await login();
    const full = await timed(c, { type: 'Query', sql });
    expect(errorOf(full.answer)).toBeUndefined();

    const cut = timed(c, { type: 'Query', sql });
    await new Promise((r) => setTimeout(r, 50));
    await cancel(c);
    const { ms, answer } = await cut;
    expect(errorOf(answer)).toEqual({ code: '57014', message: 'canceling statement due to user request' });
    expect(ms).toBeLessThan(full.ms / 3);
    expect(rows((await timed(c, { type: 'Query', sql: 'SELECT 6' })).answer)).toEqual([['6']]);
  });

  it('interrupts an Execute of the extended protocol', async () => {
    const c = await login();
    const full = await timed(c, ...extended(LONG));
    expect(errorOf(full.answer)).toBeUndefined();
    const cut = timed(c, ...extended(LONG));
    await new Promise((r) => setTimeout(r, 50));
    await cancel(c);
    const { ms, answer } = await cut;
    expect(errorOf(answer)?.code).toBe('57014');
    expect(answer.at(-1)?.type).toBe('ReadyForQuery');
    expect(ms).toBeLessThan(full.ms / 3);
    expect(rows((await timed(c, ...extended('SELECT 8'))).answer)).toEqual([['8']]);
  });

  it('leaves other sessions alone, long queries included', async () => {
    const [a, b, d] = [await login(), await login(), await login()];
    const full = await timed(b, { type: 'Query', sql: LONG });
    const cancelled = timed(a, { type: 'Query', sql: LONG });
    const bystander = timed(b, { type: 'Query', sql: LONG });
    await new Promise((r) => setTimeout(r, 50));
    await cancel(a);
    expect(errorOf((await cancelled).answer)?.code).toBe('57014');
    // The short query of a third session and the long one of the second both complete.
    expect(rows((await timed(d, { type: 'Query', sql: 'SELECT 9' })).answer)).toEqual([['9']]);
    const other = await bystander;
    expect(errorOf(other.answer)).toBeUndefined();
    expect(rows(other.answer)).toEqual(rows(full.answer));
  });

  it('ignores a CancelRequest with the wrong secret', async () => {
    const c = await login();
    const running = timed(c, {
      type: 'Query',
      sql: 'SELECT count(*) AS n FROM range(20000000) t1(x), range(3) t2(y) WHERE x % 7 = y',
    });
    const canceller = await RawClient.open(h.port);
    canceller.send({ type: 'CancelRequest', processId: c.processId, secretKey: new Uint8Array(4) });
    await canceller.waitClosed();
    const { answer } = await running;
    expect(answer.map((m) => m.type)).toEqual([
      'RowDescription',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
  });

  it('is a no-op while the session is idle', async () => {
    const c = await login();
    await cancel(c);
    expect(rows((await timed(c, { type: 'Query', sql: 'SELECT 10' })).answer)).toEqual([['10']]);
  });
});

describe('a client that disconnects', () => {
  it('has its running query interrupted, freeing the engine for everyone else', async () => {
    const probe = await login();
    const full = await timed(probe, { type: 'Query', sql: LONG });
    // As many long queries as the engine has connections (3), each client gone right after.
    const leavers = await Promise.all([login(), login(), login()]);
    for (const c of leavers) c.send({ type: 'Query', sql: LONG });
    await new Promise((r) => setTimeout(r, 50));
    for (const c of leavers) c.close();
    await new Promise((r) => setTimeout(r, 50));
    // Without the interrupt this would queue behind the three abandoned queries.
    const quick = await timed(probe, { type: 'Query', sql: 'SELECT 13' });
    expect(rows(quick.answer)).toEqual([['13']]);
    expect(quick.ms).toBeLessThan(full.ms / 3);
  });
});

describe('statement_timeout', () => {
  it('interrupts a statement that runs past it, and only while it is set', async () => {
    const c = await login();
    const full = await timed(c, { type: 'Query', sql: LONG_SCALAR });
    expect(errorOf(full.answer)).toBeUndefined();

    await c.roundTrip({ type: 'Query', sql: "SET statement_timeout = '100ms'" });
    const cut = await timed(c, { type: 'Query', sql: LONG_SCALAR });
    expect(errorOf(cut.answer)).toEqual({
      code: '57014',
      message: 'canceling statement due to statement timeout',
    });
    expect(cut.ms).toBeLessThan(full.ms / 2);
    // Quick statements are untouched by the timeout.
    expect(rows((await timed(c, { type: 'Query', sql: 'SELECT 11' })).answer)).toEqual([['11']]);

    await c.roundTrip({ type: 'Query', sql: 'SET statement_timeout = 0' });
    const again = await timed(c, { type: 'Query', sql: LONG_SCALAR });
    expect(rows(again.answer)).toEqual(rows(full.answer));
  });

  it("takes the timeout from the startup packet (pg's statement_timeout option)", async () => {
    const c = await h.client({ statement_timeout: 100 });
    const started = performance.now();
    const err = await c.query(LONG_SCALAR).catch((e: { code?: string }) => e);
    const ms = performance.now() - started;
    expect((err as { code?: string }).code).toBe('57014');
    const plain = await login();
    const full = await timed(plain, { type: 'Query', sql: LONG_SCALAR });
    expect(ms).toBeLessThan(full.ms / 2);
    expect((await c.query('SELECT 12 AS n')).rows).toEqual([{ n: 12 }]);
  });

  it('refuses a value that is not a duration', async () => {
    const c = await login();
    const r = await c.roundTrip({ type: 'Query', sql: "SET statement_timeout = 'soon'" });
    expect(errorOf(r)?.code).toBe('22023');
  });
});
