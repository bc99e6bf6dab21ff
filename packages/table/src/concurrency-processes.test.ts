// Many real writer processes on one table at once. Nothing acknowledged may be lost, nothing may
// be applied twice, and the table must load cleanly afterwards: blind appends rebase on each
// other, UPDATEs re-run on conflicts, SIGKILLed writers leave no torn commit, and a txn-tagged
// batch sent by two processes is applied once.
// LOCH_CONCURRENCY_APPENDS sets the appends per process of the 8-writer test (default 100).
import { type ChildProcess, spawn } from 'node:child_process';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType as T } from '@loch/delta';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildTablePackage,
  commitActions,
  plain,
  tableAt,
  useTableFixture,
} from './test-helpers.test-util.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../../..');
const WRITERS = 8;
const APPENDS = Number(process.env.LOCH_CONCURRENCY_APPENDS ?? 100);

// The child processes run the built packages: make sure dist/ is current.
beforeAll(buildTablePackage, 120_000);
const fx = useTableFixture({ scope: 'file' });

interface Child {
  readonly process: ChildProcess;
  /** Every stdout line so far (acknowledged commits once the child is released). */
  readonly lines: string[];
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  stderr: string;
}

/** Starts a child script; `ready` resolves on its 'ready' line (it then waits for stdin). */
function start(script: string, args: readonly string[]): Child {
  const proc = spawn(process.execPath, [nodePath.join(here, script), ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  let onReady: () => void = () => {};
  const child: Child = {
    process: proc,
    lines,
    ready: new Promise<void>((resolve) => {
      onReady = resolve;
    }),
    exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))),
    stderr: '',
  };
  proc.stderr?.on('data', (d: Buffer) => {
    child.stderr += d.toString();
  });
  proc.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') onReady();
      else lines.push(line);
    }
  });
  return child;
}

/** Waits until every child is ready, then releases them all at once. */
async function release(children: readonly Child[]): Promise<void> {
  await Promise.race([
    Promise.all(children.map((c) => c.ready)),
    Promise.all(children.map((c) => c.exited)).then(() => {
      throw new Error(`a child exited before it was ready: ${children.map((c) => c.stderr).join('\n')}`);
    }),
  ]);
  for (const c of children) c.process.stdin?.write('go\n');
}

async function finish(c: Child): Promise<void> {
  const code = await c.exited;
  expect(code, c.stderr).toBe(0);
}

/** (writer, i) keys and versions of the 'committed <version> <writer> <i>' lines. */
function acknowledged(children: readonly Child[]): { keys: string[]; versions: number[] } {
  const keys: string[] = [];
  const versions: number[] = [];
  for (const c of children) {
    for (const line of c.lines) {
      const m = /^committed (\d+) (\d+) (\d+)$/u.exec(line);
      if (m === null) continue;
      versions.push(Number(m[1]));
      keys.push(`${m[2]}/${m[3]}`);
    }
  }
  return { keys, versions };
}

async function keysIn(location: string): Promise<Map<string, number>> {
  const table = tableAt(fx.ctx, location); // a fresh reader: nothing cached
  const scan = await table.scanSql();
  const result = await fx.engine.query(
    `SELECT writer::VARCHAR || '/' || i::VARCHAR AS k, count(*) AS n FROM (${scan}) GROUP BY k`,
  );
  return new Map(result.rows.map((r) => [String(r[0]), Number(r[1])]));
}

const appendSchema = T.struct([
  T.field('writer', T.primitive('integer')),
  T.field('i', T.primitive('integer')),
]);

