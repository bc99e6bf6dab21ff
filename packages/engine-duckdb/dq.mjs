import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', {autoinstall_known_extensions:'false', autoload_known_extensions:'false'});
const c = await inst.connect();
const f = process.argv[2];
let r = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${f}')`);
console.log(r.getRowObjectsJS().map(x=>x.column_name+': '+x.column_type).join('\n'));
r = await c.runAndReadAll(`SELECT to_json(t) j FROM read_parquet('${f}') t LIMIT 6`);
for (const row of r.getRows()) console.log(row[0]);
