#!/usr/bin/env node
// Entry point: `npm run bench -- <workload> [--rows N] [--quick] [--reps N] [--keep]`.
// Each workload logs progress to stderr and ends with one JSON line on stdout. `all` runs every
// workload in its own child process so each peak-memory figure is its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/harness.mjs';

const WORKLOADS = [
  'scan',
  'snapshot-load',
  'commit-latency',
  'bulk-write',
  'skipping',
  'merge',
  'optimize',
  'vacuum',
  'delete',
  'concurrent-commits',
  'pgwire',
];

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  process.stderr.write(
    `usage: npm run bench -- <${[...WORKLOADS, 'all'].join('|')}> [--quick] [--rows N] [--reps N] [--keep]\n`,
  );
  process.exit(name === undefined ? 2 : 0);
}

if (name === 'all') {
  let failed = 0;
  for (const w of WORKLOADS) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), w, ...rest],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (child.status !== 0) failed++;
  }
  process.exit(failed === 0 ? 0 : 1);
}

if (!WORKLOADS.includes(name)) {
  process.stderr.write(`unknown workload '${name}'; choose one of ${WORKLOADS.join(', ')} or all\n`);
  process.exit(2);
}

const opts = parseArgs(rest);
const mod = await import(`./workloads/${name}.mjs`);
try {
  await mod.run(opts);
} catch (err) {
  process.stderr.write(`bench ${name} failed: ${err.stack ?? err}\n`);
  process.stdout.write(
    `${JSON.stringify({ workload: name, ratio: null, error: String(err.message ?? err) })}\n`,
  );
  process.exit(1);
}
// DuckDB's native threads can keep the event loop alive; the result line is already out.
process.exit(0);
