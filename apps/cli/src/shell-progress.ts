// A spinner with the elapsed time on a terminal while a statement runs longer than about a second.
// Statement progress is unknown up front (DuckDB reports none through our engine), so it shows
// that work is going on and for how long, and erases itself when the statement ends.
import type { Writable } from 'node:stream';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressOptions {
  /** Quiet period before the spinner appears (ms). */
  readonly delayMs?: number;
  readonly intervalMs?: number;
  /** Draw even when the stream is not a terminal (tests). */
  readonly force?: boolean;
  readonly now?: () => number;
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
    const seconds = ((now() - started) / 1000).toFixed(1);
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} running… ${seconds} s \x1b[K`);
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
