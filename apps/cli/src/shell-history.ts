// The shell's history file (~/.loch_history): one entry per line, loaded at start, appended after
// each statement, trimmed to the newest `size` entries so it never grows without bound.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_HISTORY_SIZE = 1000;

/** The history file for `env`: LOCH_HISTORY if set (empty disables history), else ~/.loch_history. */
export function historyPath(env: NodeJS.ProcessEnv, home: string = homedir()): string | null {
  const v = env['LOCH_HISTORY'];
  if (v === undefined) return join(home, '.loch_history');
  return v === '' ? null : v;
}

export class History {
  readonly #file: string | null;
  readonly #size: number;
  #entries: string[] = [];
  readonly #warn: (message: string) => void;

  constructor(file: string | null, size = DEFAULT_HISTORY_SIZE, warn: (message: string) => void = () => {}) {
    this.#file = file;
    this.#size = Math.max(1, size);
    this.#warn = warn;
  }

  /** Reads the file (a missing file is an empty history); rewrites it when it holds too many entries. */
  load(): readonly string[] {
    if (this.#file === null) return [];
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch (e) {
      // One warning is enough: after a failure the file is left alone for the rest of the session.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.#fail('read', e);
      return [];
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    this.#entries = lines.slice(-this.#size);
    if (lines.length > this.#size) this.#rewrite();
    return this.#entries;
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Adds an entry (a repeat of the last one is kept once) and appends it to the file. */
  add(entry: string): void {
    const e = entry.trim();
    if (e === '' || this.#entries[this.#entries.length - 1] === e) return;
    this.#entries.push(e);
    // An entry with a line break (inside a string literal) would come back as two entries.
    if (this.#file === null || this.#broken || e.includes('\n')) return;
    if (this.#entries.length > this.#size) {
      this.#entries = this.#entries.slice(-this.#size);
      // Rewriting on every append past the cap would be quadratic: let the file run to twice the cap.
      if (++this.#appendsPastCap >= this.#size) {
        this.#appendsPastCap = 0;
        this.#rewrite();
        return;
      }
    }
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      appendFileSync(this.#file, `${e}\n`, { mode: 0o600 });
    } catch (err) {
      this.#fail('write', err);
    }
  }

  #appendsPastCap = 0;
  #broken = false;

  #rewrite(): void {
    if (this.#file === null || this.#broken) return;
    try {
      writeFileSync(this.#file, this.#entries.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    } catch (err) {
      this.#fail('write', err);
    }
  }

  #fail(op: 'read' | 'write', e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.#broken = true;
    this.#warn(`history: cannot ${op} ${this.#file} (${message}); set LOCH_HISTORY='' to turn history off`);
  }
}
