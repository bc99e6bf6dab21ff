// Shared plumbing for bench workloads: argument parsing, timing statistics, progress logging
// to stderr and the single JSON result line on stdout that tooling parses.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const OUT_DIR = join(BENCH_DIR, 'out');

/** Parses `--rows N`, `--reps N`, `--quick`, `--keep` and any other `--flag value` pairs. */
export function parseArgs(argv) {
  const opts = { quick: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'; flags look like --rows 1000000`);
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      opts[key] = true;
    } else {
      opts[key] = /^-?\d+(\.\d+)?$/.test(next) ? Number(next) : next;
      i++;
    }
  }
  return opts;
}

/** Full size unless --quick (1/10) or an explicit override. */
export function sized(opts, key, full) {
  if (typeof opts[key] === 'number') return opts[key];
  return opts.quick ? Math.max(1, Math.round(full / 10)) : full;
}

/**
 * Writes the page cache to disk (`sync`), untimed, after a workload's own setup wrote a lot (a
 * fresh copy of a 300 MB table): otherwise the first fsync of the timed operation (a commit, a
 * deletion-vector file) pays for flushing the setup's data, 70-600 ms measured here.
 */
export function flushSetupWrites() {
  execFileSync('sync');
}

export function log(...parts) {
  process.stderr.write(`${parts.join(' ')}\n`);
}

export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed(fn) {
  const t0 = nowMs();
  const value = await fn();
  return { ms: nowMs() - t0, value };
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { n: 0 };
  const pct = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return {
    n,
    min: round(s[0]),
    p50: round(pct(50)),
    p90: round(pct(90)),
    p99: round(pct(99)),
    max: round(s[n - 1]),
    mean: round(mean),
  };
}

export function mean(xs) {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function round(x, digits = 3) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function peakRssMB() {
  // maxRSS is in kilobytes on Linux.
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** A fresh directory under bench/out for this run, removed by `cleanup` unless --keep. */
export function workDir(name, opts) {
  const dir = join(OUT_DIR, `${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    cleanup() {
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prints the one machine-readable line; must be the last thing on stdout. */
export function emit(result) {
  // Load average tells a reader whether other work on the machine disturbed the timings.
  const line = {
    ...result,
    peakRssMB: peakRssMB(),
    loadAvg1m: round(loadavg()[0], 2),
    cpus: cpus().length,
    node: process.version,
    at: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
