// delete: DELETE 0.1% of a 10M-row Delta table (10 appends of 1M contiguous ids, one file each),
// the deleted rows spread over every file (`id % 1000 = 7`), with deletion vectors and with
// copy-on-write, each on a fresh copy of the base table (copy untimed, snapshot loaded untimed).
// Baseline: DuckDB COPY of the remaining rows (read_parquet of the table's files, WHERE NOT p) to
// one parquet file in the codec Loch writes (`--codec`, default snappy), i.e. a full rewrite.
// Target: deletion-vector DELETE time / COPY time <= 0.05.
// The phases come from the commit's operationMetrics (scanTimeMs: pruning + the scan finding the
// matching rows; rewriteTimeMs: DV or data file writes); commit = total - executionTimeMs. A
// DuckDB reference for the scan phase is measured too: the same predicate over the same files
// returning filename + file_row_number (what a DV needs) into JS, without Loch.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDuck, readSettings } from '../lib/duck.mjs';
import { emit, flushSetupWrites, log, round, sized, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';
import { benchCodec, lochObjects, writeBaseTables } from '../lib/many-files.mjs';

const TARGET = { dv: 0.05 };
const APPENDS = 10;
const PREDICATE = 'id % 1000 = 7';

export async function run(opts) {
  const rows = sized(opts, 'rows', 10_000_000);
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 2 : 3;
  const wd = workDir('delete', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  const duck = await openDuck(await readSettings((sql) => lochObjects(loch.engine, sql)));
  try {
    const { codec, properties } = benchCodec(opts);
    log(`[delete] rows=${rows} predicate=${PREDICATE} reps=${reps} codec=${codec}`);
    const bases = await writeBaseTables(loch, wd.dir, rows, APPENDS, {
      flush: true,
      properties,
      written: async (mode, ms, table) =>
        log(
          `[delete] ${mode} base written in ${round(ms, 0)} ms (${(await table.snapshot()).files.length} files)`,
        ),
    });
    const files = (await loch.DeltaTable.forPath(loch.ctx, bases.cow).snapshot()).files.map((f) =>
      join(bases.cow, decodeURIComponent(f.path)),
    );
    const fileList = `[${files.map((f) => `'${f}'`).join(', ')}]`;
    const expected = Number(
      (await duck.rows(`SELECT count(*) FROM read_parquet(${fileList}) WHERE ${PREDICATE}`))[0][0],
    );

    const samples = { dv: [], cow: [] };
    const phases = { dv: [], cow: [] };
    const copyMs = [];
    const floorMs = [];
    let verified = false;
    for (let r = 0; r < reps; r++) {
      for (const mode of ['dv', 'cow']) {
        const dir = join(wd.dir, `run-${mode}-${r}`);
        cpSync(bases[mode], dir, { recursive: true });
        flushSetupWrites();
        const table = loch.DeltaTable.forPath(loch.ctx, dir);
        await table.snapshot();
        const t = await timed(() => table.delete(PREDICATE));
        samples[mode].push(t.ms);
        const [last] = await table.history(1);
        const m = last.operationMetrics;
        const phase = {
          totalMs: round(t.ms, 1),
          scanMs: Number(m.scanTimeMs),
          writeMs: Number(m.rewriteTimeMs),
          commitAndRestMs: round(t.ms - Number(m.executionTimeMs), 1),
          deletedRows: t.value.numDeletedRows,
          deletionVectorsAdded: t.value.numDeletionVectorsAdded,
          filesRemoved: t.value.numRemovedFiles,
          filesAdded: t.value.numAddedFiles,
          copiedRows: t.value.numCopiedRows,
        };
        phases[mode].push(phase);
        log(`[delete] rep ${r + 1}/${reps} ${mode}: ${round(t.ms, 0)} ms ${JSON.stringify(phase)}`);
        if (t.value.numDeletedRows !== expected) {
          throw new Error(`${mode} deleted ${t.value.numDeletedRows} rows, expected ${expected}`);
        }
        if (!verified || r === 0) {
          // Untimed: a fresh reader sees exactly the remaining rows.
          const check = loch.DeltaTable.forPath(loch.ctx, dir);
          const left = await lochObjects(
            loch.engine,
            `SELECT count(*) AS n, count(*) FILTER (WHERE ${PREDICATE}) AS bad FROM (${await check.scanSql()})`,
          );
          if (Number(left[0].n) !== rows - expected || Number(left[0].bad) !== 0) {
            throw new Error(
              `${mode}: ${left[0].n} rows left (${left[0].bad} matching), expected ${rows - expected}`,
            );
          }
          verified = true;
        }
        await table.flush?.();
        rmSync(dir, { recursive: true, force: true });
      }
      const floor = await timed(() =>
        duck.rows(
          `SELECT filename, file_row_number FROM read_parquet(${fileList}, filename = true, file_row_number = true) WHERE ${PREDICATE}`,
        ),
      );
      floorMs.push(floor.ms);
      const out = join(wd.dir, `copy-${r}.parquet`);
      const c = await timed(() =>
        duck.run(
          `COPY (SELECT * FROM read_parquet(${fileList}) WHERE NOT (${PREDICATE})) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`,
        ),
      );
      rmSync(out, { force: true });
      copyMs.push(c.ms);
      log(
        `[delete] rep ${r + 1}/${reps} duckdb COPY: ${round(c.ms, 0)} ms; scan reference ${round(floor.ms, 0)} ms`,
      );
    }
    const c = stats(copyMs);
    const ratios = {
      dv: round(stats(samples.dv).min / c.min, 4),
      cow: round(stats(samples.cow).min / c.min, 4),
    };
    const fastest = (mode) => phases[mode].reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
    emit({
      workload: 'delete',
      ratioOf:
        'deletion-vector DELETE min time / DuckDB COPY (full rewrite of the remaining rows) min time, / target 0.05',
      ratio: round(ratios.dv / TARGET.dv),
      target: TARGET,
      rows,
      files: files.length,
      predicate: PREDICATE,
      deletedRows: expected,
      codec,
      reps,
      ratios,
      ratiosOfMedians: {
        dv: round(stats(samples.dv).p50 / c.p50, 4),
        cow: round(stats(samples.cow).p50 / c.p50, 4),
      },
      duckdbCopyMs: c,
      deleteMs: { dv: stats(samples.dv), cow: stats(samples.cow) },
      phasesOfFastest: { dv: fastest('dv'), cow: fastest('cow') },
      duckdbScanReferenceMs: stats(floorMs),
    });
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}
