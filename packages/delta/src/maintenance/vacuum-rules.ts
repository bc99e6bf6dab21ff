// VACUUM's protocol rules (Delta's VacuumCommand): which files under the table root a VACUUM may
// delete. A file goes only when (1) no live add and no tombstone younger than the retention names
// it (data file or deletion-vector file), (2) Delta's listing would see it (hidden `_`/`.` names are
// never touched, except partition directories and `_change_data`), and (3) it is itself older than
// the retention, so a file a concurrent writer has written but not yet committed survives.
import type { AddFile, DeletionVectorDescriptor, RemoveFile } from '../actions/types.js';
import type { ObjectMeta } from '../contracts.js';
import { deletionVectorRelativePath } from '../dv/deletion-vector.js';
import { DeltaError } from '../errors.js';
import { LOG_DIR } from '../log/file-names.js';

export const RETENTION_CHECK_KEY = 'spark.databricks.delta.retentionDurationCheck.enabled';

/** Directories Delta lists although they start with `_`. */
const VISIBLE_UNDERSCORE_DIRS = ['_change_data', '_delta_index'];

/**
 * Loch's writers stage data files in `<table>/_loch_staging_<uuid>/` and rename them into place
 * before committing; a directory still there belongs to a writer that crashed (or is writing
 * right now, which the age rule covers). Nothing in it is ever referenced by the log, so VACUUM
 * deletes its contents, hidden names included, once they are older than the retention. Spark
 * skips every `_` directory; this one is ours (docs/decisions/0009-vacuum-hidden-files.md).
 */
export const STAGING_DIR_PREFIX = '_loch_staging_';

/**
 * True when VACUUM must not look at `path` (decoded, table-relative): the log, and any segment
 * starting with `_` or `.` (temp files, `_SUCCESS`, `.crc` side files, other engines' staging
 * directories), except partition directories (`_col=value`) of the table's partition columns
 * and Loch's own staging directories.
 */
export function isHiddenForVacuum(path: string, partitionColumns: readonly string[]): boolean {
  if (path.startsWith(LOG_DIR)) return true;
  if (path.startsWith(STAGING_DIR_PREFIX) && path.includes('/')) return false;
  const segments = path.split('/');
  return segments.some((segment, i) => {
    if (!(segment.startsWith('_') || segment.startsWith('.'))) return false;
    const isDir = i < segments.length - 1;
    if (isDir && VISIBLE_UNDERSCORE_DIRS.some((d) => segment.startsWith(d))) return false;
    return !(isDir && partitionColumns.some((c) => segment.startsWith(`${c}=`)));
  });
}

/** Decodes an action path to a table-relative store path; undefined for files outside the table. */
export type PathDecoder = (actionPath: string) => string | undefined;

function dvPath(dv: DeletionVectorDescriptor | null | undefined): string | undefined {
  // Inline ('i') vectors have no file; absolute ('p') ones are handled as paths by the decoder.
  if (dv == null || dv.storageType !== 'u') return undefined;
  return deletionVectorRelativePath(dv);
}

/**
 * Table-relative paths VACUUM must keep: every live file and its deletion vector, and every
 * tombstone (with its deletion vector) removed after `deleteBefore` (ms since the epoch).
 */
export function retainedPaths(
  files: readonly AddFile[],
  tombstones: readonly RemoveFile[],
  deleteBefore: number,
  decode: PathDecoder,
): Set<string> {
  const keep = new Set<string>();
  const add = (path: string | undefined): void => {
    if (path !== undefined) keep.add(path);
  };
  const addDv = (dv: DeletionVectorDescriptor | null | undefined): void => {
    if (dv?.storageType === 'p') add(decode(dv.pathOrInlineDv));
    else add(dvPath(dv));
  };
  for (const f of files) {
    add(decode(f.path));
    addDv(f.deletionVector);
  }
  for (const t of tombstones) {
    if ((t.deletionTimestamp ?? 0) <= deleteBefore) continue;
    add(decode(t.path));
    addDv(t.deletionVector);
  }
  return keep;
}

/** The listed objects VACUUM deletes (see the module comment for the three rules). */
export function vacuumCandidates(
  listing: readonly ObjectMeta[],
  retained: ReadonlySet<string>,
  deleteBefore: number,
  partitionColumns: readonly string[],
): ObjectMeta[] {
  return listing.filter(
    (o) =>
      !retained.has(o.path) && o.lastModified < deleteBefore && !isHiddenForVacuum(o.path, partitionColumns),
  );
}

/**
 * Rejects a retention below the table's (Databricks' safety check) unless the check is disabled.
 * Delta's message, so users find the documented way out.
 */
export function checkVacuumRetention(args: {
  readonly retentionMs: number;
  readonly tableRetentionMs: number;
  readonly checkEnabled: boolean;
}): void {
  if (!(args.retentionMs >= 0)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `VACUUM retention ${args.retentionMs / 3_600_000} hours is invalid; retention must be 0 hours or more`,
      { retentionMs: args.retentionMs },
    );
  }
  if (!args.checkEnabled || args.retentionMs >= args.tableRetentionMs) return;
  const hours = Math.ceil(args.tableRetentionMs / 3_600_000);
  throw new DeltaError(
    'INVALID_ARGUMENT',
    'requirement failed: Are you sure you would like to vacuum files with such a low retention period? ' +
      'If you have writers that are currently writing to this table, there is a risk that you may corrupt the ' +
      'state of your Delta table.\n\nIf you are certain that there are no operations being performed on this ' +
      'table, such as insert/upsert/delete/optimize, then you may turn off this check by setting:\n' +
      `${RETENTION_CHECK_KEY} = false\n\nIf you are not sure, please use a value not less than "${hours} hours".`,
    { retentionMs: args.retentionMs, tableRetentionMs: args.tableRetentionMs },
  );
}
