import { describe, expect, it } from 'vitest';
import { parseCommitText } from '../actions/codec.js';
import type { Action, AddFile, Metadata, Protocol, RemoveFile } from '../actions/types.js';
import { replayLog } from '../replay/replay.js';
import { CHECKPOINT_SCHEMA } from './checkpoint-schema.js';
import { checkpointRows, commitBytes, commitText, lastCheckpointJson } from './commit-assembly.js';

const protocol: Protocol = { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 2 };
const metadata: Metadata = {
  kind: 'metaData',
  id: 't',
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[]}',
  partitionColumns: [],
  configuration: {},
};
const add = (path: string): AddFile => ({
  kind: 'add',
  path,
  partitionValues: {},
  size: 1,
  modificationTime: 0,
  dataChange: true,
});

describe('commit assembly', () => {
  it('puts commitInfo first and round-trips through the parser', () => {
    const actions: Action[] = [
      protocol,
      metadata,
      add('a'),
      { kind: 'commitInfo', value: { operation: 'CREATE TABLE' } },
    ];
    const text = commitText(actions);
    expect(text.split('\n')[0]).toBe('{"commitInfo":{"operation":"CREATE TABLE"}}');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseCommitText(text).map((a) => a.kind)).toEqual(['commitInfo', 'protocol', 'metaData', 'add']);
    expect(new TextDecoder().decode(commitBytes(actions))).toBe(text);
  });

  it('refuses two commitInfo actions', () => {
    const ci: Action = { kind: 'commitInfo', value: {} };
    expect(() => commitText([ci, ci])).toThrow(/one commitInfo/);
  });

  it('checkpoint rows hold protocol, metadata, txns, domains, live adds and kept removes', () => {
    const rm: RemoveFile = { kind: 'remove', path: 'b', deletionTimestamp: 9, dataChange: true };
    const s = replayLog({
      logSegment: { version: 1, commits: [], compactions: [] },
      batches: [
        [
          rm,
          add('c'),
          { kind: 'txn', appId: 'x', version: 1 },
          { kind: 'domainMetadata', domain: 'gone', configuration: '', removed: true },
        ],
        [
          protocol,
          metadata,
          add('a'),
          add('b'),
          { kind: 'domainMetadata', domain: 'gone', configuration: '', removed: false },
        ],
      ],
      fileTimestamp: 10,
    });
    const rows = checkpointRows(s);
    expect(
      rows.map((r) => (r.kind === 'add' || r.kind === 'remove' ? `${r.kind}:${r.path}` : r.kind)).sort(),
    ).toEqual(['add:a', 'add:c', 'metaData', 'protocol', 'remove:b', 'txn'].sort());
    for (const r of rows) if (r.kind === 'add' || r.kind === 'remove') expect(r.dataChange).toBe(false);
  });

  it('has a checkpoint column for every action a checkpoint row can hold', () => {
    expect(CHECKPOINT_SCHEMA.fields.map((f) => f.name)).toEqual([
      'txn',
      'add',
      'remove',
      'metaData',
      'protocol',
      'domainMetadata',
    ]);
    const add = CHECKPOINT_SCHEMA.fields.find((f) => f.name === 'add')?.type;
    expect(add?.kind === 'struct' && add.fields.map((f) => f.name)).toContain('stats');
  });

  it('writes _last_checkpoint JSON', () => {
    expect(lastCheckpointJson({ version: 10, size: 14 })).toBe('{"version":10,"size":14}');
    expect(lastCheckpointJson({ version: 10, size: 14, parts: 2, sizeInBytes: 100, numOfAddFiles: 7 })).toBe(
      '{"version":10,"size":14,"parts":2,"sizeInBytes":100,"numOfAddFiles":7}',
    );
  });
});
