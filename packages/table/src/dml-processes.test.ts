// Real processes updating the same row at once: every increment lands exactly once, because a
// conflicting UPDATE fails at commit (never overwrites) and is re-run on the newer snapshot.
import { execFile } from 'node:child_process';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DuckEngine } from '@loch/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, openEngine, plain, removeDir, tableAt, tempDir } from './test-helpers.test-util.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../../..');
const PROCESSES = 3;
const INCREMENTS = 4;

let engine: DuckEngine;
let dir: string;

beforeAll(async () => {
  // The children run the built packages: make sure dist/ is current.
  await promisify(execFile)(nodePath.join(repoRoot, 'node_modules/.bin/tsc'), ['-b', 'packages/table'], {
    cwd: repoRoot,
  });
  engine = await openEngine();
  dir = await tempDir();
}, 120_000);
afterAll(async () => {
  await engine?.close();
  if (dir !== undefined) await removeDir(dir);
});

describe('concurrent UPDATE processes', () => {
  it.each([
    ['copy-on-write', 'false'],
    ['deletion vectors', 'true'],
  ])(
    'lose no update (%s)',
    async (_mode, dv) => {
      const location = nodePath.join(dir, `t-${dv}`);
      const t = tableAt(contextFor(engine), location);
      await t.write('SELECT range AS id, 0 AS v FROM range(3)', {
        mode: 'errorIfExists',
        properties: { 'delta.enableDeletionVectors': dv },
      });
      const runs = Array.from({ length: PROCESSES }, () =>
        promisify(execFile)(
          process.execPath,
          [nodePath.join(here, 'dml-writer.mjs'), location, String(INCREMENTS)],
          {
            cwd: repoRoot,
          },
        ),
      );
      const outputs = await Promise.all(runs);
      const versions = outputs.flatMap((o) =>
        o.stdout
          .trim()
          .split('\n')
          .map((l) => Number(l.split(' ')[1])),
      );
      // Every acknowledged update has its own version.
      expect(new Set(versions).size).toBe(PROCESSES * INCREMENTS);
      const rows = plain(await tableAt(contextFor(engine), location).toArray({ orderBy: ['id'] }));
      expect(rows).toEqual([
        { id: 0, v: 0 },
        { id: 1, v: PROCESSES * INCREMENTS },
        { id: 2, v: 0 },
      ]);
      const history = await t.history();
      expect(history.filter((h) => h.operation === 'UPDATE')).toHaveLength(PROCESSES * INCREMENTS);
    },
    120_000,
  );
});
