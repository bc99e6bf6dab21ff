// Ctrl-C in the interactive shell interrupts the running DuckDB query: the statement ends with
// 57014 long before it could have finished (compared with its uncancelled time in the same test),
// and the shell keeps going.
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loch, openLoch } from '../src/api.js';
import { backendFor, runShell } from '../src/shell.js';
import { tempDir } from './helpers.js';

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
