#!/usr/bin/env node
// Where a one-row append spends its time: the table's engine and store are wrapped so every
// method call is timed, then N appends run. usage: node bench/tools/write-breakdown.mjs [N]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs, OUT_DIR, stats, timed } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';

const n = Number(process.argv[2] ?? 500);
const dir = join(OUT_DIR, `write-breakdown-${process.pid}`);
const loch = await openLoch();
if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);

const spent = new Map();
function timedProxy(target, name) {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      return async (...args) => {
        const t0 = nowMs();
        try {
          return await value.apply(t, args);
        } finally {
          const key = `${name}.${String(prop)}`;
          const e = spent.get(key) ?? { calls: 0, ms: 0 };
          e.calls++;
          e.ms += nowMs() - t0;
          spent.set(key, e);
        }
      };
    },
  });
}

const ctx = {
  ...loch.ctx,
  engine: timedProxy(loch.engine, 'engine'),
  stores: (url) => timedProxy(loch.stores(url), 'store'),
};
const rowSql = (i) =>
  `SELECT * FROM (VALUES (${i}::BIGINT, 'row ${i}', ${i % 7}::INTEGER)) v(id, label, bucket)`;
try {
  const table = loch.DeltaTable.forPath(ctx, dir);
  await table.write(rowSql(0), { mode: 'errorIfExists' });
  spent.clear();
  const lat = [];
  for (let i = 1; i <= n; i++) lat.push((await timed(() => table.write(rowSql(i), { mode: 'append' }))).ms);
  const mean = lat.reduce((a, b) => a + b, 0) / n;
  let accounted = 0;
  process.stdout.write(`append latency: ${JSON.stringify(stats(lat))}\n`);
  for (const [key, e] of [...spent].sort((a, b) => b[1].ms - a[1].ms)) {
    accounted += e.ms / n;
    process.stdout.write(
      `${key.padEnd(28)} calls/append ${(e.calls / n).toFixed(2)}  ms/append ${(e.ms / n).toFixed(3)}\n`,
    );
  }
  process.stdout.write(
    `${'(rest: JS in the table layer)'.padEnd(28)}                   ms/append ${(mean - accounted).toFixed(3)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await loch.close();
}
process.exit(0);
