// Talks to the real PostgreSQL server on the machine (127.0.0.1:5432, trust auth) with this
// package's client-side encoder/decoder: our binary encodings must be accepted by PostgreSQL's
// typrecv and come back byte-identical from typsend, and our text output must equal its typout.
// Skipped when no such server is reachable.
import { createConnection, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendDecoder } from './backend/decoder.js';
import type { BackendMessage } from './backend/messages.js';
import { encodeFrontendMessages } from './frontend/encode.js';
import type { FrontendMessage } from './frontend/messages.js';
import { encodeBinary } from './types/binary-codec.js';
import { PgOid } from './types/oids.js';
import { encodeText } from './types/text-codec.js';
import type { PgValue } from './types/values.js';

const HOST = process.env.LOCH_TEST_PG_HOST ?? '127.0.0.1';
const PORT = Number(process.env.LOCH_TEST_PG_PORT ?? 5432);

class MiniClient {
  private readonly decoder = new BackendDecoder();
  private queue: BackendMessage[] = [];
  private waiter: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.decoder.push(new Uint8Array(chunk));
      for (const m of this.decoder.drain()) {
        if (m.type === 'DecodeError') throw new Error(m.message);
        this.queue.push(m);
      }
      this.waiter?.();
    });
  }

  send(ms: FrontendMessage[]): void {
    this.socket.write(encodeFrontendMessages(ms));
  }

  /** Collects messages up to and including ReadyForQuery. */
  async untilReady(): Promise<BackendMessage[]> {
    for (;;) {
      const at = this.queue.findIndex((m) => m.type === 'ReadyForQuery');
      if (at >= 0) return this.queue.splice(0, at + 1);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }
}

const connect = (): Promise<Socket | undefined> =>
  new Promise((resolve) => {
    const s = createConnection({ host: HOST, port: PORT });
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });

const handshake = async (): Promise<{ socket: Socket; client: MiniClient } | undefined> => {
  const socket = await connect();
  if (socket === undefined) return undefined;
  const client = new MiniClient(socket);
  client.send([
    {
      type: 'StartupMessage',
      protocolMajor: 3,
      protocolMinor: 0,
      parameters: new Map([
        ['user', 'postgres'],
        ['database', 'postgres'],
        ['TimeZone', 'UTC'],
      ]),
    },
  ]);
  const hello = await client.untilReady();
  if (hello.some((m) => m.type === 'AuthenticationOk')) return { socket, client };
  socket.destroy();
  return undefined;
};

// Top-level await so `skipIf` can see whether a server is there at collection time.
const conn = await handshake();
const socket = conn?.socket;
const client = conn?.client;

afterAll(() => {
  if (socket !== undefined && !socket.destroyed) {
    client?.send([{ type: 'Terminate' }]);
    socket.end();
  }
});

