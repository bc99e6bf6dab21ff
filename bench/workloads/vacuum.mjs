// vacuum: a table of 100,000 data files, 50,000 of them removed long ago (tombstones and file
// mtimes older than the default 7-day retention). Times VACUUM DRY RUN (listing + the retention
// rules, nothing deleted) and VACUUM (which deletes the 50,000 expired files). Files are tiny
// placeholders: VACUUM never opens data files, it lists, compares and deletes.
import { closeSync, mkdirSync, openSync, readdirSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { emit, log, round, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';
import { BASE_TS, flatSchema, writeCommit, writeVersionZero } from '../lib/many-files.mjs';

const SCHEMA = flatSchema({ id: 'long' });

export async function run(opts) {
  const numFiles = typeof opts.files === 'number' ? opts.files : opts.quick ? 10_000 : 100_000;
  const expired = Math.floor(numFiles / 2);
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 2 : 3;
  const wd = workDir('vacuum', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  try {
    const tableDir = join(wd.dir, 't');
    const t = await timed(() => buildTable(loch.delta, tableDir, numFiles, expired));
    log(`[vacuum] built ${numFiles} files (${expired} removed) in ${round(t.ms, 0)} ms`);

    const table = loch.DeltaTable.forPath(loch.ctx, tableDir);
    const snap = await timed(() => table.snapshot());
    const dryMs = [];
    let dry;
    for (let i = 0; i < reps; i++) {
      const r = await timed(() => table.vacuum({ dryRun: true }));
      dryMs.push(r.ms);
      dry = r.value;
    }
    if (dry.numFilesToDelete !== expired) {
      throw new Error(`DRY RUN found ${dry.numFilesToDelete} files to delete, expected ${expired}`);
    }
    const d = stats(dryMs);
    log(`[vacuum] DRY RUN p50 ${d.p50} ms: ${dry.numFilesToDelete} files to delete`);
    const v = await timed(() => table.vacuum());
    if (v.value.numDeletedFiles !== expired) {
      throw new Error(`VACUUM deleted ${v.value.numDeletedFiles} files, expected ${expired}`);
    }
    const left = readdirSync(tableDir).filter((n) => n !== '_delta_log').length;
    if (left !== numFiles - expired)
      throw new Error(`${left} data files left, expected ${numFiles - expired}`);
    log(`[vacuum] VACUUM deleted ${v.value.numDeletedFiles} files in ${round(v.ms, 0)} ms`);
    emit({
      workload: 'vacuum',
      ratio: null,
      ratioOf: 'none: the issue asks for the times to be reported, with no target',
      target: null,
      files: numFiles,
      expiredFiles: expired,
      snapshotLoadMs: round(snap.ms),
      dryRunMs: d,
      vacuumMs: round(v.ms),
      deletedFiles: v.value.numDeletedFiles,
      build: { ms: round(t.ms) },
      loch: 'ok',
    });
  } finally {
    await loch.close();
    wd.cleanup();
  }
}

const fileName = (k) => `part-${String(k).padStart(8, '0')}-vacuum.snappy.parquet`;

/** numFiles placeholder files dated BASE_TS; version 0 adds them all, version 1 removes `expired`. */
function buildTable(delta, tableDir, numFiles, expired) {
  mkdirSync(join(tableDir, '_delta_log'), { recursive: true });
  const when = new Date(BASE_TS);
  const files = [];
  for (let k = 0; k < numFiles; k++) {
    const path = join(tableDir, fileName(k));
    const fd = openSync(path, 'w');
    writeSync(fd, 'PAR1');
    closeSync(fd);
    utimesSync(path, when, when);
    files.push({ path: fileName(k), size: 4 });
  }
  writeVersionZero(delta, tableDir, {
    id: '6f3b1a52-0000-4000-8000-000000vacuum',
    schema: SCHEMA,
    configuration: {},
    files,
  });
  const v1 = [
    {
      kind: 'commitInfo',
      value: {
        timestamp: BASE_TS + 3_600_000,
        operation: 'DELETE',
        operationParameters: {},
        engineInfo: 'loch-bench',
      },
    },
  ];
  // Every other file: the expired files are interleaved with the live ones.
  for (let k = 0; k < numFiles && v1.length <= expired; k += 2) {
    v1.push({
      kind: 'remove',
      path: fileName(k),
      deletionTimestamp: BASE_TS + 3_600_000,
      dataChange: true,
      extendedFileMetadata: true,
      partitionValues: {},
      size: 4,
    });
  }
  writeCommit(delta, tableDir, 1, v1);
}
