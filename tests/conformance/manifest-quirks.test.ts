import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalizeRelation, openDuckRunner, withTempDir } from '@loch/test-utils';
import { describe, expect, it } from 'vitest';
import { codeMatches, EXPECTED_ERRORS } from './expected-errors.js';
import { adjustExpected, shipsDataFiles, versionState } from './manifest-quirks.js';

describe('adjustExpected', () => {
  it('reads the data-reader-partition-values timestamp as the UTC wall clock the note prescribes', async () => {
    const db = await openDuckRunner();
    try {
      const raw = "SELECT '2021-09-08 18:11:11+00'::TIMESTAMPTZ AS as_timestamp, 1 AS other";
      const adjusted = adjustExpected('data-reader-partition-values', { kind: 'relation', sql: raw });
      if (adjusted.kind !== 'relation') throw new Error('relation expected');
      const rows = await canonicalizeRelation(db, adjusted.sql);
      expect(rows.rows).toEqual(['as_timestamp=2021-09-08T11:11:11.000000 | other=1']);
    } finally {
      await db.close();
    }
  });

  it('leaves other tables and JSON expectations alone', () => {
    const rel = { kind: 'relation', sql: 'SELECT 1' } as const;
    expect(adjustExpected('data-reader-primitives', rel)).toBe(rel);
    const json = { kind: 'json', columns: [], rows: [] } as const;
    expect(adjustExpected('data-reader-partition-values', json)).toBe(json);
  });
});

describe('versionState', () => {
  it('applies errata for the listed version only', () => {
    const raw = { live_files: 1, rows_from_stats: null };
    expect(versionState('canonicalized-paths-normal-a', 1, raw)).toEqual({
      live_files: 0,
      rows_from_stats: null,
    });
    expect(versionState('canonicalized-paths-normal-a', 0, raw)).toBe(raw);
    expect(versionState('checkpoint', 1, raw)).toBe(raw);
  });
});

describe('shipsDataFiles', () => {
  it('is false for a log-only table and true once anything else is there', async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, '_delta_log'));
      expect(shipsDataFiles(dir)).toBe(false);
      await writeFile(join(dir, 'part-0.parquet'), '');
      expect(shipsDataFiles(dir)).toBe(true);
    });
    expect(shipsDataFiles('/nonexistent/table')).toBe(false);
  });
});

describe('codeMatches', () => {
  it('accepts listed codes or a pattern, never a missing code', () => {
    expect(codeMatches(EXPECTED_ERRORS['no-delta-log-folder']!, 'TABLE_NOT_FOUND')).toBe(true);
    expect(codeMatches(EXPECTED_ERRORS['no-delta-log-folder']!, 'INVALID_LOG')).toBe(false);
    expect(
      codeMatches(EXPECTED_ERRORS['deltalog-invalid-protocol-version']!, 'UNSUPPORTED_READER_FEATURE'),
    ).toBe(true);
    expect(codeMatches(EXPECTED_ERRORS['deltalog-invalid-protocol-version']!, 'INVALID_LOG')).toBe(false);
    expect(codeMatches(EXPECTED_ERRORS['versions-not-contiguous']!, undefined)).toBe(false);
  });
});
