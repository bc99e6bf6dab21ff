// Child process of dml-processes.test.ts: runs `count` increments of one row's counter with
// UPDATE, re-running the statement on conflicts. Runs against the BUILT packages (dist/).
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';

const [dir, count] = process.argv.slice(2);
const engine = await DuckEngine.create({ threads: 1, connections: 1 });
const table = DeltaTable.forPath({ engine, stores: openStore }, dir);
for (let i = 0; i < Number(count); i++) {
  const r = await table.update({ v: 'v + 1' }, 'id = 1', { maxConflictRetries: 1000 });
  process.stdout.write(`committed ${r.version}\n`);
}
await engine.close();
