// TLS: with a certificate configured, SSLRequest is accepted and the session runs encrypted.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../test-support/harness.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const execFileAsync = promisify(execFile);
const hasPsql = spawnSync('psql', ['--version']).status === 0;
const certDir = mkdtempSync(join(tmpdir(), 'loch-tls-'));
let h: Harness | undefined;

beforeAll(async () => {
  if (!hasOpenssl) return;
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  h = await startHarness({
    tls: { cert: readFileSync(join(certDir, 'cert.pem')), key: readFileSync(join(certDir, 'key.pem')) },
  });
});

afterAll(async () => {
  await h?.close();
  rmSync(certDir, { recursive: true, force: true });
});

describe.skipIf(!hasOpenssl)('TLS', () => {
  it('upgrades the connection when the client asks for SSL', async () => {
    const c = await h!.client({ ssl: { rejectUnauthorized: false } });
    const r = await c.query('SELECT 1 AS one');
    expect(r.rows).toEqual([{ one: 1 }]);
    const socket = (c as unknown as { connection: { stream: { encrypted?: boolean } } }).connection.stream;
    expect(socket.encrypted).toBe(true);
  });

  it.skipIf(!hasPsql)('serves psql with sslmode=require', async () => {
    // Asynchronously: the server runs in this process, so a blocking spawn would starve it.
    const { stdout, stderr } = await execFileAsync(
      'psql',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(h!.port),
        '-U',
        'admin',
        '-d',
        'loch',
        '-X',
        '-A',
        '-t',
        '-c',
        'SELECT 40 + 2',
      ],
      {
        env: { ...process.env, PGPASSWORD: ADMIN_PASSWORD, PGSSLMODE: 'require' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('42');
  });

  it('still serves clients that do not ask for SSL', async () => {
    const c = await h!.client({ ssl: false });
    expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
