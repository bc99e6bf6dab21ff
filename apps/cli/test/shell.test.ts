import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Loch, openLoch } from '../src/api.js';
import { backendFor, CONTINUATION, PROMPT, runShell } from '../src/shell.js';
import { HELP, tableSql } from '../src/shell-commands.js';
import {
  type CompletionSources,
  complete,
  findTablePaths,
  referencedLocations,
} from '../src/shell-completion.js';
import { History, historyPath } from '../src/shell-history.js';
import { isBlank, isComplete, oneLine } from '../src/shell-input.js';
import { NameCache } from '../src/shell-names.js';
import { startProgress } from '../src/shell-progress.js';
import { assertBuilt, loch, MAIN, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let runtime: Loch;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  runtime = await openLoch({ warehouse: dir });
  await runtime.session.execute(
    "CREATE TABLE delta.`people` (id BIGINT, name STRING); INSERT INTO delta.`people` VALUES (1, 'ann'), (2, 'bo')",
  );
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

/** Feeds `script` to a shell over streams; resolves what it printed (errors included). */
async function shell(script: string, opts: { history?: string | null; cwd?: string } = {}): Promise<string> {
  const input = new PassThrough();
  const output = new Sink();
  const done = runShell({
    input,
    output,
    backend: backendFor(runtime),
    terminal: false,
    historyFile: opts.history ?? null,
    warehouse: dir,
    cwd: opts.cwd ?? dir,
  });
  input.end(script);
  expect(await done).toBe(0);
  return output.text;
}

describe('input', () => {
  it('a statement is complete at a ; outside strings and comments', () => {
    expect(isComplete('SELECT 1;')).toBe(true);
    expect(isComplete('SELECT 1; -- done\n')).toBe(true);
    expect(isComplete("SELECT 'a;")).toBe(false);
    expect(isComplete("SELECT 'a;'")).toBe(false);
    expect(isComplete('SELECT 1 -- ;')).toBe(false);
    expect(isComplete('SELECT /* ; */ 1')).toBe(false);
    expect(isComplete('SELECT `a;b`')).toBe(false);
    expect(isComplete('')).toBe(false);
    expect(isBlank('  -- only a comment')).toBe(true);
    expect(isBlank('SELECT')).toBe(false);
  });

  it('history entries are one line without line comments', () => {
    expect(oneLine("SELECT a, -- the id\n  'x  y'\nFROM t;")).toBe("SELECT a, 'x  y' FROM t;");
  });
});

describe('runShell over streams', () => {
  it('runs a multi-line statement and shows the continuation prompt', async () => {
    const out = await shell('SELECT name\n  FROM delta.`people`\n  WHERE id = 2;\n');
    expect(out.startsWith(PROMPT)).toBe(true);
    expect(out).toContain(CONTINUATION);
    expect(out).toMatch(/name\n-+\nbo\n\(1 row\)\n/);
    expect(out).toMatch(/Time: \d+\.\d ms\n/);
  });

  it('prints an error with its SQLSTATE and keeps going', async () => {
    const out = await shell('SELECT * FROM delta.`missing_table`;\nSELECT 40 + 2 AS answer;\n');
    expect(out).toMatch(/Error: .*missing_table.*\(SQLSTATE [0-9A-Z]{5}\)/s);
    expect(out).toMatch(/answer\n-+\n\s*42\n/);
  });

  it('runs several statements typed on one line, and a last one without ;', async () => {
    const out = await shell('\\format csv\nSELECT 1 AS a; SELECT 2 AS b;\nSELECT 3 AS c');
    expect(out).toMatch(/a\n1\n[\s\S]*b\n2\n[\s\S]*c\n3\n/);
  });

  it('\\d describes columns, \\dh shows history, \\d lists tables', async () => {
    const out = await shell('\\d people\n\\dh delta.`people`\n\\d\n');
    expect(out).toMatch(/col_name\s*\| data_type[\s\S]*id\s*\| bigint[\s\S]*name\s*\| string/);
    expect(out).toMatch(/version[\s\S]*operation/);
    expect(out).toContain('WRITE');
    expect(out).toContain('delta.`people`');
  });

  it('\\timing turns the timing line off and on', async () => {
    const out = await shell('\\timing\nSELECT 1 AS a;\n\\timing on\nSELECT 2 AS b;\n');
    const [before, after] = out.split('Timing is on.');
    expect(before).toContain('Timing is off.');
    expect(before).not.toContain('Time:');
    expect(after).toMatch(/Time: \d/);
  });

  it('\\format switches the result format; a bad one is an error', async () => {
    const out = await shell(
      '\\format ndjson\nSELECT id, name FROM delta.`people` ORDER BY id;\n\\format xml\n',
    );
    expect(out).toContain('{"id":1,"name":"ann"}\n{"id":2,"name":"bo"}\n');
    expect(out).toContain("Error: unknown format 'xml'");
  });

  it('\\i runs a script file; \\? helps; unknown commands are errors; \\q stops', async () => {
    const scriptDir = join(dir, 'scripts');
    mkdirSync(scriptDir, { recursive: true });
    writeFileSync(join(scriptDir, 'q.sql'), "SELECT 'from file' AS src;\nSELECT 7 AS seven;\n");
    const out = await shell('\\i scripts/q.sql\n\\?\n\\nope\n\\q\nSELECT 99 AS never;\n');
    expect(out).toContain('from file');
    expect(out).toMatch(/seven\n-+\n\s*7/);
    expect(out).toContain(HELP);
    expect(out).toContain("Error: unknown command '\\nope'");
    expect(out).not.toContain('never');
  });

  it('writes history to the file, one entry per statement, and loads it back', async () => {
    const file = join(dir, 'hist', 'loch_history');
    await shell('SELECT 1\n  AS one;\n\\timing\n', { history: file });
    expect(readFileSync(file, 'utf8')).toBe('SELECT 1 AS one;\n\\timing\n');
    await shell('SELECT 2 AS two;\n', { history: file });
    expect(new History(file).load()).toEqual(['SELECT 1 AS one;', '\\timing', 'SELECT 2 AS two;']);
  });
});

describe('history', () => {
  it('LOCH_HISTORY overrides the file; empty turns it off', () => {
    expect(historyPath({}, '/home/u')).toBe(join('/home/u', '.loch_history'));
    expect(historyPath({ LOCH_HISTORY: '/tmp/h' }, '/home/u')).toBe('/tmp/h');
    expect(historyPath({ LOCH_HISTORY: '' }, '/home/u')).toBeNull();
  });

  it('is capped and skips an immediate repeat', () => {
    const file = join(dir, 'capped_history');
    const h = new History(file, 3);
    for (const e of ['a', 'b', 'b', 'c', 'd', 'e']) h.add(e);
    expect(h.entries).toEqual(['c', 'd', 'e']);
    expect(new History(file, 3).load()).toEqual(['c', 'd', 'e']);
    expect(readFileSync(file, 'utf8')).toBe('c\nd\ne\n');
  });
});

describe('completion', () => {
  const sources: CompletionSources = {
    tablePaths: () => ['people', 'sales/orders'],
    columns: async (locations) => (locations.includes('people') ? ['id', 'name'] : []),
    functions: async () => ['sum', 'substr', 'string_agg'],
  };

  it('completes keywords in the case typed', async () => {
    expect((await complete('SEL', 'SEL', sources))[0]).toContain('SELECT');
    expect(await complete('sel', 'sel', sources)).toEqual([['select'], 'sel']);
  });

  it('completes table paths inside backticks', async () => {
    expect(await complete('SELECT * FROM delta.`sa', 'SELECT * FROM delta.`sa', sources)).toEqual([
      ['sales/orders`'],
      'sa',
    ]);
  });

  it('completes columns of referenced tables and functions', async () => {
    const ctx = 'SELECT na';
    expect(await complete(ctx, `${ctx} FROM delta.\`people\``, sources)).toEqual([['name', 'natural'], 'na']);
    expect((await complete('SELECT su', 'SELECT su', sources))[0]).toEqual(['summarize', 'sum', 'substr']);
    expect(await complete('SELECT p.i', 'SELECT p.i FROM delta.`people` p', sources)).toEqual([['id'], 'i']);
    expect(await complete('SELECT ', 'SELECT ', sources)).toEqual([[], '']);
  });

  it('finds the tables an unfinished statement references', () => {
    expect(referencedLocations('SELECT * FROM delta.`a` JOIN delta.`b` ON a.')).toEqual(['a', 'b']);
    expect(referencedLocations("SELECT 'unfinished FROM delta.`a`")).toEqual([]);
  });

  it('looks names up in the warehouse and DuckDB', async () => {
    const names = new NameCache(backendFor(runtime), dir);
    expect(names.warehousePaths()).toContain('people');
    expect(await names.columns(['people'])).toEqual(['id', 'name']);
    expect(await names.columns(['no_such_table'])).toEqual([]);
    const fns = await names.functions();
    expect(fns).toContain('string_agg');
    expect(fns).toContain('date_trunc');
    expect(findTablePaths(join(dir, 'scripts'))).toEqual([]);
  });

  it('names tables for \\d the way the user writes them', () => {
    expect(tableSql('people')).toBe('delta.`people`');
    expect(tableSql('/abs/t')).toBe('delta.`/abs/t`');
    expect(tableSql('delta.`x`')).toBe('delta.`x`');
    expect(tableSql('main.sales.orders')).toBe('main.sales.orders');
  });
});

describe('progress', () => {
  it('draws after the delay on a terminal and erases itself', () => {
    vi.useFakeTimers();
    try {
      const out = new Sink();
      const stop = startProgress(out, { force: true, delayMs: 1000, intervalMs: 100 });
      vi.advanceTimersByTime(999);
      expect(out.text).toBe('');
      vi.advanceTimersByTime(250);
      expect(out.text).toMatch(/running… \d+\.\d s/);
      stop();
      expect(out.text.endsWith('\r\x1b[K')).toBe(true);
      const quiet = new Sink();
      startProgress(quiet, { delayMs: 0 })();
      vi.advanceTimersByTime(5000);
      expect(quiet.text).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the loch binary', () => {
  beforeAll(() => assertBuilt());

  it('loch sql -i reads statements from a pipe', () => {
    const r = loch(['sql', '-i', '--warehouse', dir, '--format', 'csv'], {
      input: 'SELECT count(*) AS n\nFROM delta.`people`;\n\\q\n',
      env: { LOCH_HISTORY: '' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('n\n2\n');
  });

  const tmux = spawnSync('which', ['tmux']).status === 0;
  // Skipped, with the reason in its name, where tmux is not installed.
  it.skipIf(!tmux)(
    `types into the real shell on a terminal (tmux${tmux ? '' : ' is not installed: skipped'})`,
    async () => {
      // A socket in the test's temp dir: its own tmux server, removed with the dir.
      const sock = join(dir, 'tmux.sock');
      const t = (...args: string[]) => execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8' });
      const history = join(dir, 'tmux_history');
      const cmd = `env LOCH_HISTORY='${history}' '${process.execPath}' '${MAIN}' sql --warehouse '${dir}'; echo SHELL-EXITED; sleep 30`;
      t('new-session', '-d', '-s', 'loch', '-x', '150', '-y', '50', cmd);
      const screen = () => t('capture-pane', '-p', '-t', 'loch', '-S', '-200');
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 200; i++) {
          if (re.test(screen())) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`timed out waiting for ${re} on the screen:\n${screen()}`);
      };
      try {
        // capture-pane drops trailing spaces, so prompts are matched without theirs.
        await waitFor(/^loch>$/m);
        t('send-keys', '-t', 'loch', '-l', 'SELECT name');
        t('send-keys', '-t', 'loch', 'Enter');
        await waitFor(/^ {3}->$/m);
        // Tab completes the keyword, then the table path inside the backticks.
        t('send-keys', '-t', 'loch', '-l', 'FR');
        t('send-keys', '-t', 'loch', 'Tab');
        t('send-keys', '-t', 'loch', '-l', ' delta.`peo');
        t('send-keys', '-t', 'loch', 'Tab');
        await waitFor(/FROM delta\.`people`/);
        // tmux takes an argument ending in ';' as a command separator: send the ';' as hex.
        t('send-keys', '-t', 'loch', '-l', ' WHERE id = 1');
        t('send-keys', '-t', 'loch', '-H', '3b');
        t('send-keys', '-t', 'loch', 'Enter');
        await waitFor(/ann\n\(1 row\)\nTime: /);
        // Up brings the whole multi-line statement back as one line.
        t('send-keys', '-t', 'loch', 'Up');
        await waitFor(/^loch> SELECT name FROM delta\.`people` WHERE id = 1;$/m);
        t('send-keys', '-t', 'loch', 'C-c');
        t('send-keys', '-t', 'loch', '-l', 'SELECT oops');
        t('send-keys', '-t', 'loch', 'C-c');
        await waitFor(/SELECT oops\^C\nloch>$/m);
        // Ctrl-C on an empty line warns; a second one quits.
        t('send-keys', '-t', 'loch', 'C-c');
        await waitFor(/\^C \(Ctrl-C again or Ctrl-D quits\)\nloch>$/m);
        t('send-keys', '-t', 'loch', 'C-c');
        await waitFor(/SHELL-EXITED/);
        expect(readFileSync(history, 'utf8')).toBe('SELECT name FROM delta.`people` WHERE id = 1;\n');
      } finally {
        spawnSync('tmux', ['-S', sock, 'kill-server']);
      }
    },
  );
});
