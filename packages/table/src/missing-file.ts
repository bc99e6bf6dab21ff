// A scan of a version whose data files VACUUM deleted fails inside the engine with an IO error
// about a glob pattern; users need to hear which file is missing and why that happens.
import { DeltaError } from '@loch/delta';

// DuckDB's messages for a missing parquet file in a read_parquet list.
const MISSING = [
  /No files found that match the pattern "([^"]+)"/u,
  /Cannot open file "([^"]+)": No such file/u,
];

/**
 * FILE_NOT_FOUND naming the missing data file, with the VACUUM hint, when `e` is the engine's
 * missing-file error; any other error is returned unchanged.
 */
export function missingFileError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  for (const pattern of MISSING) {
    const file = pattern.exec(e.message)?.[1];
    if (file === undefined) continue;
    return new DeltaError(
      'FILE_NOT_FOUND',
      `FILE_NOT_FOUND: data file '${file}' referenced by the table version being read does not exist. ` +
        'It was most likely deleted by VACUUM: versions older than the table retention ' +
        '(delta.deletedFileRetentionDuration, default 7 days) can no longer be read. ' +
        'Read a newer version, or raise the retention before running VACUUM',
      { file },
    );
  }
  return e;
}
