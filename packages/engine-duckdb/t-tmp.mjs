import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run("SET TimeZone='UTC'");
const qs = process.argv.slice(2);
for (const q of qs) {
  try { const r = await c.runAndReadAll(q); console.log(q, '=>', JSON.stringify(r.getRows(), (k,v)=>typeof v==='bigint'?v.toString():v), r.columnTypes().map(String)); }
  catch (e) { console.log(q, 'ERR', e.message.split('\n')[0]); }
}
