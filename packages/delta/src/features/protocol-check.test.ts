import { describe, expect, it } from 'vitest';
import type { Protocol } from '../actions/types.js';
import { type DeltaErrorCode, isDeltaError } from '../errors.js';
import { DataType, type StructType } from '../schema/types.js';
import { checkReadSupport, checkWriteSupport, hasFeature, protocolFor } from './protocol-check.js';
import { TABLE_FEATURES } from './table-features.js';

const proto = (r: number, w: number, readerFeatures?: string[], writerFeatures?: string[]): Protocol => ({
  kind: 'protocol',
  minReaderVersion: r,
  minWriterVersion: w,
  ...(readerFeatures ? { readerFeatures } : {}),
  ...(writerFeatures ? { writerFeatures } : {}),
});

const failure = (fn: () => void): { code: DeltaErrorCode; message: string } | undefined => {
  try {
    fn();
  } catch (e) {
    if (isDeltaError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  return undefined;
};

const schema = (...types: DataType[]): StructType =>
  DataType.struct(types.map((t, i) => DataType.field(`c${i}`, t)));

describe('table feature descriptors', () => {
  it('has one record per name', () => {
    const names = TABLE_FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [
      'deletionVectors',
      'columnMapping',
      'v2Checkpoint',
      'typeWidening-preview',
      'variantType',
      'materializePartitionColumns',
    ]) {
      expect(names).toContain(n);
    }
  });
});

describe('checkReadSupport', () => {
  it('accepts legacy and feature-list protocols with supported features', () => {
    expect(failure(() => checkReadSupport(proto(1, 2)))).toBeUndefined();
    expect(failure(() => checkReadSupport(proto(2, 5)))).toBeUndefined();
    expect(
      failure(() =>
        checkReadSupport(
          proto(3, 7, [
            'deletionVectors',
            'columnMapping',
            'timestampNtz',
            'v2Checkpoint',
            'vacuumProtocolCheck',
            'typeWidening',
            'variantType-preview',
          ]),
        ),
      ),
    ).toBeUndefined();
  });

  it('names an unknown or unsupported reader feature', () => {
    expect(failure(() => checkReadSupport(proto(3, 7, ['fancyNewThing'])))).toEqual({
      code: 'UNSUPPORTED_READER_FEATURE',
      message: expect.stringContaining("'fancyNewThing'"),
    });
    expect(failure(() => checkReadSupport(proto(3, 7, ['variantShredding'])))?.code).toBe(
      'UNSUPPORTED_READER_FEATURE',
    );
  });

  it('refuses reader versions above 3', () => {
    expect(failure(() => checkReadSupport(proto(99, 7)))).toEqual({
      code: 'UNSUPPORTED_PROTOCOL_VERSION',
      message: expect.stringContaining('99'),
    });
  });

  it('ignores unknown writer-only features when reading', () => {
    expect(failure(() => checkReadSupport(proto(1, 7, undefined, ['someWriterThing'])))).toBeUndefined();
  });
});

describe('checkWriteSupport', () => {
  it('accepts legacy writer versions and supported features', () => {
    expect(failure(() => checkWriteSupport(proto(1, 2)))).toBeUndefined();
    expect(failure(() => checkWriteSupport(proto(1, 4)))).toBeUndefined();
    expect(
      failure(() =>
        checkWriteSupport(proto(3, 7, ['deletionVectors'], ['deletionVectors', 'appendOnly', 'invariants'])),
      ),
    ).toBeUndefined();
  });

  it('names writer features it cannot keep', () => {
    expect(failure(() => checkWriteSupport(proto(1, 7, undefined, ['rowTracking'])))).toEqual({
      code: 'UNSUPPORTED_WRITER_FEATURE',
      message: expect.stringContaining("'rowTracking'"),
    });
    expect(failure(() => checkWriteSupport(proto(1, 8)))?.code).toBe('UNSUPPORTED_PROTOCOL_VERSION');
  });
});

describe('protocolFor', () => {
  const plain = schema(DataType.primitive('long'));
  it('is (1,2) for a plain table and with checkpointInterval only', () => {
    expect(protocolFor({}, plain)).toEqual(proto(1, 2));
    expect(protocolFor({ 'delta.checkpointInterval': '5' }, plain)).toEqual(proto(1, 2));
  });

  it('uses legacy versions for legacy features', () => {
    expect(protocolFor({ 'delta.enableChangeDataFeed': 'true' }, plain)).toEqual(proto(1, 4));
    expect(protocolFor({ 'delta.columnMapping.mode': 'name' }, plain)).toEqual(proto(2, 5));
    expect(protocolFor({ 'delta.appendOnly': 'true' }, plain)).toEqual(proto(1, 2));
  });

  it('uses (3,7) with lists for newer reader features', () => {
    const p = protocolFor(
      { 'delta.columnMapping.mode': 'name' },
      schema(DataType.primitive('timestamp_ntz')),
    );
    expect(p).toEqual(
      proto(
        3,
        7,
        ['columnMapping', 'timestampNtz'],
        ['appendOnly', 'columnMapping', 'invariants', 'timestampNtz'],
      ),
    );
    expect(hasFeature(p, 'timestampNtz')).toBe(true);
    expect(protocolFor({ 'delta.enableDeletionVectors': 'true' }, plain)).toEqual(
      proto(3, 7, ['deletionVectors'], ['appendOnly', 'deletionVectors', 'invariants']),
    );
  });

  it('uses (1,7) for writer-only new features, and finds nested ntz', () => {
    expect(protocolFor({ 'delta.enableInCommitTimestamps': 'true' }, plain)).toEqual(
      proto(1, 7, undefined, ['appendOnly', 'inCommitTimestamp', 'invariants']),
    );
    const nested = schema(
      DataType.array(DataType.struct([DataType.field('t', DataType.primitive('timestamp_ntz'))])),
    );
    expect(protocolFor({}, nested).readerFeatures).toEqual(['timestampNtz']);
    expect(protocolFor({ 'delta.feature.domainMetadata': 'supported' }, plain).writerFeatures).toContain(
      'domainMetadata',
    );
  });
});
