// Child process of sqlite-metastore.test.ts: opens a (possibly fresh) warehouse at the same moment
// as a sibling, creates tables, then waits until it sees the sibling's tables too.
// Runs against the BUILT package (dist/), so the test runs `tsc -b` first.
import { openMetastore } from '@loch/catalog';

const [dir, prefix, count, expected] = process.argv.slice(2);
const { metastore, bootstrap } = await openMetastore(dir);
await metastore.createSchema({ name: 'main.shared', owner: 'admin' }, 'ifNotExists');
for (let i = 0; i < Number(count); i++) {
  await metastore.createTable({ name: `main.shared.${prefix}_${i}`, owner: 'admin' });
}
let seen = 0;
for (let attempt = 0; attempt < 400; attempt++) {
  seen = (await metastore.listTables('main.shared')).length;
  if (seen >= Number(expected)) break;
  await new Promise((r) => setTimeout(r, 25));
}
process.stdout.write(`${JSON.stringify({ fresh: bootstrap.fresh, seen })}\n`);
await metastore.close();