describe('concurrent writer processes', () => {
  it(`${WRITERS} processes x ${APPENDS} appends give exactly ${WRITERS * APPENDS} commits and rows`, async () => {
    const location = nodePath.join(fx.dir, 'appends');
    await tableAt(fx.ctx, location).create({ schema: appendSchema });
    const children = Array.from({ length: WRITERS }, (_, w) =>
      start('concurrent-writer.mjs', ['append', location, String(w), String(APPENDS)]),
    );
    await release(children);
    for (const c of children) await finish(c);

    const total = WRITERS * APPENDS;
    const { keys, versions } = acknowledged(children);
    expect(keys).toHaveLength(total);
    // Every acknowledged commit has its own version, and together they are exactly 1..total.
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    const table = tableAt(fx.ctx, location);
    const snapshot = await table.snapshot();
    expect(snapshot.version).toBe(total);
    expect(snapshot.files).toHaveLength(total);
    const found = await keysIn(location);
    expect(found.size).toBe(total);
    for (const k of keys) expect(found.get(k), `row ${k}`).toBe(1);
    // One add per data commit: no commit lost its actions or carries another writer's.
    for (const v of [1, Math.ceil(total / 2), total]) {
      expect((await commitActions(location, v)).filter((a) => a.kind === 'add')).toHaveLength(1);
    }
    const history = await table.history();
    expect(history.filter((h) => h.operation === 'WRITE')).toHaveLength(total);
  }, 180_000);

  it('concurrent UPDATEs lose no update while other processes append (deletion vectors)', async () => {
    const updaters = 4;
    const increments = 3;
    const appenders = 2;
    const appends = 10;
    const location = nodePath.join(fx.dir, 'updates');
    const t = tableAt(fx.ctx, location);
    await t.write('SELECT range::INTEGER AS writer, 0::INTEGER AS i, 0 AS v FROM range(2)', {
      mode: 'errorIfExists',
      properties: { 'delta.enableDeletionVectors': 'true' },
    });
    // Appenders write rows with writer >= 100 and v = 0, never matching the UPDATE's predicate.
    const appending = Array.from({ length: appenders }, (_, w) =>
      start('concurrent-writer.mjs', ['append', location, String(100 + w), String(appends)]),
    );
    const updating = Array.from({ length: updaters }, () =>
      start('concurrent-writer.mjs', ['update', location, String(increments)]),
    );
    await release([...appending, ...updating]);
    for (const c of [...appending, ...updating]) await finish(c);

    const updateVersions = updating.flatMap((c) => c.lines.filter((l) => l.startsWith('updated ')));
    expect(updateVersions).toHaveLength(updaters * increments);
    const rows = plain(await tableAt(fx.ctx, location).toArray({ orderBy: ['writer', 'i'] })).filter(
      (r) => Number(r.writer) < 100,
    );
    expect(rows).toEqual([
      { writer: 0, i: 0, v: updaters * increments },
      { writer: 1, i: 0, v: 0 },
    ]);
    const found = await keysIn(location);
    for (const k of acknowledged(appending).keys) expect(found.get(k), `row ${k}`).toBe(1);
    expect(found.size).toBe(2 + appenders * appends);
    const history = await t.history();
    expect(history.filter((h) => h.operation === 'UPDATE')).toHaveLength(updaters * increments);
  }, 120_000);

  it('writers SIGKILLed at random points amid other writers lose no acknowledged commit', async () => {
    const location = nodePath.join(fx.dir, 'killed');
    const ctx = fx.ctx;
    await tableAt(ctx, location).create({
      schema: appendSchema,
      // Checkpoint often so kills also land in checkpoint writes.
      properties: { 'delta.checkpointInterval': '5' },
    });
    const acked = new Set<string>();
    let writer = 0;
    for (let round = 0; round < 3; round++) {
      const children = Array.from({ length: 3 }, () =>
        start('concurrent-writer.mjs', ['append', location, String(writer++), '0', '60']),
      );
      await release(children);
      // Kill them one by one at random moments while the others keep committing.
      for (const c of children) {
        await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 500)));
        c.process.kill('SIGKILL');
        await c.exited;
      }
      for (const k of acknowledged(children).keys) acked.add(k);

      const table = tableAt(ctx, location);
      const snapshot = await table.snapshot();
      const found = await keysIn(location);
      for (const k of acked) expect(found.get(k), `acknowledged row ${k}`).toBe(1);
      for (const [k, n] of found) expect(n, `row ${k}`).toBe(1);
      expect(snapshot.files.length).toBe(found.size);
      expect(await table.history()).toHaveLength(snapshot.version + 1);
    }
    expect(acked.size).toBeGreaterThan(0);
  }, 120_000);

  it('a txn batch sent by two processes at once is applied once', async () => {
    const location = nodePath.join(fx.dir, 'txn');
    const t = tableAt(fx.ctx, location);
    await t.create({
      schema: T.struct([T.field('tag', T.primitive('string')), T.field('i', T.primitive('integer'))]),
    });
    const rounds = 4;
    for (let version = 1; version <= rounds; version++) {
      const children = ['a', 'b'].map((tag) =>
        start('concurrent-writer.mjs', ['txn', location, 'loader', String(version), `${version}${tag}`, '5']),
      );
      await release(children);
      for (const c of children) await finish(c);
      const outcomes = children.map((c) => c.lines.at(-1)?.split(' ')[0]).sort();
      expect(outcomes).toEqual(['committed', 'skipped']);
    }
    // A late replay of an old batch is skipped too.
    const late = start('concurrent-writer.mjs', ['txn', location, 'loader', '2', 'late', '5']);
    await release([late]);
    await finish(late);
    expect(late.lines.at(-1)?.split(' ')[0]).toBe('skipped');

    const tags = await fx.engine.query(
      `SELECT left(tag, 1) AS v, count(*) AS n FROM (${await t.scanSql()}) GROUP BY v ORDER BY v`,
    );
    expect(tags.rows.map((r) => [String(r[0]), Number(r[1])])).toEqual(
      Array.from({ length: rounds }, (_, i) => [String(i + 1), 5]),
    );
    const snapshot = await tableAt(fx.ctx, location).snapshot();
    expect(snapshot.version).toBe(rounds);
    expect(snapshot.txns.get('loader')?.version).toBe(rounds);
  }, 120_000);
});
