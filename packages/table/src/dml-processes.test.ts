// Real processes updating the same row at once: every increment lands exactly once, because a
// conflicting UPDATE fails at commit (never overwrites) and is re-run on the newer snapshot.
import { execFile } from 'node:child_process';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTablePackage, plain, tableAt, useTableFixture } from './test-helpers.test-util.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../../..');
const PROCESSES = 3;
const INCREMENTS = 4;

// The child processes run the built packages: make sure dist/ is current.
beforeAll(buildTablePackage, 120_000);
const fx = useTableFixture({ scope: 'file' });

describe('concurrent UPDATE processes', () => {
  it.each([
    ['copy-on-write', 'false'],
    ['deletion vectors', 'true'],
  ])(
    'lose no update (%s)',
    async (_mode, dv) => {
      const location = nodePath.join(fx.dir, `t-${dv}`);
      const t = tableAt(fx.ctx, location);
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
      const rows = plain(await tableAt(fx.ctx, location).toArray({ orderBy: ['id'] }));
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
