// The commit loop on memory:// logs: blind-append rebase, conflicts, in-commit timestamps, txn.
import { type AddFile, parseCommitText, DataType as T } from '@loch/delta';
import type { DuckEngine } from '@loch/engine-duckdb';
import { MemoryStore } from '@loch/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit } from './commit.js';
import { TableHandle } from './table-handle.js';
import { contextFor, expectDeltaError, openEngine } from './test-helpers.test-util.js';

let engine: DuckEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(async () => {
  await engine.close();
});

let n = 0;
async function freshHandle(
  properties: Record<string, string> = {},
  now?: () => number,
): Promise<TableHandle> {
  const url = `memory://commit-test-${process.pid}-${n++}`;
  MemoryStore.drop(url);
  const h = new TableHandle(contextFor(engine, now), new MemoryStore(url));
  const { createTable } = await import('./create.js');
  await createTable(h, { schema: T.struct([T.field('id', T.primitive('long'))]), properties });
  return h;
}

const fakeAdd = (name: string): AddFile => ({
  kind: 'add',
  path: `${name}.parquet`,
  partitionValues: {},
  size: 10,
  modificationTime: 1,
  dataChange: true,
});

const append = (name: string) => ({
  operation: 'WRITE',
  operationParameters: { mode: 'Append', partitionBy: '[]' },
  actions: [fakeAdd(name)],
  isBlindAppend: true,
});

describe('commit', () => {
  it('rebases a blind append over a concurrent append', async () => {
    const h = await freshHandle();
    const s0 = await h.require();
    expect((await commit(h, { ...append('a'), readSnapshot: s0 })).version).toBe(1);
    // A second writer that read version 0 as well.
    expect((await commit(h, { ...append('b'), readSnapshot: s0 })).version).toBe(2);
    const latest = await h.require();
    expect(latest.files.map((f) => f.path).sort()).toEqual(['a.parquet', 'b.parquet']);
    const text = new TextDecoder().decode(await h.store.get('_delta_log/00000000000000000002.json'));
    const info = parseCommitText(text)[0];
    expect(info).toMatchObject({ kind: 'commitInfo', value: { readVersion: 0, isBlindAppend: true } });
  });

  it('fails a non-blind commit with a conflict naming the winning version', async () => {
    const h = await freshHandle();
    const s0 = await h.require();
    await commit(h, { ...append('a'), readSnapshot: s0 });
    const e = await expectDeltaError(
      commit(h, {
        ...append('b'),
        isBlindAppend: false,
        operationParameters: { mode: 'Overwrite' },
        readSnapshot: s0,
      }),
      'CONCURRENT_MODIFICATION',
    );
    expect(e.message).toContain('version 1');
    expect(e.details.winningVersion).toBe(1);
  });

  it('fails a blind append when the winner changed the metadata', async () => {
    const h = await freshHandle();
    const s0 = await h.require();
    await commit(h, {
      operation: 'SET TBLPROPERTIES',
      operationParameters: {},
      actions: [{ ...s0.metadata, configuration: { x: 'y' } }],
      isBlindAppend: true,
      readSnapshot: s0,
    });
    const e = await expectDeltaError(
      commit(h, { ...append('a'), readSnapshot: s0 }),
      'CONCURRENT_MODIFICATION',
    );
    expect(e.message).toContain('metadata');
  });

  it('writes strictly increasing in-commit timestamps when enabled', async () => {
    const h = await freshHandle({ 'delta.enableInCommitTimestamps': 'true' }, () => 5000);
    await commit(h, { ...append('a'), readSnapshot: await h.require() });
    const s = await h.require();
    expect(s.version).toBe(1);
    expect(s.timestamp).toBe(5001);
    const text = new TextDecoder().decode(await h.store.get('_delta_log/00000000000000000001.json'));
    const first = Object.keys(JSON.parse(text.split('\n')[0] ?? '{}').commitInfo);
    expect(first[0]).toBe('inCommitTimestamp');
  });
});
