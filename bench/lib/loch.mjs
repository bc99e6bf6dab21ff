// Loads the built Loch packages (packages/*/dist) and assembles a TableContext. The packages are
// written in parallel with the bench, so every lookup is tolerant: when something is missing the
// workload falls back to its DuckDB-only baseline and says why in the result.

async function tryImport(name) {
  try {
    return { mod: await import(name) };
  } catch (err) {
    return { error: `${name}: ${err.message.split('\n')[0]}` };
  }
}

function pick(mod, names) {
  for (const n of names) if (mod && typeof mod[n] !== 'undefined') return mod[n];
  return undefined;
}

/** Creates Loch's DuckDB engine, whatever its factory is called. */
async function createEngine(engMod) {
  const factory = pick(engMod, ['createEngine', 'createDuckEngine', 'openEngine']);
  if (typeof factory === 'function') return await factory({});
  const Cls = pick(engMod, ['DuckEngine', 'DuckDBEngine']);
  if (Cls === undefined)
    throw new Error(`no engine factory among exports: ${Object.keys(engMod).join(', ')}`);
  if (typeof Cls.create === 'function') return await Cls.create({});
  if (typeof Cls.open === 'function') return await Cls.open({});
  return new Cls({});
}

/**
 * The StoreFactory (synchronous, url => ObjectStore) for file:// URLs and plain paths. Prefers a
 * factory the table package exports; else builds one from the storage package's store classes
 * (its `openStore` is async, so it cannot serve as a StoreFactory directly).
 */
function storeFactory(storageMod, tableMod) {
  const exported =
    pick(tableMod, ['defaultStoreFactory', 'defaultStores', 'localStores']) ??
    pick(storageMod, ['defaultStoreFactory', 'storeFactory']);
  if (typeof exported === 'function') return exported;
  const File = pick(storageMod, ['FileStore', 'LocalStore']);
  const Memory = pick(storageMod, ['MemoryStore']);
  if (File === undefined)
    throw new Error(`no FileStore among @loch/storage exports: ${Object.keys(storageMod).join(', ')}`);
  return (url) => (Memory !== undefined && url.startsWith('memory:') ? new Memory(url) : new File(url));
}

/**
 * Returns { ctx, engine, stores, DeltaTable, delta, close } when the table API is usable; otherwise
 * { unavailable: reason } plus whatever lower layers did load (delta, engine, stores), so
 * workloads can still time those pieces on their own.
 */
export async function openLoch() {
  const [table, eng, storage, delta] = await Promise.all([
    tryImport('@loch/table'),
    tryImport('@loch/engine-duckdb'),
    tryImport('@loch/storage'),
    tryImport('@loch/delta'),
  ]);
  const problems = [table, eng, storage, delta].filter((m) => m.error).map((m) => m.error);
  let engine;
  let stores;
  if (!storage.error) {
    try {
      stores = storeFactory(storage.mod, table.mod);
    } catch (err) {
      problems.push(err.message);
    }
  }
  if (!eng.error) {
    try {
      engine = await createEngine(eng.mod);
    } catch (err) {
      problems.push(`engine: ${err.message}`);
    }
  }
  const DeltaTable = table.mod?.DeltaTable;
  if (!table.error && (DeltaTable === undefined || typeof DeltaTable.forPath !== 'function')) {
    problems.push(
      `@loch/table does not export DeltaTable.forPath yet (exports: ${Object.keys(table.mod).join(', ') || 'none'})`,
    );
  }
  // The same settings as openLoch(): checkpoints run after the commit returns.
  const ctx =
    engine && stores ? { engine, stores, engineInfo: 'loch-bench', checkpointMode: 'background' } : undefined;
  const loch = {
    ctx,
    engine,
    stores,
    DeltaTable,
    delta: delta.mod,
    table: table.mod,
    storage: storage.mod,
    engineModule: eng.mod,
    async close() {
      if (engine) await engine.close();
    },
  };
  if (problems.length > 0) loch.unavailable = problems.join('; ');
  return loch;
}
