// A deliberately tiny server built only from this package's codec, driven by real clients: the
// `pg` npm driver (if installed in the workspace) and psql/libpq (if on PATH). It proves the
// codec interoperates end to end: startup, SCRAM-SHA-256, simple and extended query, text and
// binary formats, errors. The real server (`loch serve`) lives elsewhere; this is not it.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendWriter } from './backend/backend-writer.js';
import { FrontendDecoder } from './frontend/decoder.js';
import type { FormatCode } from './frontend/messages.js';
import { serverParameterStatus } from './frontend/startup.js';
import type { ScramCrypto } from './scram/crypto.js';
import {
  type ScramState,
  scramHandleClientFinal,
  scramHandleClientFirst,
  scramMechanisms,
  scramStart,
} from './scram/scram-server.js';
import { createScramVerifier } from './scram/verifier.js';
import { decodeBindParameters } from './types/bind-params.js';
import { PgOid } from './types/oids.js';
import { fieldDescription, resolveFormats } from './types/row-encoder.js';
import type { PgValue } from './types/values.js';

const crypto: ScramCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  pbkdf2Sha256: (pw, salt, it, len) => new Uint8Array(pbkdf2Sync(pw, salt, it, len, 'sha256')),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
};
const PASSWORD = 'tiny-pässword';
const verifier = createScramVerifier(PASSWORD, crypto);

const CAST_TYPES: Record<string, number> = {
  int2: PgOid.int2,
  int4: PgOid.int4,
  int8: PgOid.int8,
  float4: PgOid.float4,
  float8: PgOid.float8,
  numeric: PgOid.numeric,
  bool: PgOid.bool,
  date: PgOid.date,
  timestamp: PgOid.timestamp,
  timestamptz: PgOid.timestamptz,
  int4arr: PgOid._int4,
  textarr: PgOid._text,
};

/** Echo server: `SELECT n` returns n; an extended query returns its parameters as one row. */
const serve = (socket: Socket): void => {
  const decoder = new FrontendDecoder();
  const out = new BackendWriter();
  let scram: ScramState | undefined;
  const statements = new Map<string, number[]>();
  const portals = new Map<string, { values: PgValue[]; types: number[]; formats: FormatCode[] }>();
  let skipToSync = false;
  const columns = (types: number[], formats: FormatCode[]) =>
    types.map((t, i) => fieldDescription(`p${i + 1}`, t, formats[i] ?? 0));

  socket.on('data', (chunk: Buffer) => {
    decoder.push(new Uint8Array(chunk));
    for (let m = decoder.next(); m !== undefined; m = decoder.next()) {
      if (m.type === 'DecodeError') {
        out.errorCode(m.sqlstate, m.message, { severity: m.fatal ? 'FATAL' : 'ERROR' });
        if (m.fatal) return void socket.end(out.flush());
        continue;
      }
      if (skipToSync && m.type !== 'Sync') continue;
      switch (m.type) {
        case 'SSLRequest':
        case 'GSSENCRequest':
          out.raw(new Uint8Array([0x4e]));
          break;
        case 'StartupMessage':
          out.message({ type: 'AuthenticationSASL', mechanisms: scramMechanisms(false) });
          decoder.setPasswordContext('sasl-initial');
          scram = scramStart({ crypto, verifier });
          break;
        case 'SASLInitialResponse':
        case 'SASLResponse': {
          const step =
            m.type === 'SASLInitialResponse'
              ? scramHandleClientFirst(scram!, m.mechanism, m.data)
              : scramHandleClientFinal(scram!, m.data);
          if (!step.ok) {
            out.error({
              severity: 'FATAL',
              code: step.error.sqlstate,
              message: 'password authentication failed',
            });
            return void socket.end(out.flush());
          }
          scram = step.state;
          if (m.type === 'SASLInitialResponse') {
            out.message({ type: 'AuthenticationSASLContinue', data: step.reply });
            decoder.setPasswordContext('sasl-continue');
          } else {
            out.message({ type: 'AuthenticationSASLFinal', data: step.reply }).authenticationOk();
            for (const ps of serverParameterStatus({ user: 'tiny' })) out.message(ps);
            out.backendKeyData(1, new Uint8Array(4)).readyForQuery('I');
            decoder.setPasswordContext('none');
          }
          break;
        }
        case 'Query': {
          const n = /^select (\d+);?$/i.exec(m.sql.trim());
          if (n === null) out.errorCode('42601', `syntax error in "${m.sql}"`, { position: 1 });
          else {
            out
              .rowDescription([fieldDescription('n', PgOid.int4)])
              .dataRow([n[1]!])
              .commandComplete('SELECT 1');
          }
          out.readyForQuery('I');
          break;
        }
        case 'Parse': {
          // Parameter types: declared by the client, else from a `$n::type` cast, else text.
          const casts = [...m.sql.matchAll(/\$(\d+)(?:::(\w+))?/g)];
          const types = casts.map((c, i) => m.parameterTypes[i] || (CAST_TYPES[c[2] ?? ''] ?? PgOid.text));
          statements.set(m.statement, types);
          out.parseComplete();
          break;
        }
        case 'Bind': {
          const types = statements.get(m.statement) ?? [];
          const decoded = decodeBindParameters(m, types);
          const formats = resolveFormats(m.resultFormats, types.length);
          if (!decoded.ok || formats === undefined) {
            out.errorCode(
              decoded.ok ? '08P01' : decoded.error.sqlstate,
              decoded.ok ? 'bad formats' : decoded.error.message,
            );
            skipToSync = true;
            break;
          }
          portals.set(m.portal, { values: decoded.values, types, formats });
          out.bindComplete();
          break;
        }
        case 'Describe':
          if (m.target === 'S') {
            const types = statements.get(m.name) ?? [];
            out.parameterDescription(types).rowDescription(columns(types, []));
          } else {
            const p = portals.get(m.name)!;
            out.rowDescription(columns(p.types, p.formats));
          }
          break;
        case 'Execute': {
          const p = portals.get(m.portal)!;
          out.typedDataRow(p.values, columns(p.types, p.formats)).commandComplete('SELECT 1');
          break;
        }
        case 'Sync':
          skipToSync = false;
          out.readyForQuery('I');
          break;
        case 'Close':
          out.closeComplete();
          break;
        case 'Terminate':
          return void socket.end(out.flush());
        default:
          break;
      }
    }
    if (out.length > 0) socket.write(out.flush());
  });
  socket.on('error', () => {});
};

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface PgClient {
  connect(): Promise<void>;
  query(
    q: string | { text: string; values?: unknown[]; binary?: boolean; types?: unknown },
    values?: unknown[],
  ): Promise<{
    rows: Record<string, unknown>[];
    fields: { name: string; dataTypeID: number }[];
  }>;
  end(): Promise<void>;
}
type PgModule = { Client: new (config: object) => PgClient };
const pg = ((): PgModule | undefined => {
  try {
    return createRequire(import.meta.url)('pg') as PgModule;
  } catch {
    return undefined;
  }
})();