const cases: [string, number, PgValue][] = [
  ['bool', PgOid.bool, true],
  ['int2', PgOid.int2, -123],
  ['int4', PgOid.int4, -2147483648],
  ['int8', PgOid.int8, 9007199254740993n],
  ['float4', PgOid.float4, Math.fround(1.2345)],
  ['float8', PgOid.float8, 9.87654321012345],
  ['float8', PgOid.float8, 1e-310],
  ['numeric', PgOid.numeric, '-98765432109876543210.0123456789'],
  ['numeric', PgOid.numeric, '0.000000001000'],
  ['numeric', PgOid.numeric, 'Infinity'],
  ['text', PgOid.text, 'Grüße, 世界 "quoted" \\ back'],
  ['varchar', PgOid.varchar, ''],
  ['bytea', PgOid.bytea, new Uint8Array([0, 1, 127, 128, 255])],
  ['date', PgOid.date, -800000],
  ['date', PgOid.date, 2932896],
  ['timestamp', PgOid.timestamp, -210866803200000000n + 86_400_000_000n * 400n],
  ['timestamp', PgOid.timestamp, 9214646400000000n - 1n],
  ['timestamptz', PgOid.timestamptz, 1704164645000001n],
  ['timestamptz', PgOid.timestamptz, Number.NEGATIVE_INFINITY],
  ['uuid', PgOid.uuid, '00000000-0000-0000-0000-0000000000ff'],
  ['json', PgOid.json, '{"k": [1, "x"]}'],
  ['jsonb', PgOid.jsonb, '{"a": 1, "bb": [true, null]}'],
  [
    'int4[]',
    PgOid._int4,
    [
      [1, null],
      [3, 4],
    ],
  ],
  ['text[]', PgOid._text, ['', 'NULL', null, 'a "b" \\c', ' lead', '{x}', 'é']],
  ['float8[]', PgOid._float8, [0.1, -0, Number.POSITIVE_INFINITY]],
  ['numeric[]', PgOid._numeric, ['1.10', '-0.5', 'NaN']],
  ['bool[]', PgOid._bool, []],
  ['date[]', PgOid._date, [0, null, 19724]],
  ['timestamptz[]', PgOid._timestamptz, [0n, 1704164645123456n]],
  ['bytea[]', PgOid._bytea, [new Uint8Array([1, 2]), new Uint8Array(0)]],
  ['uuid[]', PgOid._uuid, ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']],
  ['int8[]', PgOid._int8, [-1n, 9223372036854775807n]],
];

const roundTrip = async (typeName: string, oid: number, param: Uint8Array, paramFormat: 0 | 1) => {
  client!.send([
    { type: 'Parse', statement: '', sql: `SELECT $1::${typeName}, $1::${typeName}`, parameterTypes: [oid] },
    {
      type: 'Bind',
      portal: '',
      statement: '',
      parameterFormats: [paramFormat],
      parameters: [param],
      resultFormats: [1, 0],
    },
    { type: 'Execute', portal: '', maxRows: 0 },
    { type: 'Sync' },
  ]);
  const ms = await client!.untilReady();
  const err = ms.find((m) => m.type === 'ErrorResponse');
  if (err?.type === 'ErrorResponse') throw new Error(`${typeName}: ${err.fields.message}`);
  const row = ms.find((m) => m.type === 'DataRow');
  if (row?.type !== 'DataRow') throw new Error('no row');
  return { binary: row.values[0]!, text: new TextDecoder().decode(row.values[1]!) };
};

describe.skipIf(client === undefined)('interop with the real PostgreSQL server', () => {
  it.each(
    cases,
  )('%s %# binary param -> typrecv -> typsend/typout equals our encoders', async (name, oid, value) => {
    const { binary, text } = await roundTrip(name, oid, encodeBinary(oid, value), 1);
    expect(Buffer.from(binary).toString('hex')).toBe(Buffer.from(encodeBinary(oid, value)).toString('hex'));
    expect(text).toBe(encodeText(oid, value));
  });

  it.each(cases)('%s %# text param is accepted by PostgreSQL input functions', async (name, oid, value) => {
    const { binary } = await roundTrip(name, oid, new TextEncoder().encode(encodeText(oid, value)), 0);
    expect(Buffer.from(binary).toString('hex')).toBe(Buffer.from(encodeBinary(oid, value)).toString('hex'));
  });

  it('matches PostgreSQL on a simple query with RowDescription fields and the command tag', async () => {
    client!.send([
      { type: 'Query', sql: "SELECT 1::int4 AS a, 'x'::varchar(5) AS b, 1.5::numeric(18,2) AS c" },
    ]);
    const ms = await client!.untilReady();
    expect(ms.map((m) => m.type)).toEqual(['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery']);
    const rd = ms[0]!;
    if (rd.type !== 'RowDescription') throw new Error();
    expect(rd.fields.map((f) => [f.name, f.typeOid, f.typeSize, f.typeModifier])).toEqual([
      ['a', 23, 4, -1],
      ['b', 1043, -1, 9],
      ['c', 1700, -1, (18 << 16) + 2 + 4],
    ]);
    expect(ms[2]).toEqual({ type: 'CommandComplete', tag: 'SELECT 1' });
  });

  it('decodes PostgreSQL ErrorResponse fields and Describe results', async () => {
    client!.send([{ type: 'Query', sql: 'SELEC 1' }]);
    const ms = await client!.untilReady();
    const err = ms[0]!;
    expect(err).toMatchObject({
      type: 'ErrorResponse',
      fields: { severity: 'ERROR', severityNonLocalized: 'ERROR', code: '42601', position: 1 },
    });
    client!.send([
      { type: 'Parse', statement: 's1', sql: 'SELECT $1::int8 + 1 AS n', parameterTypes: [] },
      { type: 'Describe', target: 'S', name: 's1' },
      { type: 'Close', target: 'S', name: 's1' },
      { type: 'Sync' },
    ]);
    const described = await client!.untilReady();
    expect(described.map((m) => m.type)).toEqual([
      'ParseComplete',
      'ParameterDescription',
      'RowDescription',
      'CloseComplete',
      'ReadyForQuery',
    ]);
    expect(described[1]).toEqual({ type: 'ParameterDescription', typeOids: [20] });
  });
});
