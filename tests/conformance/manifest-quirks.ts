// Places where the catalogue's raw data and its own notes disagree; the notes/facts win, and each
// override says why. Kept apart from the suite so every deviation from the manifest is visible here.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectedRows, VersionState } from '@loch/test-utils';

export interface ExpectedAdjustment {
  readonly reason: string;
  /** Rewrites the expected relation's SQL (parquet-dir expectations only). */
  readonly relation: (sql: string) => string;
}

export const EXPECTED_ADJUSTMENTS: Readonly<Record<string, ExpectedAdjustment>> = {
  'data-reader-partition-values': {
    reason:
      'manifest note: Spark wrote expected/ with an America/Los_Angeles session zone; the partition value ' +
      "'2021-09-08 11:11:11' must read as 2021-09-08T11:11:11Z, so the expected instant is shifted back to that wall clock in UTC",
    relation: (sql) =>
      `SELECT * REPLACE (timezone('UTC', timezone('America/Los_Angeles', as_timestamp)) AS as_timestamp) FROM (${sql})`,
  },
};

export function adjustExpected(table: string, expected: ExpectedRows): ExpectedRows {
  const adjustment = EXPECTED_ADJUSTMENTS[table];
  if (adjustment === undefined || expected.kind !== 'relation') return expected;
  return { kind: 'relation', sql: adjustment.relation(expected.sql) };
}

/** Corrections to `per_version_state`, by table and version. */
export const STATE_ERRATA: Readonly<
  Record<
    string,
    { readonly reason: string; readonly versions: Readonly<Record<number, Partial<VersionState>>> }
  >
> = {
  'canonicalized-paths-normal-a': {
    reason:
      'per_version_state matched paths as raw strings (1 file); the facts say canonical matching leaves 0',
    versions: { 1: { live_files: 0 } },
  },
  'canonicalized-paths-special-a': {
    reason:
      'per_version_state matched paths as raw strings (1 file); the facts say canonical matching leaves 0',
    versions: { 1: { live_files: 0 } },
  },
};

export function versionState(table: string, version: number, state: VersionState): VersionState {
  const fix = STATE_ERRATA[table]?.versions[version];
  return fix === undefined ? state : { ...state, ...fix };
}

/**
 * Metadata-only fixtures ship a log but no data files, so their stats-derived row counts can only
 * be checked against the log, not by reading.
 */
export function shipsDataFiles(dir: string): boolean {
  return (
    existsSync(dir) && readdirSync(dir).some((name) => name !== '_delta_log' && existsSync(join(dir, name)))
  );
}
