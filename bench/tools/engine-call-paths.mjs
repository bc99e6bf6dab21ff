#!/usr/bin/env node
// What one small query costs on each DuckDB call path the node bindings offer, and through Loch's
// engine: CPU (all threads of this process, DuckDB's and libuv's included) and wall time per query,
// the variants interleaved rep by rep so load from other work hits them alike. Each DuckDB instance
// here is configured separately, so `threads` variants run side by side in one process.
// usage: npm run build && node bench/tools/engine-call-paths.mjs [N per rep, default 5000] [reps, default 3]
//   SQL=... to time another statement (default `SELECT 1`).
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { DuckEngine, InterruptScope } from '../../packages/engine-duckdb/dist/index.js';

const require = createRequire(new URL('../../packages/engine-duckdb/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');
const b = require('@duckdb/node-bindings');

const n = Number(process.argv[2] ?? 5000);
const reps = Number(process.argv[3] ?? 3);
const sql = process.env.SQL ?? 'SELECT 1';

const prepared = async (config) => {
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  return { instance, statement: await conn.prepare(sql) };
};
// DuckDB's default: threads = cores, of which external_threads (1) is the caller's; the rest are
// background workers.
const dflt = await prepared({});
const single = await prepared({ threads: '1' });
// As many external threads as threads: no background worker, so only the calling thread runs a
// query's tasks (no intra-query parallelism: measured, not used).
const cores = String(availableParallelism());
const noBackground = await prepared({ threads: cores, external_threads: cores });
const engine = await DuckEngine.create({ connections: 16 });

/** Reads every chunk of a materialized result, without another round trip. */
const readAll = (result) => {
  for (let i = 0, k = b.result_chunk_count(result); i < k; i++)
    b.data_chunk_get_size(b.result_get_chunk(result, i));
};
const raw = (s) => s.statement.prepared_statement;

const variants = {
  // One thread-pool round trip: execute_prepared on a libuv worker, chunks read synchronously.
  'execute_prepared (materialized)': async () => readAll(await b.execute_prepared(raw(dflt))),
  'execute_prepared, threads=1': async () => readAll(await b.execute_prepared(raw(single))),
  'execute_prepared, no background thread': async () => readAll(await b.execute_prepared(raw(noBackground))),
  // pending_prepared and its tasks on the JS thread; execute_pending still needs a round trip.
  'pending + runTask loop + execute_pending': async () => {
    const p = b.pending_prepared(raw(dflt));
    for (;;) {
      const state = b.pending_execute_task(p);
      if (state === b.PendingState.RESULT_READY) break;
      if (state === b.PendingState.ERROR) throw new Error(b.pending_error(p));
    }
    readAll(await b.execute_pending(p));
  },
  // Streaming: one round trip to start plus one per chunk and a last, empty one.
  'execute_prepared_streaming + fetch_chunk': async () => {
    const r = await b.execute_prepared_streaming(raw(dflt));
    for (;;) {
      const chunk = await b.fetch_chunk(r);
      if (chunk === null || b.data_chunk_get_size(chunk) === 0) break;
    }
  },
  'DuckEngine.query': () => engine.query(sql),
  'DuckEngine.query in an InterruptScope': () => new InterruptScope().run(() => engine.query(sql)),
};

const samples = new Map(Object.keys(variants).map((k) => [k, { cpu: [], wall: [] }]));
for (let rep = 0; rep < reps; rep++) {
  for (const [name, run] of Object.entries(variants)) {
    for (let i = 0; i < 500; i++) await run();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await run();
    const wall = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    const cpu = process.cpuUsage(cpu0);
    samples.get(name).cpu.push((cpu.user + cpu.system) / n);
    samples.get(name).wall.push(wall);
  }
}
const median = (xs) => xs.slice().sort((x, y) => x - y)[xs.length >> 1];
console.log(`${sql}: ${n} queries x ${reps} reps; median (per rep) us per query`);
for (const [name, s] of samples) {
  const cpu = `${median(s.cpu).toFixed(0)} (${s.cpu.map((x) => x.toFixed(0)).join('/')})`;
  const wall = `${median(s.wall).toFixed(0)} (${s.wall.map((x) => x.toFixed(0)).join('/')})`;
  console.log(`${name.padEnd(42)} cpu ${cpu.padEnd(22)} wall ${wall}`);
}
await engine.close();
for (const s of [dflt, single, noBackground]) s.instance.closeSync();
