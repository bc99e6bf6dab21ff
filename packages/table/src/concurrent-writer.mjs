// Child process of concurrency-processes.test.ts and the concurrent-commits bench. Runs against
// the BUILT packages (dist/), so it needs `tsc -b` first. Every line it prints on stdout is
// printed only after the commit it names returned, i.e. it is an acknowledged commit.
//
//   append <dir> <writer> <count> [seconds]   one-row appends (writer, i) for i < count, or until
//                                             `seconds` have passed when count is 0
//                                             (ends with 'done <lost commit races>')
//   update <dir> <count>                      `count` x UPDATE SET v = v + 1 of the row (0, 0)
//   txn <dir> <appId> <version> <tag> <rows>  one idempotent write of `rows` rows tagged `tag`
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable } from '@loch/table';

const [mode, dir, ...args] = process.argv.slice(2);
const engine = await DuckEngine.create({ threads: 1, connections: 1 });
// Lost commit races (putIfAbsent of a log entry that another writer took), for the bench.
let lostRaces = 0;
const stores = async (url) => {
  const store = await openStore(url);
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key !== 'putIfAbsent') return typeof value === 'function' ? value.bind(target) : value;
      return async (path, data) => {
        const outcome = await target.putIfAbsent(path, data);
        if (outcome.kind !== 'written' && path.endsWith('.json')) lostRaces++;
        return outcome;
      };
    },
  });
};
const table = DeltaTable.forPath({ engine, stores }, dir);
// Start together: the parent releases every writer at once through stdin.
await table.snapshot();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

if (mode === 'append') {
  const [writer, count, seconds] = args.map(Number);
  const deadline = count === 0 ? Date.now() + seconds * 1000 : Number.POSITIVE_INFINITY;
  for (let i = 0; count === 0 ? Date.now() < deadline : i < count; i++) {
    const r = await table.write(`SELECT ${writer}::INTEGER AS writer, ${i}::INTEGER AS i`, {
      mode: 'append',
    });
    process.stdout.write(`committed ${r.version} ${writer} ${i}\n`);
  }
  process.stdout.write(`done ${lostRaces}\n`);
} else if (mode === 'update') {
  const [count] = args.map(Number);
  for (let i = 0; i < count; i++) {
    const r = await table.update({ v: 'v + 1' }, 'writer = 0 AND i = 0', { maxConflictRetries: 1000 });
    process.stdout.write(`updated ${r.version}\n`);
  }
} else if (mode === 'txn') {
  const [appId, version, tag, rows] = args;
  // What an application does after a failure it cannot classify: send the same batch again.
  // A lost race on the same app id is a conflict; the retry must then see the txn and skip.
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await table.write(`SELECT '${tag}' AS tag, range::INTEGER AS i FROM range(${Number(rows)})`, {
        mode: 'append',
        txn: { appId, version: Number(version) },
      });
      process.stdout.write(`${r.skipped === true ? 'skipped' : 'committed'} ${r.version} ${attempt}\n`);
      break;
    } catch (e) {
      if (e?.code !== 'CONCURRENT_MODIFICATION' || attempt >= 20) throw e;
      process.stderr.write(`retry after ${e.message}\n`);
    }
  }
} else {
  process.stderr.write(`unknown mode '${mode}': use append or txn\n`);
  process.exitCode = 2;
}
await engine.close();
process.exit();
