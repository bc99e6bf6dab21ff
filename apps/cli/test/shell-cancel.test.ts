// Ctrl-C in the interactive shell interrupts the running DuckDB query: the statement ends with
// 57014 long before it could have finished (compared with its uncancelled time in the same test),
// and the shell keeps going.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loch, openLoch } from '../src/api.js';
import { backendFor, runShell } from '../src/shell.js';
import { assertBuilt, MAIN, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let runtime: Loch;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  runtime = await openLoch({ warehouse: dir });
});
afterAll(async () => {
  await runtime.close();
  cleanup();
});

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const LONG = 'SELECT count(*) AS n FROM range(60000000) t1(x), range(3) t2(y) WHERE x % 7 = y';

const waitFor = async (sink: Sink, re: RegExp): Promise<void> => {
  for (let i = 0; i < 600; i++) {
    if (re.test(sink.text)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${re}; output:\n${sink.text}`);
};

describe('Ctrl-C while a statement runs', () => {
  it('cancels it with 57014 well before it would finish, and the shell goes on', async () => {
    const started = performance.now();
    await runtime.session.execute(LONG);
    const fullMs = performance.now() - started;

    const input = new PassThrough();
    const output = new Sink();
    const errors = new Sink();
    // A terminal shell: readline turns the ^C byte into SIGINT, as on a real keyboard.
    const done = runShell({
      input,
      output,
      errorOutput: errors,
      backend: backendFor(runtime),
      terminal: true,
      timing: false,
      historyFile: null,
      warehouse: dir,
    });
    input.write(`${LONG};\r`);
    await new Promise((r) => setTimeout(r, 50));
    const cancelAt = performance.now();
    input.write('\x03');
    await waitFor(errors, /SQLSTATE 57014/);
    const cancelMs = performance.now() - cancelAt;
    expect(errors.text).toContain('Cancel request sent');
    expect(errors.text).toContain('Error: canceling statement due to user request (SQLSTATE 57014)');
    expect(cancelMs).toBeLessThan(fullMs / 3);

    input.write('SELECT 40 + 2 AS answer;\r');
    await waitFor(output, /42/);
    input.write('\\q\r');
    expect(await done).toBe(0);
  });
});

const tmux = spawnSync('which', ['tmux']).status === 0;

describe('Ctrl-C in the loch binary on a terminal', () => {
  // Skipped, with the reason in its name, where tmux is not installed.
  it.skipIf(!tmux)(
    `cancels the running statement (tmux${tmux ? '' : ' is not installed: skipped'})`,
    async () => {
      assertBuilt();
      const sock = join(dir, 'tmux-cancel.sock');
      const t = (...args: string[]) => execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8' });
      const cmd = `env LOCH_HISTORY= '${process.execPath}' '${MAIN}' sql --warehouse '${dir}'; echo SHELL-EXITED; sleep 30`;
      t('new-session', '-d', '-s', 'loch', '-x', '150', '-y', '50', cmd);
      const screen = () => t('capture-pane', '-p', '-t', 'loch', '-S', '-200');
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 300; i++) {
          if (re.test(screen())) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`timed out waiting for ${re} on the screen:\n${screen()}`);
      };
      try {
        await waitFor(/^loch>$/m);
        // Long enough that only a real interrupt ends it within the wait below.
        t('send-keys', '-t', 'loch', '-l', 'SELECT count(*) FROM range(3000000000) t(x) WHERE x % 7 = 1');
        // tmux takes an argument ending in ';' as a command separator: send the ';' as hex.
        t('send-keys', '-t', 'loch', '-H', '3b');
        t('send-keys', '-t', 'loch', 'Enter');
        await new Promise((r) => setTimeout(r, 500));
        t('send-keys', '-t', 'loch', 'C-c');
        await waitFor(/canceling statement due to user request \(SQLSTATE 57014\)/);
        expect(screen()).toContain('Cancel request sent');
        t('send-keys', '-t', 'loch', '-l', 'SELECT 40 + 2 AS answer');
        t('send-keys', '-t', 'loch', '-H', '3b');
        t('send-keys', '-t', 'loch', 'Enter');
        await waitFor(/42\n\(1 row\)/);
        t('send-keys', '-t', 'loch', '-l', '\\q');
        t('send-keys', '-t', 'loch', 'Enter');
        await waitFor(/SHELL-EXITED/);
      } finally {
        spawnSync('tmux', ['-S', sock, 'kill-server']);
      }
    },
  );
});
