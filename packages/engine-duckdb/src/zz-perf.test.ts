import { existsSync, readdirSync } from 'node:fs';
import { DataType } from '@loch/delta';
import { it } from 'vitest';
import { DuckEngine } from './duck-engine.js';
import type { ScanSpec } from './types.js';

const p = DataType.primitive;
const f = DataType.field;
it('perf', async () => {
  const e = await DuckEngine.create();
  const dir = '/tmp/eng/bench';
  if (!existsSync(`${dir}/u`)) {
    await e.run(`COPY (SELECT range AS id, (range % 1000)::INTEGER AS k, (range % 20)::INTEGER AS pk, random()*100 AS v, 'str' || (range % 5000) AS s, DATE '2020-01-01' + (range % 1000)::INTEGER AS d FROM range(10000000)) TO '${dir}/u' (FORMAT parquet, PER_THREAD_OUTPUT true, FILE_SIZE_BYTES '40MB')`);
    await e.run(`COPY (SELECT range AS id, (range % 1000)::INTEGER AS k, (range % 20)::INTEGER AS pk, random()*100 AS v, 'str' || (range % 5000) AS s, DATE '2020-01-01' + (range % 1000)::INTEGER AS d FROM range(10000000)) TO '${dir}/p' (FORMAT parquet, PARTITION_BY (pk))`);
  }
  const ufiles = readdirSync(`${dir}/u`).map((n) => `${dir}/u/${n}`);
  const pfiles: { location: string; partitionValues: Record<string, string> }[] = [];
  for (const d of readdirSync(`${dir}/p`)) for (const n of readdirSync(`${dir}/p/${d}`)) pfiles.push({ location: `${dir}/p/${d}/${n}`, partitionValues: { pk: d.split('=')[1]! } });
  const schema = DataType.struct([f('id', p('long')), f('k', p('integer')), f('pk', p('integer')), f('v', p('double')), f('s', p('string')), f('d', p('date'))]);
  const uspec: ScanSpec = { files: ufiles.map((l) => ({ location: l, partitionValues: {} })), schema, partitionColumns: [], columnMappingMode: 'none' };
  const pspec: ScanSpec = { files: pfiles, schema, partitionColumns: ['pk'], columnMappingMode: 'none' };
  const qs = [
    'SELECT count(*), sum(v) FROM X',
    'SELECT k, avg(v) FROM X GROUP BY k ORDER BY k LIMIT 3',
    'SELECT count(*) FROM X WHERE id BETWEEN 100 AND 200000',
    "SELECT s, count(*) FROM X WHERE d > DATE '2021-01-01' GROUP BY s ORDER BY 2 DESC LIMIT 3",
    'SELECT pk, count(*) FROM X WHERE pk IN (3, 4) GROUP BY pk',
    'SELECT count(*) FROM X a JOIN (SELECT id FROM X WHERE k = 5) b ON a.id = b.id',
  ];
  const time = async (rel: string) => {
    const t = performance.now();
    for (const q of qs) await e.query(q.replaceAll('X', `${rel}`));
    return performance.now() - t;
  };
  const uloch = `(${await e.scanSql(uspec)})`;
  const ploch = `(${await e.scanSql(pspec)})`;
  const uduck = `read_parquet([${ufiles.map((x) => `'${x}'`).join(',')}])`;
  const pduck = `read_parquet('${dir}/p/*/*.parquet', hive_partitioning=true)`;
  for (let r = 0; r < 3; r++) {
    console.log('unpart loch', (await time(uloch)).toFixed(0), 'duck', (await time(uduck)).toFixed(0), 'part loch', (await time(ploch)).toFixed(0), 'duck', (await time(pduck)).toFixed(0));
  }
  const t = performance.now();
  for (let i = 0; i < 50; i++) await e.scanSql(pspec);
  console.log('scanSql per call ms', ((performance.now() - t) / 50).toFixed(2));
  await e.close();
}, 300_000);
