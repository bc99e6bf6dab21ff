// Child process of crash.test.ts: appends batches to a table forever, printing each commit.
// Runs against the BUILT packages (dist/), so it needs `tsc -b` first. Batch b holds (b % 7) + 1
// rows, all tagged with b, so a reader can tell a whole batch from a torn one.
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';

const [dir, start] = process.argv.slice(2);
const engine = await DuckEngine.create({ threads: 1, connections: 1 });
const table = DeltaTable.forPath({ engine, stores: openStore }, dir);
process.stdout.write('ready\n');
for (let batch = Number(start); ; batch++) {
  const rows = (batch % 7) + 1;
  const r = await table.write(`SELECT ${batch}::BIGINT AS batch, range::BIGINT AS i FROM range(${rows})`, {
    mode: 'append',
  });
  process.stdout.write(`committed ${r.version} ${batch} ${rows}\n`);
}
