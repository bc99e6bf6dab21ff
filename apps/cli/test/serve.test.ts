// `loch serve` end to end: the built binary on an ephemeral port, a fresh warehouse (generated
// admin password printed once), psql and the `pg` driver as clients, SIGTERM to stop.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, MAIN, tempDir } from './helpers.js';

const hasPsql = spawnSync('psql', ['--version']).status === 0;

let child: ChildProcess;
let output = '';
let port = 0;
let password = '';
const { dir, cleanup } = tempDir();
let exited: Promise<number | null>;

beforeAll(async () => {
  assertBuilt();
  const env = { ...process.env };
  delete env['LOCH_ADMIN_PASSWORD'];
  delete env['LOCH_WAREHOUSE'];
  child = spawn(process.execPath, [MAIN, 'serve', '--warehouse', dir, '--port', '0'], { env });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      // The connect hint is the last line of the banner: wait for all of it.
      if (m !== null && /Connect with: psql.*\n/.test(output)) {
        port = Number(m[1]);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`loch serve exited early:\n${output}`)));
  });
  password = /password: (\S+)/.exec(output)?.[1] ?? '';
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  cleanup();
});

const psql = (...commands: string[]) =>
  spawnSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'admin',
      '-d',
      'loch',
      '-X',
      '-A',
      '-t',
      ...commands.flatMap((c) => ['-c', c]),
    ],
    { env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8', timeout: 30_000 },
  );

/** A CancelRequest for the query `c` is running, as psql sends on Ctrl-C. */
const cancelRequest = (c: pg.Client) =>
  new Promise<void>((resolve, reject) => {
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    const socket = connect(port, '127.0.0.1', () => {
      const msg = Buffer.alloc(16);
      msg.writeInt32BE(16, 0);
      msg.writeInt32BE(80877102, 4);
      msg.writeInt32BE(processID, 8);
      msg.writeInt32BE(secretKey, 12);
      socket.end(msg);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });

describe('loch serve', () => {
  it("runs a short query while four long ones hold engine connections (more than libuv's default 4 threads busy)", async () => {
    const connect = async () => {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'admin', password, database: 'loch' });
      await c.connect();
      return c;
    };
    const long = await Promise.all([0, 1, 2, 3].map(connect));
    const short = await connect();
    try {
      let finished = 0;
      const running = long.map((c) =>
        c
          .query('SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3')
          .then(
            () => 'done',
            (e: { code?: string }) => e.code,
          )
          .finally(() => {
            finished++;
          }),
      );
      // Wait until all four are running, then a fifth session's statement must finish first.
      await new Promise((r) => setTimeout(r, 500));
      expect(finished).toBe(0);
      const r = await short.query('SELECT 41 + 1 AS answer');
      expect(r.rows).toEqual([{ answer: 42 }]);
      expect(finished).toBe(0);
      // Cancel the long ones (a CancelRequest each): they were interrupted, not finished.
      await Promise.all(long.map(cancelRequest));
      expect(await Promise.all(running)).toEqual(['57014', '57014', '57014', '57014']);
    } finally {
      await Promise.all([...long, short].map((c) => c.end()));
    }
  });

  it('prints the generated admin password once and the address', () => {
    expect(password).toMatch(/.{8,}/);
    expect(output).toContain('Connect with: psql');
  });

  it('serves the pg driver with the generated password', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'admin', password, database: 'loch' });
    await c.connect();
    try {
      await c.query('CREATE TABLE delta.`sales` (id BIGINT, amount DECIMAL(10,2)) USING DELTA');
      await c.query('INSERT INTO delta.`sales` VALUES ($1, $2)', [1, '9.50']);
      const r = await c.query('SELECT id, amount FROM delta.`sales`');
      expect(r.rows).toEqual([{ id: '1', amount: '9.50' }]);
      // A catalog name that does not exist: the catalog's own SQLSTATE, not an internal error.
      const missing = await c.query('SELECT * FROM no_such_table').catch((e: { code?: string }) => e);
      expect((missing as { code?: string }).code).toBe('42P01');
    } finally {
      await c.end();
    }
  });

  it.skipIf(!hasPsql)('serves psql', () => {
    const r = psql('SELECT 40 + 2 AS answer', 'SELECT count(*) FROM delta.`sales`', "SELECT 'a' || 'b'");
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['42', '1', 'ab']);
    const bad = psql('SELECT * FROM delta.`nope`');
    expect(bad.stderr).toMatch(/ERROR/);
  });

  it.skipIf(!hasPsql)('lists catalog tables for psql \\dt', () => {
    // A named table is a managed Delta table main.default.listed_t: psql shows Loch's schema.
    const r = psql(
      'CREATE TABLE listed_t (a INTEGER)',
      'INSERT INTO main.default.listed_t VALUES (1)',
      '\\dt',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('default|listed_t|table|admin');
    // The mirror psql reads holds no data: queries still go to the Delta table.
    const q = psql('SELECT count(*) FROM listed_t', 'DROP TABLE listed_t', '\\dt');
    expect(q.stderr).not.toContain('ERROR');
    expect(q.stdout.trim().split('\n')[0]).toBe('1');
    expect(q.stdout).not.toContain('listed_t');
  });

  it.skipIf(!hasPsql)('describes a catalog table for psql \\d', () => {
    const r = psql('CREATE TABLE described (a INTEGER NOT NULL, b DECIMAL(10,2))', '\\d described');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('a|int4||not null|');
    expect(r.stdout).toContain('b|numeric(10,2)|||');
  });

  it.skipIf(!hasPsql)(
    "cancels psql's running query on Ctrl-C (SIGINT) long before it would finish",
    async () => {
      const LONG = 'SELECT count(*) FROM range(60000000) t1(x), range(3) t2(y) WHERE x % 7 = y';
      const run = async (sql: string, interruptAfterMs?: number) => {
        const child = spawn(
          'psql',
          ['-h', '127.0.0.1', '-p', String(port), '-U', 'admin', '-d', 'loch', '-X', '-A', '-t', '-c', sql],
          { env: { ...process.env, PGPASSWORD: password } },
        );
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        const started = performance.now();
        const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
        // psql answers SIGINT with a CancelRequest on a second connection, as on Ctrl-C.
        if (interruptAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), interruptAfterMs);
        const code = await done;
        return { code, stderr, ms: performance.now() - started };
      };
      // psql's own start (process, connection, SCRAM) is timed first, so the interrupt comes once
      // the query is running, however loaded the machine is.
      const start = await run('SELECT 1');
      const full = await run(LONG);
      expect(full.code).toBe(0);
      const cut = await run(LONG, start.ms + 150);
      expect(cut.stderr).toContain('canceling statement due to user request');
      expect(cut.ms - start.ms).toBeLessThan((full.ms - start.ms) / 2);
      // The server goes on serving.
      expect(psql('SELECT 7').stdout.trim()).toBe('7');
    },
  );

  it.skipIf(!hasPsql)('refuses psql with a wrong password', () => {
    const r = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'admin', '-c', 'SELECT 1'], {
      env: { ...process.env, PGPASSWORD: 'wrong' },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('password authentication failed for user "admin"');
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Shutting down');
  });
});
