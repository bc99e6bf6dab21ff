import type { Protocol } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';

const legacy = (r: number, w: number): Protocol => ({
  kind: 'protocol',
  minReaderVersion: r,
  minWriterVersion: w,
});

describe('mergeProtocols', () => {
  it('takes the higher legacy versions when no side lists features', () => {
    expect(mergeProtocols(legacy(1, 2), legacy(2, 5))).toEqual(legacy(2, 5));
    expect(mergeProtocols(legacy(2, 5), legacy(1, 2))).toEqual(legacy(2, 5));
  });

  it('lists the features a legacy protocol implied when moving to table features', () => {
    const merged = mergeProtocols(legacy(2, 5), {
      kind: 'protocol',
      minReaderVersion: 1,
      minWriterVersion: 7,
      writerFeatures: ['appendOnly', 'inCommitTimestamp', 'invariants'],
    });
    expect(merged.minWriterVersion).toBe(7);
    expect(merged.minReaderVersion).toBe(2);
    expect(merged.writerFeatures).toEqual(
      expect.arrayContaining(['columnMapping', 'inCommitTimestamp', 'invariants']),
    );
  });

  it('lists only the implied legacy features in use, so unused ones do not bind writers', () => {
    const required: Protocol = {
      kind: 'protocol',
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['typeWidening'],
      writerFeatures: ['appendOnly', 'invariants', 'typeWidening'],
    };
    const merged = mergeProtocols(legacy(2, 5), required, ['columnMapping', 'typeWidening']);
    expect(merged.readerFeatures).toEqual(['columnMapping', 'typeWidening']);
    expect(merged.writerFeatures).toEqual(['appendOnly', 'columnMapping', 'invariants', 'typeWidening']);
    const withChecks = mergeProtocols(legacy(1, 4), required, ['checkConstraints', 'typeWidening']);
    expect(withChecks.writerFeatures).toContain('checkConstraints');
    expect(withChecks.writerFeatures).not.toContain('generatedColumns');
  });

  it('keeps reader features at reader version 3 and mirrors them as writer features', () => {
    const merged = mergeProtocols(legacy(1, 2), {
      kind: 'protocol',
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['typeWidening'],
      writerFeatures: ['typeWidening'],
    });
    expect(merged).toEqual({
      kind: 'protocol',
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['typeWidening'],
      writerFeatures: ['appendOnly', 'invariants', 'typeWidening'],
    });
    expect(sameProtocol(merged, mergeProtocols(merged, legacy(1, 1)))).toBe(true);
    expect(sameProtocol(merged, legacy(1, 2))).toBe(false);
  });
});
