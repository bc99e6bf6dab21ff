import { describe, expect, it } from 'vitest';
import { isDeltaError } from '../errors.js';
import {
  actionFromCheckpointRow,
  parseActionLine,
  parseCommitText,
  serializeAction,
  serializeActions,
} from './codec.js';
import type { AddFile, Metadata, Protocol } from './types.js';

describe('action codec', () => {
  it('parses each action kind and tags it', () => {
    const text = [
      '{"commitInfo":{"timestamp":1,"operation":"WRITE"}}',
      '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}',
      '{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[]}","partitionColumns":[],"configuration":{},"createdTime":5}}',
      '{"add":{"path":"a.parquet","partitionValues":{},"size":10,"modificationTime":2,"dataChange":true}}',
      '{"remove":{"path":"b.parquet","deletionTimestamp":3,"dataChange":true}}',
      '{"txn":{"appId":"app","version":4}}',
      '{"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}',
      '{"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":1,"dataChange":false}}',
      '{"checkpointMetadata":{"version":7}}',
      '{"sidecar":{"path":"s.parquet","sizeInBytes":1,"modificationTime":1}}',
      '',
    ].join('\n');
    const actions = parseCommitText(text);
    expect(actions.map((a) => a.kind)).toEqual([
      'commitInfo',
      'protocol',
      'metaData',
      'add',
      'remove',
      'txn',
      'domainMetadata',
      'cdc',
      'checkpointMetadata',
      'sidecar',
    ]);
    expect(actions[0]).toEqual({ kind: 'commitInfo', value: { timestamp: 1, operation: 'WRITE' } });
    expect((actions[3] as AddFile).size).toBe(10);
  });

  it('ignores unknown action keys and blank lines, per the protocol', () => {
    expect(parseActionLine('{"futureAction":{"x":1}}')).toBeUndefined();
    expect(parseCommitText('\n{"someNewThing":{}}\n\n{"txn":{"appId":"a","version":1}}')).toHaveLength(1);
  });

  it('rejects malformed lines with INVALID_LOG naming the file', () => {
    let err: unknown;
    try {
      parseCommitText('{"add":{"path":"x"}}\n{not json', '_delta_log/00000000000000000003.json');
    } catch (e) {
      err = e;
    }
    expect(isDeltaError(err, 'INVALID_LOG')).toBe(true);
    expect(String((err as Error).message)).toContain('00000000000000000003.json');
    expect(() => parseActionLine('{"add":{"size":1}}')).toThrow(/path/);
    expect(() => parseActionLine('[1]')).toThrow(/JSON object/);
  });

  it('serializes back to the exact wire shape: kind stripped, undefined fields omitted', () => {
    const add: AddFile = {
      kind: 'add',
      path: 'p=1/a.parquet',
      partitionValues: { p: '1', kind: 'x' },
      size: 5,
      modificationTime: 6,
      dataChange: true,
      stats: undefined,
      tags: null,
    };
    expect(serializeAction(add)).toBe(
      '{"add":{"path":"p=1/a.parquet","partitionValues":{"p":"1","kind":"x"},"size":5,"modificationTime":6,"dataChange":true,"tags":null}}',
    );
    const protocol: Protocol = {
      kind: 'protocol',
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['columnMapping'],
      writerFeatures: ['columnMapping'],
    };
    expect(serializeAction(protocol)).toBe(
      '{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["columnMapping"],"writerFeatures":["columnMapping"]}}',
    );
    expect(serializeAction({ kind: 'commitInfo', value: { operation: 'WRITE', kind: 'keep me' } })).toBe(
      '{"commitInfo":{"operation":"WRITE","kind":"keep me"}}',
    );
  });

  it('round-trips a real commit line by line', () => {
    const line =
      '{"metaData":{"id":"7afc4b76","format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":["a"],"configuration":{"k":"v"},"createdTime":1603723990637}}';
    const parsed = parseActionLine(line) as Metadata;
    expect(serializeActions([parsed])).toBe(`${line}\n`);
  });

  it('adopts checkpoint rows: stats_parsed -> statsParsed, partitionValues_parsed dropped', () => {
    const a = actionFromCheckpointRow({
      add: {
        path: 'x',
        partitionValues: { part: '1' },
        size: 1,
        modificationTime: 1,
        dataChange: false,
        stats_parsed: { numRecords: 3 },
        partitionValues_parsed: { part: 1 },
      },
    }) as AddFile;
    expect(a.kind).toBe('add');
    expect(a.statsParsed).toEqual({ numRecords: 3 });
    expect('stats_parsed' in a || 'partitionValues_parsed' in a).toBe(false);
    // The wire form has only the string stats, rebuilt from the struct.
    expect(serializeAction(a)).toContain('"stats":"{\\"numRecords\\":3}"');
    const rebuilt = actionFromCheckpointRow({
      add: {
        path: 'y',
        size: 1,
        modificationTime: 1,
        dataChange: false,
        partitionValues_parsed: { part: 2, q: null },
      },
    }) as AddFile;
    expect(rebuilt.partitionValues).toEqual({ part: '2', q: null });
  });
});