describe.skipIf(pg === undefined)('end to end with the pg driver', () => {
  const connect = async (password = PASSWORD) => {
    const c = new pg!.Client({ host: '127.0.0.1', port, user: 'tiny', database: 'db', password });
    await c.connect();
    return c;
  };

  it('authenticates with SCRAM and runs simple and extended queries with typed parameters', async () => {
    const c = await connect();
    try {
      expect((await c.query('select 42')).rows).toEqual([{ n: 42 }]);
      const params = [7, 'héllo', null, '2024-01-02', true];
      const r = await c.query('SELECT $1, $2, $3, $4, $5', params);
      expect(r.rows).toEqual([{ p1: '7', p2: 'héllo', p3: null, p4: '2024-01-02', p5: 'true' }]);
      // pg sends parameters as text; our text decoders parse them and our text encoders answer,
      // read back by pg-types' parsers. (pg cannot read binary results: it decodes every field
      // as UTF-8; binary output is checked byte for byte against PostgreSQL in interop.test.ts.)
      const bin = await c.query({
        text: 'SELECT $1::int2, $2::int4, $3::int8, $4::float4, $5::float8, $6::bool, $7::timestamptz, $8::numeric, $9::int4arr, $10::textarr, $11',
        values: [
          -5,
          2147483647,
          '9007199254740993',
          1.5,
          0.1,
          false,
          '2024-01-02T03:04:05.123Z',
          '-12.50',
          [1, null, 3],
          ['a"b', null],
          'txt',
        ],
      });
      expect(bin.fields.map((f) => f.dataTypeID)).toEqual([
        21, 23, 20, 700, 701, 16, 1184, 1700, 1007, 1009, 25,
      ]);
      expect(bin.rows[0]).toEqual({
        p1: -5,
        p2: 2147483647,
        p3: '9007199254740993',
        p4: 1.5,
        p5: 0.1,
        p6: false,
        p7: new Date('2024-01-02T03:04:05.123Z'),
        p8: '-12.50',
        p9: [1, null, 3],
        p10: ['a"b', null],
        p11: 'txt',
      });
      const txt = await c.query('SELECT $1::int8, $2::timestamptz, $3::int4arr, $4::bool', [
        '-1',
        '2024-01-02 03:04:05+02',
        [4, 5],
        true,
      ]);
      expect(txt.rows[0]).toEqual({
        p1: '-1',
        p2: new Date('2024-01-02T01:04:05Z'),
        p3: [4, 5],
        p4: true,
      });
      await expect(c.query('selec 1')).rejects.toMatchObject({ code: '42601', position: '1' });
      expect((await c.query('select 5')).rows).toEqual([{ n: 5 }]);
    } finally {
      await c.end();
    }
  });

  it('rejects a wrong password with the server error', async () => {
    await expect(connect('wrong')).rejects.toMatchObject({ code: '28P01' });
  });
});

const hasPsql = spawnSync('psql', ['--version']).status === 0;

describe.skipIf(!hasPsql)('end to end with psql (libpq)', () => {
  const psql = (password: string, sql: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // spawnSync would block the event loop that serves the connection, so spawn asynchronously.
      const { spawn } = createRequire(import.meta.url)(
        'node:child_process',
      ) as typeof import('node:child_process');
      const child = spawn(
        'psql',
        ['-h', '127.0.0.1', '-p', String(port), '-U', 'tiny', '-d', 'db', '-X', '-At', '-c', sql],
        {
          env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'disable', PGCONNECT_TIMEOUT: '5' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('logs in with SCRAM and prints a query result', async () => {
    const r = await psql(PASSWORD, 'select 7');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('7');
  });

  it('shows our ErrorResponse and fails on a wrong password', async () => {
    expect((await psql(PASSWORD, 'nonsense')).stderr).toContain('syntax error in "nonsense"');
    const bad = await psql('nope', 'select 1');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('password authentication failed');
  });
});
