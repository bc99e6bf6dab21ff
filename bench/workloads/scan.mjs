// scan: aggregate/join/filter queries over a 10M-row Delta table written by Loch, run through
// Loch's relation (table.scanSql(), warm snapshot cache included in the timing) and through
// DuckDB read_parquet over the very same file list, interleaved and repeated.
import { join } from 'node:path';
import { bindQuery, factSql, SCAN_QUERIES, storesSql } from '../lib/data.mjs';
import { openDuck, parquetList, readSettings } from '../lib/duck.mjs';
import { emit, log, nowMs, round, sized, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';

const TARGET_RATIO = 1.05;
const TARGET_OVERHEAD_MS = 10;

export async function run(opts) {
  const rows = sized(opts, 'rows', 10_000_000);
  const numFiles = typeof opts.files === 'number' ? opts.files : 8;
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 3 : 7;
  const wd = workDir('scan', opts);
  const loch = await openLoch();
  if (loch.unavailable) log(`[scan] Loch unavailable, DuckDB baseline only: ${loch.unavailable}`);
  const engineSettings = !loch.engine ? {} : await readSettings((sql) => lochObjects(loch.engine, sql));
  const duck = await openDuck(engineSettings);
  try {
    log(
      `[scan] rows=${rows} files=${numFiles} reps=${reps} settings=${JSON.stringify(await duck.settings())}`,
    );
    const data = loch.unavailable
      ? await writeWithDuck(duck, wd.dir, rows, numFiles)
      : await writeWithLoch(loch, wd.dir, rows, numFiles);
    log(`[scan] data ready in ${round(data.writeMs, 0)} ms: ${data.factFiles.length} fact files`);

    const duckFact = `read_parquet(${parquetList(data.factFiles)})`;
    const duckStores = `read_parquet(${parquetList(data.storeFiles)})`;

    const lochQuery = async (q) => {
      // Each referenced table's relation is built per query: that is the warm-snapshot cost we time.
      const [rel, relS] = await Promise.all([
        data.fact.scanSql(),
        q.sql.includes('{s}') ? data.stores.scanSql() : '',
      ]);
      return loch.engine.query(bindQuery(q.sql, `(${rel})`, `(${relS})`));
    };
    const duckQuery = (q) => duck.rows(bindQuery(q.sql, duckFact, duckStores));
    const engineOnParquet = (q) => loch.engine.query(bindQuery(q.sql, duckFact, duckStores));

    // Correctness first: the Loch relation and read_parquet must agree, or the timing means nothing.
    const mismatches = [];
    if (!loch.unavailable) {
      for (const q of SCAN_QUERIES) {
        const a = normalize(await lochQuery(q));
        const b = normalize(await engineOnParquet(q));
        if (a !== b) {
          mismatches.push(q.name);
          let i = 0;
          while (i < a.length && a[i] === b[i]) i++;
          log(
            `[scan] ${q.name}: loch ...${a.slice(Math.max(0, i - 80), i + 80)}... vs read_parquet ...${b.slice(Math.max(0, i - 80), i + 80)}...`,
          );
        }
      }
      if (mismatches.length > 0) log(`[scan] RESULT MISMATCH Loch vs read_parquet: ${mismatches.join(', ')}`);
    }

    // Warm-up, then interleave (alternating which side goes first) and keep every sample.
    const samples = Object.fromEntries(
      SCAN_QUERIES.map((q) => [q.name, { loch: [], duckdb: [], engineParquet: [] }]),
    );
    for (const q of SCAN_QUERIES) {
      await duckQuery(q);
      if (!loch.unavailable) await lochQuery(q);
    }
    for (let r = 0; r < reps; r++) {
      for (const q of SCAN_QUERIES) {
        const arms = [['duckdb', () => duckQuery(q)]];
        if (!loch.unavailable) {
          arms.push(['loch', () => lochQuery(q)], ['engineParquet', () => engineOnParquet(q)]);
        }
        const order = r % 2 === 0 ? arms : [...arms].reverse();
        for (const [arm, fn] of order) samples[q.name][arm].push((await timed(fn)).ms);
      }
      log(`[scan] rep ${r + 1}/${reps} done`);
    }

    const perQuery = SCAN_QUERIES.map((q) => {
      const s = samples[q.name];
      const d = stats(s.duckdb);
      const l = stats(s.loch);
      const e = stats(s.engineParquet);
      const row = { query: q.name, duckdbMs: d.p50, duckdbMinMs: d.min };
      if (l.n > 0) {
        Object.assign(row, {
          lochMs: l.p50,
          lochMinMs: l.min,
          engineParquetMs: e.p50,
          overheadMs: round(l.p50 - d.p50),
          overheadOfMinsMs: round(l.min - d.min),
          overheadVsEngineMs: round(l.p50 - e.p50),
          ratio: round(l.p50 / d.p50),
        });
      }
      log(
        `[scan] ${q.name.padEnd(22)} duckdb ${fmt(d.p50)}${l.n > 0 ? `  loch ${fmt(l.p50)}  engine(read_parquet) ${fmt(e.p50)}  x${round(l.p50 / d.p50, 2)}` : ''}`,
      );
      return row;
    });

    const totalDuck = perQuery.reduce((a, q) => a + q.duckdbMs, 0);
    const result = {
      workload: 'scan',
      ratioOf: 'loch/duckdb, sum over queries of min-of-N times (ratioOfMedians: same with medians)',
      target: { ratio: TARGET_RATIO, overheadMs: TARGET_OVERHEAD_MS },
      rows,
      files: data.factFiles.length,
      reps,
      settings: await duck.settings(),
      duckdbTotalMs: round(totalDuck),
      perQuery,
      writeMs: round(data.writeMs),
    };
    if (loch.unavailable) {
      Object.assign(result, { ratio: null, loch: `unavailable: ${loch.unavailable}` });
    } else {
      const totalLoch = perQuery.reduce((a, q) => a + q.lochMs, 0);
      const totalEngine = perQuery.reduce((a, q) => a + q.engineParquetMs, 0);
      const warm = await warmOverhead(loch, data, duck);
      // The headline overhead: a query that reads (almost) nothing, so only Loch's fixed cost shows.
      const fixedOverheadMs = round(warm.selectiveQueryLochMs.p50 - warm.selectiveQueryDuckdbMs.p50);
      Object.assign(result, {
        ratio: round(sumOf(perQuery, 'lochMinMs') / sumOf(perQuery, 'duckdbMinMs')),
        ratioOfMedians: round(totalLoch / totalDuck),
        perQueryOverheadMs: fixedOverheadMs,
        lochTotalMs: round(totalLoch),
        engineParquetTotalMs: round(totalEngine),
        engineOverheadRatio: round(totalEngine / totalDuck),
        maxPerQueryOverheadMs: round(Math.max(...perQuery.map((q) => q.overheadMs))),
        medianPerQueryOverheadMs: stats(perQuery.map((q) => q.overheadMs)).p50,
        warm,
        mismatches,
        lochFileSizeMB: data.sizeMB,
      });
      log(
        `[scan] warm per-query overhead (selective query, Loch - DuckDB): ${fixedOverheadMs} ms (target <= ${TARGET_OVERHEAD_MS})`,
      );
      log(
        `[scan] total of medians: loch ${fmt(totalLoch)} duckdb ${fmt(totalDuck)} (${result.ratioOfMedians}); min-of-N ratio ${result.ratio} (target <= ${TARGET_RATIO}); warm scanSql ${warm.scanSqlMs.p50} ms, snapshot ${warm.snapshotMs.p50} ms`,
      );
    }
    emit(result);
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}

/** The fixed per-query cost: warm snapshot + relation text, and one trivial query each way. */
async function warmOverhead(loch, data, duck) {
  const n = 50;
  const snap = [];
  const scan = [];
  const trivialLoch = [];
  const trivialDuck = [];
  for (let i = 0; i < n; i++) {
    snap.push((await timed(() => data.fact.snapshot())).ms);
    scan.push((await timed(() => data.fact.scanSql())).ms);
    trivialLoch.push((await timed(() => loch.engine.query('SELECT 42'))).ms);
    trivialDuck.push((await timed(() => duck.rows('SELECT 42'))).ms);
  }
  const rel = await data.fact.scanSql();
  const emptyLoch = [];
  const emptyDuck = [];
  for (let i = 0; i < 20; i++) {
    emptyLoch.push(
      (
        await timed(async () =>
          loch.engine.query(`SELECT count(*) FROM (${await data.fact.scanSql()}) WHERE id < 0`),
        )
      ).ms,
    );
    emptyDuck.push(
      (
        await timed(() =>
          duck.rows(`SELECT count(*) FROM read_parquet(${parquetList(data.factFiles)}) WHERE id < 0`),
        )
      ).ms,
    );
  }
  return {
    snapshotMs: stats(snap),
    scanSqlMs: stats(scan),
    trivialQueryLochEngineMs: stats(trivialLoch),
    trivialQueryDuckdbMs: stats(trivialDuck),
    selectiveQueryLochMs: stats(emptyLoch),
    selectiveQueryDuckdbMs: stats(emptyDuck),
    relationSqlChars: rel.length,
    relationSqlHead: rel.slice(0, 400),
  };
}

async function writeWithLoch(loch, dir, rows, numFiles) {
  const factPath = join(dir, 'fact');
  const storesPath = join(dir, 'stores');
  const fact = loch.DeltaTable.forPath(loch.ctx, factPath);
  const stores = loch.DeltaTable.forPath(loch.ctx, storesPath);
  const t0 = nowMs();
  const per = Math.ceil(rows / numFiles);
  for (let k = 0; k < numFiles; k++) {
    const n = Math.min(per, rows - k * per);
    if (n <= 0) break;
    const res = await fact.write(factSql(n, k * per), { mode: 'append' });
    log(
      `[scan] loch append ${k + 1}/${numFiles}: version ${res.version}, ${res.numFiles} file(s), ${res.numOutputRows} rows`,
    );
  }
  await stores.write(storesSql(), { mode: 'append' });
  const writeMs = nowMs() - t0;
  const snap = await fact.snapshot();
  const snapS = await stores.snapshot();
  const factFiles = snap.files.map((f) => join(factPath, decodeURIComponent(f.path)));
  const storeFiles = snapS.files.map((f) => join(storesPath, decodeURIComponent(f.path)));
  const sizeMB = round(snap.files.reduce((a, f) => a + f.size, 0) / 2 ** 20, 1);
  return { fact, stores, factFiles, storeFiles, writeMs, sizeMB };
}

async function writeWithDuck(duck, dir, rows, numFiles) {
  const t0 = nowMs();
  const per = Math.ceil(rows / numFiles);
  const factFiles = [];
  for (let k = 0; k < numFiles; k++) {
    const n = Math.min(per, rows - k * per);
    if (n <= 0) break;
    const file = join(dir, `fact-${k}.parquet`);
    await duck.run(`COPY (${factSql(n, k * per)}) TO '${file}' (FORMAT parquet)`);
    factFiles.push(file);
  }
  const storeFile = join(dir, 'stores.parquet');
  await duck.run(`COPY (${storesSql()}) TO '${storeFile}' (FORMAT parquet)`);
  return { factFiles, storeFiles: [storeFile], writeMs: nowMs() - t0 };
}

async function lochObjects(engine, sql) {
  const r = await engine.query(sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

/** A canonical text of a result so two runs of a query can be compared. */
function normalize(result) {
  return JSON.stringify(result.rows, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number(v.toPrecision(10));
    if (
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof v.toString === 'function' &&
      v.toString !== Object.prototype.toString
    )
      return v.toString();
    return v;
  });
}

const sumOf = (rows, key) => rows.reduce((a, r) => a + r[key], 0);

function fmt(ms) {
  return `${round(ms, 1)} ms`.padStart(11);
}
