// Crash safety: writer processes appending in a loop are killed with SIGKILL at random moments,
// many times. After every kill the table must load, contain only whole batches, contain every
// batch a writer saw committed, and reference only data files that exist.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType as T } from '@loch/delta';
import { decodeAddPath } from '@loch/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTablePackage, tableAt, useTableFixture } from './test-helpers.test-util.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../../..');
const ITERATIONS = 20;

// The child processes run the built packages: make sure dist/ is current.
beforeAll(buildTablePackage, 120_000);
const fx = useTableFixture({ scope: 'file' });

interface Run {
  readonly committed: Map<number, number>;
}

/** Starts a writer, waits until it is ready, lets it run for `ms`, then SIGKILLs it. */
async function runAndKill(start: number, ms: number): Promise<Run> {
  const child: ChildProcess = spawn(
    process.execPath,
    [nodePath.join(here, 'crash-writer.mjs'), fx.dir, String(start)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const committed = new Map<number, number>();
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === 'ready') resolve();
        const m = /^committed (\d+) (\d+) (\d+)$/u.exec(line);
        if (m) committed.set(Number(m[2]), Number(m[3]));
        nl = buffered.indexOf('\n');
      }
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await exited;
  return { committed };
}

describe('crash safety', () => {
  it(`keeps the table consistent across ${ITERATIONS} SIGKILLed writers`, async () => {
    const ctx = fx.ctx;
    await tableAt(ctx, fx.dir).create({
      schema: T.struct([T.field('batch', T.primitive('long')), T.field('i', T.primitive('long'))]),
      // Checkpoint often so kills also land in the middle of checkpoint writes.
      properties: { 'delta.checkpointInterval': '3' },
    });
    const seen = new Map<number, number>();
    let totalCommits = 0;
    for (let k = 0; k < ITERATIONS; k++) {
      const run = await runAndKill(k * 10_000, Math.floor(Math.random() * 400));
      for (const [b, n] of run.committed) seen.set(b, n);
      totalCommits += run.committed.size;

      const table = tableAt(ctx, fx.dir); // a fresh reader: nothing cached
      const snapshot = await table.snapshot();
      for (const f of snapshot.files) expect(existsSync(decodeAddPath(table.url, f.path))).toBe(true);
      const scan = await table.scanSql();
      const result = await fx.engine.query(`SELECT batch, count(*) AS n FROM (${scan}) GROUP BY batch`);
      const batches = new Map(result.rows.map((r) => [Number(r[0]), Number(r[1])]));
      for (const [b, n] of batches) expect(n, `batch ${b}`).toBe((b % 7) + 1);
      for (const b of seen.keys()) expect(batches.has(b), `committed batch ${b}`).toBe(true);
      const history = await table.history();
      expect(history).toHaveLength(snapshot.version + 1);
      const appended = history.reduce((s, h) => s + Number(h.operationMetrics.numOutputRows ?? 0), 0);
      expect([...batches.values()].reduce((s, n) => s + n, 0)).toBe(appended);
    }
    // The writers did get commits in (otherwise the test proves nothing).
    expect(totalCommits).toBeGreaterThan(0);
  }, 90_000);
});
