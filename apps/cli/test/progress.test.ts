// The progress bar: its rendering, and that a real engine with trackProgress reports how far a
// scan of a Delta table is while the statement runs (and reports nothing without it).
import { InterruptScope } from '@loch/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loch, openLoch } from '../src/api.js';
import { type Progress, progressLine } from '../src/shell-progress.js';
import { tempDir } from './helpers.js';

describe('progressLine', () => {
  it('draws a bar with the percentage and time when progress is known', () => {
    const line = progressLine(3200, 0, { percentage: 50, rowsProcessed: 1, totalRows: 2 });
    expect(line).toBe(`${'█'.repeat(15)}${'░'.repeat(15)}  50% 3.2 s`);
    expect(progressLine(0, 0, { percentage: 100, rowsProcessed: 10, totalRows: 10 })).toBe(
      `${'█'.repeat(30)} 100% 0.0 s`,
    );
  });

  it('falls back to a spinner with the elapsed time', () => {
    expect(progressLine(1500, 1, undefined)).toBe('⠙ running… 1.5 s');
  });
});

describe('query progress from the engine', () => {
  let dir: string;
  let cleanup: () => void;
  const opened: Loch[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const loch = await openLoch({ warehouse: dir, catalog: false, threads: 1 });
    opened.push(loch);
    await loch.sql(
      'CREATE TABLE delta.`big` AS SELECT range AS id, md5(range::VARCHAR) AS s FROM range(3000000)',
    );
  });
  afterAll(async () => {
    for (const l of opened) await l.close();
    cleanup();
  });

  /** Runs a slow scan of the table in a scope and samples scope.progress() meanwhile. */
  const sample = async (loch: Loch): Promise<Progress[]> => {
    const scope = new InterruptScope();
    const seen: Progress[] = [];
    let done = false;
    const work = scope
      .run(() => loch.sql('SELECT count(DISTINCT s || id::VARCHAR) AS n FROM delta.`big`'))
      .finally(() => {
        done = true;
      });
    while (!done) {
      const p = scope.progress();
      if (p !== undefined) seen.push(p);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await work).toEqual([{ n: 3000000 }]);
    return seen;
  };

  it('reports a percentage while a scan runs, with trackProgress', async () => {
    const loch = await openLoch({ warehouse: dir, catalog: false, threads: 1, trackProgress: true });
    opened.push(loch);
    const seen = await sample(loch);
    for (const p of seen) {
      expect(p.percentage).toBeGreaterThanOrEqual(0);
      expect(p.percentage).toBeLessThanOrEqual(100);
    }
    // Samples taken while the scan runs show it part-way (not only 0 before and 100 after).
    expect(seen.some((p) => p.percentage > 0 && p.percentage < 100)).toBe(true);
  });

  it('reports nothing without it', async () => {
    expect(await sample(opened[0]!)).toEqual([]);
  });
});
