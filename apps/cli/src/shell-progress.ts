// The progress indicator on a terminal while a statement runs longer than about a second: a bar
// with the percentage when DuckDB knows how far the running query is (scans of Delta
// tables, which are parquet files), a spinner with the elapsed time when it does not (a statement
// between queries, a `range()` source). It erases itself when the statement ends.
import type { Writable } from 'node:stream';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 30;

export interface Progress {
  /** 0-100. */
  readonly percentage: number;
  readonly rowsProcessed: number;
  readonly totalRows: number;
}

export interface ProgressOptions {
  /** Quiet period before the indicator appears (ms). */
  readonly delayMs?: number;
  readonly intervalMs?: number;
  /** Draw even when the stream is not a terminal (tests). */
  readonly force?: boolean;
  readonly now?: () => number;
  /** How far the running statement is, when known. */
  readonly progress?: () => Progress | undefined;
}

/** One line of the indicator (without the carriage return and line clearing). */
export function progressLine(elapsedMs: number, frame: number, p: Progress | undefined): string {
  const seconds = `${(elapsedMs / 1000).toFixed(1)} s`;
  if (p === undefined) return `${FRAMES[frame % FRAMES.length]} running… ${seconds}`;
  const filled = Math.round((p.percentage / 100) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  // DuckDB's row counts are in the units of the scan (rows, row groups or files), so only the
  // percentage is shown.
  return `${bar} ${p.percentage.toFixed(0).padStart(3)}% ${seconds}`;
}

/** Starts the indicator on `stream` (a no-op unless it is a TTY); call the result to erase it. */
export function startProgress(stream: Writable, options: ProgressOptions = {}): () => void {
  const tty = (stream as Writable & { isTTY?: boolean }).isTTY === true;
  if (!tty && options.force !== true) return () => {};
  const now = options.now ?? (() => performance.now());
  const started = now();
  let frame = 0;
  let drawn = false;
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => {
    stream.write(`\r${progressLine(now() - started, frame++, options.progress?.())}\x1b[K`);
    drawn = true;
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, options.intervalMs ?? 100);
    ticker.unref();
  }, options.delayMs ?? 1000);
  delay.unref();
  return () => {
    clearTimeout(delay);
    if (ticker !== undefined) clearInterval(ticker);
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
}

/** Runs `work` with the indicator on `stream`. */
export async function withProgress<T>(
  stream: Writable,
  work: () => Promise<T>,
  options?: ProgressOptions,
): Promise<T> {
  const stop = startProgress(stream, options);
  try {
    return await work();
  } finally {
    stop();
  }
}
