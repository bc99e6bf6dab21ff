// Protocol-level behaviour checked message by message: cleartext password and token login,
// declared parameter types, Describe, row limits, binary results and error recovery at Sync (bad
// input: server-bad-input.test.ts; cancellation: server-cancel.test.ts).
import { type BackendMessage, PgOid } from '@loch/pgwire';
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

const login = async (user = 'admin', password = ADMIN_PASSWORD): Promise<RawClient> => {
  const c = await RawClient.login(h.port, user, password);
  clients.push(c);
  return c;
};

const types = (ms: BackendMessage[]): string[] => ms.map((m) => m.type);
const rows = (ms: BackendMessage[]): (string | null)[][] =>
  ms.flatMap((m) => (m.type === 'DataRow' ? [m.values.map(text)] : []));

describe('cleartext authentication', () => {
  it('takes the password', async () => {
    const c = await login();
    expect(c.processId).toBeGreaterThan(0);
  });

  it('takes a personal access token of the same user in place of the password', async () => {
    const { token } = await h.metastore.createToken('admin', { comment: 'test' });
    const c = await login('admin', token);
    const r = await c.roundTrip({ type: 'Query', sql: 'SELECT 1' });
    expect(rows(r)).toEqual([['1']]);
  });

  it('refuses a wrong password with 28P01 and closes', async () => {
    const err = await RawClient.login(h.port, 'admin', 'nope').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '28P01' });
  });
});

describe('extended protocol', () => {
  it('uses declared parameter types and describes parameters and columns', async () => {
    const c = await login();
    const r = await c.roundTrip(
      {
        type: 'Parse',
        statement: 's1',
        sql: 'SELECT $1 + 1 AS n, $2 AS flag, $3 AS day, $4 AS amount',
        parameterTypes: [PgOid.int4, PgOid.bool, PgOid.date, PgOid.numeric],
      },
      { type: 'Describe', target: 'S', name: 's1' },
      {
        type: 'Bind',
        portal: '',
        statement: 's1',
        parameterFormats: [],
        parameters: ['41', 't', '2024-01-02', '1.50'].map((s) => Buffer.from(s)),
        resultFormats: [],
      },
      { type: 'Execute', portal: '', maxRows: 0 },
      { type: 'Sync' },
    );
    expect(types(r)).toEqual([
      'ParseComplete',
      'ParameterDescription',
      'RowDescription',
      'BindComplete',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    const pd = r[1] as Extract<BackendMessage, { type: 'ParameterDescription' }>;
    expect(pd.typeOids).toEqual([PgOid.int4, PgOid.bool, PgOid.date, PgOid.numeric]);
    const rd = r[2] as Extract<BackendMessage, { type: 'RowDescription' }>;
    expect(rd.fields.map((f) => f.typeOid)).toEqual([PgOid.int4, PgOid.bool, PgOid.date, PgOid.numeric]);
    expect(rows(r)).toEqual([['42', 't', '2024-01-02', '1.50']]);
  });

  it('suspends a portal at maxRows and continues it', async () => {
    const c = await login();
    const r = await c.roundTrip(
      { type: 'Parse', statement: '', sql: 'SELECT range AS i FROM range(5)', parameterTypes: [] },
      { type: 'Bind', portal: 'p', statement: '', parameterFormats: [], parameters: [], resultFormats: [] },
      { type: 'Execute', portal: 'p', maxRows: 2 },
      { type: 'Execute', portal: 'p', maxRows: 2 },
      { type: 'Execute', portal: 'p', maxRows: 2 },
      { type: 'Sync' },
    );
    expect(types(r)).toEqual([
      'ParseComplete',
      'BindComplete',
      'DataRow',
      'DataRow',
      'PortalSuspended',
      'DataRow',
      'DataRow',
      'PortalSuspended',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    expect(rows(r).flat()).toEqual(['0', '1', '2', '3', '4']);
  });

  it('sends binary results when Bind asks for them', async () => {
    const c = await login();
    const r = await c.roundTrip(
      { type: 'Parse', statement: '', sql: 'SELECT 7::INTEGER AS i, 2.5::DOUBLE AS d', parameterTypes: [] },
      { type: 'Bind', portal: '', statement: '', parameterFormats: [], parameters: [], resultFormats: [1] },
      { type: 'Describe', target: 'P', name: '' },
      { type: 'Execute', portal: '', maxRows: 0 },
      { type: 'Sync' },
    );
    const rd = r.find((m) => m.type === 'RowDescription') as Extract<
      BackendMessage,
      { type: 'RowDescription' }
    >;
    expect(rd.fields.map((f) => f.format)).toEqual([1, 1]);
    const dr = r.find((m) => m.type === 'DataRow') as Extract<BackendMessage, { type: 'DataRow' }>;
    expect(Buffer.from(dr.values[0]!).readInt32BE(0)).toBe(7);
    expect(Buffer.from(dr.values[1]!).readDoubleBE(0)).toBe(2.5);
  });

  it('answers Describe of a command with NoData and skips to Sync after an error', async () => {
    const c = await login();
    const r = await c.roundTrip(
      { type: 'Parse', statement: '', sql: 'SELECT * FROM delta.`missing_table`', parameterTypes: [] },
      { type: 'Bind', portal: '', statement: '', parameterFormats: [], parameters: [], resultFormats: [] },
      { type: 'Execute', portal: '', maxRows: 0 },
      { type: 'Parse', statement: 'never', sql: 'SELECT 1', parameterTypes: [] },
      { type: 'Sync' },
    );
    expect(types(r)).toEqual(['ParseComplete', 'BindComplete', 'ErrorResponse', 'ReadyForQuery']);
    const after = await c.roundTrip(
      { type: 'Parse', statement: '', sql: "SET application_name = 'x'", parameterTypes: [] },
      { type: 'Bind', portal: '', statement: '', parameterFormats: [], parameters: [], resultFormats: [] },
      { type: 'Describe', target: 'P', name: '' },
      { type: 'Execute', portal: '', maxRows: 0 },
      { type: 'Describe', target: 'S', name: 'never' },
      { type: 'Sync' },
    );
    expect(types(after)).toEqual([
      'ParseComplete',
      'BindComplete',
      'ParameterStatus',
      'NoData',
      'CommandComplete',
      'ErrorResponse',
      'ReadyForQuery',
    ]);
  });

  it('refuses several statements in one Parse', async () => {
    const c = await login();
    const r = await c.roundTrip(
      { type: 'Parse', statement: '', sql: 'SELECT 1; SELECT 2', parameterTypes: [] },
      { type: 'Sync' },
    );
    const err = r.find((m) => m.type === 'ErrorResponse');
    expect(err?.type === 'ErrorResponse' && err.fields.code).toBe('42601');
  });
});
