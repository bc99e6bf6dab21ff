// concurrent-commits: W writer processes (default 4) append one row per commit to one Delta table
// as fast as they can for S seconds (default 20; --quick 5), all released at the same moment.
// Reported: commits/s in total and per writer, lost commit races (putIfAbsent of a log entry
// another writer took first, i.e. automatic rebase-and-retry rounds), and the check that the final
// table holds exactly the acknowledged commits: its version equals their count, every
// acknowledged (writer, i) row is present once, nothing else is there. For context, one writer
// alone runs for S/2 seconds first (`--no-single` skips it).
// Target: zero lost or duplicated commits (`ratio` = 0 when met, else the number lost + duplicated).
// The writers are packages/table/src/concurrent-writer.mjs (built packages, default settings:
// checkpoints every 100 commits, written by the committing writer).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, emit, log, nowMs, round, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';

const WRITER = join(BENCH_DIR, '..', 'packages', 'table', 'src', 'concurrent-writer.mjs');

/** Runs `writers` append processes for `seconds`; resolves with what each acknowledged. */
async function runWriters(dir, writers, seconds, firstWriter) {
  const children = [];
  for (let w = 0; w < writers; w++) {
    const proc = spawn(
      process.execPath,
      [WRITER, 'append', dir, String(firstWriter + w), '0', String(seconds)],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const child = { proc, acked: [], lostRaces: 0, stderr: '', done: false };
    let buffered = '';
    child.ready = new Promise((resolve) => {
      proc.stdout.on('data', (d) => {
        buffered += d.toString();
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line === 'ready') resolve();
          const m = /^committed (\d+) (\d+) (\d+)$/.exec(line);
          if (m) child.acked.push({ version: Number(m[1]), key: `${m[2]}/${m[3]}` });
          const d2 = /^done (\d+)$/.exec(line);
          if (d2) {
            child.done = true;
            child.lostRaces = Number(d2[1]);
          }
        }
      });
    });
    proc.stderr.on('data', (d) => {
      child.stderr += d.toString();
    });
    child.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    children.push(child);
  }
  await Promise.all(children.map((c) => c.ready));
  const t0 = nowMs();
  for (const c of children) c.proc.stdin.write('go\n');
  const codes = await Promise.all(children.map((c) => c.exited));
  const elapsedMs = nowMs() - t0;
  codes.forEach((code, i) => {
    if (code !== 0 || !children[i].done) {
      throw new Error(`writer ${i} exited with ${code}: ${children[i].stderr.slice(-2000)}`);
    }
  });
  const commits = children.reduce((n, c) => n + c.acked.length, 0);
  return {
    children,
    elapsedMs,
    commits,
    commitsPerSec: round(commits / (elapsedMs / 1000), 1),
    perWriter: children.map((c) => c.acked.length),
    lostRaces: children.reduce((n, c) => n + c.lostRaces, 0),
  };
}

export async function run(opts) {
  const writers = typeof opts.writers === 'number' ? opts.writers : 4;
  const seconds = typeof opts.seconds === 'number' ? opts.seconds : opts.quick ? 5 : 20;
  const wd = workDir('concurrent-commits', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  const T = loch.delta.DataType;
  const schema = T.struct([T.field('writer', T.primitive('integer')), T.field('i', T.primitive('integer'))]);
  try {
    let single;
    if (opts.single !== false && opts.noSingle !== true) {
      const dir = join(wd.dir, 'single');
      await loch.DeltaTable.forPath(loch.ctx, dir).create({ schema });
      const s = await runWriters(dir, 1, seconds / 2, 0);
      single = { seconds: seconds / 2, commits: s.commits, commitsPerSec: s.commitsPerSec };
      log(
        `[concurrent-commits] 1 writer: ${s.commits} commits in ${round(s.elapsedMs, 0)} ms (${s.commitsPerSec}/s)`,
      );
    }

    const dir = join(wd.dir, 'table');
    await loch.DeltaTable.forPath(loch.ctx, dir).create({ schema });
    log(`[concurrent-commits] ${writers} writers for ${seconds} s`);
    const r = await runWriters(dir, writers, seconds, 0);
    log(
      `[concurrent-commits] ${r.commits} commits in ${round(r.elapsedMs, 0)} ms (${r.commitsPerSec}/s), lost races ${r.lostRaces}, per writer ${r.perWriter.join(' ')}`,
    );

    // Verify with a fresh reader: nothing lost, nothing duplicated, nothing unacknowledged.
    const table = loch.DeltaTable.forPath(loch.ctx, dir);
    const snapshot = await table.snapshot();
    const res = await loch.engine.query(
      `SELECT writer::VARCHAR || '/' || i::VARCHAR AS k, count(*) AS n FROM (${await table.scanSql()}) GROUP BY k`,
    );
    const found = new Map(res.rows.map((row) => [String(row[0]), Number(row[1])]));
    const acked = r.children.flatMap((c) => c.acked);
    const versions = new Set(acked.map((a) => a.version));
    const lost = acked.filter((a) => !found.has(a.key)).length;
    const duplicated = [...found.values()].filter((n) => n > 1).length;
    const ackedKeys = new Set(acked.map((a) => a.key));
    const unacknowledged = [...found.keys()].filter((k) => !ackedKeys.has(k)).length;
    const verification = {
      tableVersion: snapshot.version,
      files: snapshot.files.length,
      rows: [...found.values()].reduce((a, b) => a + b, 0),
      acknowledgedCommits: acked.length,
      distinctAcknowledgedVersions: versions.size,
      lost,
      duplicated,
      unacknowledged,
      ok:
        lost === 0 &&
        duplicated === 0 &&
        unacknowledged === 0 &&
        versions.size === acked.length &&
        snapshot.version === acked.length,
    };
    log(`[concurrent-commits] verification ${JSON.stringify(verification)}`);
    emit({
      workload: 'concurrent-commits',
      ratioOf:
        'lost + duplicated + unacknowledged rows, +1 if the table version differs from the acknowledged commit count (0 = target met; throughput is reported, not targeted)',
      ratio: lost + duplicated + unacknowledged + (verification.ok ? 0 : 1),
      target: { lost: 0 },
      writers,
      seconds,
      elapsedMs: round(r.elapsedMs, 0),
      commits: r.commits,
      commitsPerSec: r.commitsPerSec,
      perWriter: r.perWriter,
      lostRaces: r.lostRaces,
      lostRacesPerCommit: round(r.lostRaces / Math.max(1, r.commits), 3),
      single,
      verification,
    });
  } finally {
    await loch.close();
    wd.cleanup();
  }
}
