import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lat-'));
const engine = await DuckEngine.create({});
const t = DeltaTable.forPath({ engine, stores: openStore, checkpointMode: process.argv[3] ?? 'inline' }, dir);
await t.write('SELECT 0::BIGINT AS id', { mode: 'append' });
const N = Number(process.argv[2] ?? 300);
const times = [];
for (let i = 1; i <= N; i++) {
  const s = performance.now();
  await t.write(`SELECT ${i}::BIGINT AS id`, { mode: 'append' });
  times.push(performance.now() - s);
}
await t.flush();
const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length * p)].toFixed(2);
};
const avg = (a) => (a.reduce((x, y) => x + y, 0) / a.length).toFixed(2);
console.log(
  'p50',
  q(times, 0.5),
  'p99',
  q(times, 0.99),
  'first1000 avg',
  avg(times.slice(0, 1000)),
  'p50',
  q(times.slice(0, 1000), 0.5),
  'last1000 avg',
  avg(times.slice(-1000)),
  'p50',
  q(times.slice(-1000), 0.5),
  'p99',
  q(times.slice(-1000), 0.99),
);
await engine.close();
fs.rmSync(dir, { recursive: true });
