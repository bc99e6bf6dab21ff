import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from './duck-engine.js';
import { isEngineError } from './errors.js';
import { InterruptScope } from './interrupt-scope.js';

// Long enough (about a second here) that an interrupt after 50 ms is clearly not its completion.
const LONG = 'SELECT count(*) AS n FROM range(100000000) t1(x), range(3) t2(y) WHERE x % 7 = y';

const elapsed = async (fn: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> => {
  const started = performance.now();
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  return { ms: performance.now() - started, error };
};

describe('InterruptScope', () => {
  let engine: DuckEngine;
  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 2, threads: 2 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('interrupts the running query long before it would finish; the engine keeps working', async () => {
    const full = await elapsed(() => engine.query(LONG));
    expect(full.error).toBeUndefined();

    const scope = new InterruptScope();
    setTimeout(() => scope.interrupt('cancel request'), 50);
    const cut = await elapsed(() => scope.run(() => engine.query(LONG)));
    expect(isEngineError(cut.error, 'INTERRUPTED')).toBe(true);
    expect(cut.ms).toBeLessThan(full.ms / 3);

    // Both pooled connections answer afterwards: the interrupt flag did not stay behind.
    const after = await Promise.all([engine.query('SELECT 1 AS a'), engine.query('SELECT 2 AS a')]);
    expect(after.map((r) => Number(r.rows[0]![0]))).toEqual([1, 2]);
  });

  it('interrupts only its own statement', async () => {
    const scope = new InterruptScope();
    const mine = elapsed(() => scope.run(() => engine.query(LONG)));
    const other = engine.query('SELECT count(*) AS n FROM range(1000000)');
    setTimeout(() => scope.interrupt(), 50);
    expect(isEngineError((await mine).error, 'INTERRUPTED')).toBe(true);
    expect(Number((await other).rows[0]![0])).toBe(1_000_000);
  });

  it('leaves detached work alone: shared work finishes though the statement that started it stops', async () => {
    const scope = new InterruptScope();
    let shared: Promise<unknown> | undefined;
    const mine = elapsed(() =>
      scope.run(async () => {
        shared = InterruptScope.detached(() => engine.query('SELECT count(*) AS n FROM range(20000000)'));
        await engine.query(LONG);
      }),
    );
    setTimeout(() => scope.interrupt(), 20);
    expect(isEngineError((await mine).error, 'INTERRUPTED')).toBe(true);
    expect(Number(((await shared) as { rows: unknown[][] }).rows[0]![0])).toBe(20_000_000);
  });

  it('takes a queued statement out of the pool queue and fails later engine calls at once', async () => {
    const single = await DuckEngine.create({ connections: 1, threads: 1 });
    try {
      const holder = single.query(
        'SELECT count(*) FROM range(40000000) t1(x), range(3) t2(y) WHERE x % 7 = y',
      );
      const scope = new InterruptScope();
      const queued = elapsed(() => scope.run(() => single.query('SELECT 1')));
      const holderDone = elapsed(() => holder);
      setTimeout(() => scope.interrupt(), 20);
      const q = await queued;
      expect(isEngineError(q.error, 'INTERRUPTED')).toBe(true);
      // It left the queue: it did not wait for the holder's query.
      const h = await holderDone;
      expect(h.error).toBeUndefined();
      expect(q.ms).toBeLessThan(h.ms);
      const again = await elapsed(() => scope.run(() => single.query('SELECT 1')));
      expect(isEngineError(again.error, 'INTERRUPTED')).toBe(true);
      expect(Number((await single.query('SELECT 3')).rows[0]![0])).toBe(3);
    } finally {
      await single.close();
    }
  });
});
