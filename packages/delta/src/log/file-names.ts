// Names of the files in `_delta_log/` (PROTOCOL.md "Delta Log Entries"). Paths are relative to
// the table root, as the ObjectStore sees them.

export const LOG_DIR = '_delta_log/';
export const SIDECAR_DIR = `${LOG_DIR}_sidecars/`;
export const LAST_CHECKPOINT_PATH = `${LOG_DIR}_last_checkpoint`;

export type LogFile =
  | { readonly kind: 'commit'; readonly version: number }
  | { readonly kind: 'checkpoint'; readonly version: number }
  | {
      readonly kind: 'multipart-checkpoint';
      readonly version: number;
      readonly part: number;
      readonly parts: number;
    }
  | {
      readonly kind: 'v2-checkpoint';
      readonly version: number;
      readonly format: 'json' | 'parquet';
      readonly uuid: string;
    }
  | { readonly kind: 'compaction'; readonly start: number; readonly end: number }
  | { readonly kind: 'crc'; readonly version: number }
  | { readonly kind: 'last-checkpoint' };

/** Zero-padded 20-digit version, as every versioned log file name begins. */
export const padVersion = (version: number): string => String(version).padStart(20, '0');

export const commitPath = (version: number): string => `${LOG_DIR}${padVersion(version)}.json`;
export const checkpointPath = (version: number): string =>
  `${LOG_DIR}${padVersion(version)}.checkpoint.parquet`;
export const multipartCheckpointPath = (version: number, part: number, parts: number): string =>
  `${LOG_DIR}${padVersion(version)}.checkpoint.${String(part).padStart(10, '0')}.${String(parts).padStart(10, '0')}.parquet`;
export const v2CheckpointPath = (version: number, uuid: string, format: 'json' | 'parquet'): string =>
  `${LOG_DIR}${padVersion(version)}.checkpoint.${uuid}.${format}`;
export const compactionPath = (start: number, end: number): string =>
  `${LOG_DIR}${padVersion(start)}.${padVersion(end)}.compacted.json`;
export const crcPath = (version: number): string => `${LOG_DIR}${padVersion(version)}.crc`;
/**
 * Store path of a sidecar named in a checkpoint: names are relative to `_delta_log/_sidecars/`;
 * an absolute URI inside this table (`<tableUrl>/_delta_log/_sidecars/x`) is made relative.
 */
export function sidecarPath(path: string, tableUrl?: string): string {
  if (!path.includes('/')) return `${SIDECAR_DIR}${path}`;
  const marker = `/${SIDECAR_DIR}`;
  const at = path.lastIndexOf(marker);
  if (at >= 0 && (tableUrl === undefined || path.startsWith(tableUrl) || path.startsWith('file:'))) {
    return path.slice(at + 1);
  }
  return path;
}

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2 = /^(\d{20})\.checkpoint\.([0-9a-fA-F-]{36})\.(json|parquet)$/;
const COMPACTION = /^(\d{20})\.(\d{20})\.compacted\.json$/;
const CRC = /^(\d{20})\.crc$/;

/**
 * Classifies a file name (the part after `_delta_log/`). Files in subfolders (`_commits/`,
 * `_sidecars/`), Hadoop `.crc` side files and anything unknown give undefined.
 */
export function parseLogFileName(name: string): LogFile | undefined {
  if (name.includes('/')) return undefined;
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    let m = COMMIT.exec(name);
    if (m) return { kind: 'commit', version: Number(m[1]) };
    m = CHECKPOINT.exec(name);
    if (m) return { kind: 'checkpoint', version: Number(m[1]) };
    m = MULTIPART.exec(name);
    if (m)
      return { kind: 'multipart-checkpoint', version: Number(m[1]), part: Number(m[2]), parts: Number(m[3]) };
    m = V2.exec(name);
    if (m)
      return {
        kind: 'v2-checkpoint',
        version: Number(m[1]),
        uuid: m[2] as string,
        format: m[3] as 'json' | 'parquet',
      };
    m = COMPACTION.exec(name);
    if (m) return { kind: 'compaction', start: Number(m[1]), end: Number(m[2]) };
    m = CRC.exec(name);
    if (m) return { kind: 'crc', version: Number(m[1]) };
    return undefined;
  }
  return name === '_last_checkpoint' ? { kind: 'last-checkpoint' } : undefined;
}

/** Classifies a store path under `_delta_log/`. */
export function parseLogPath(path: string): LogFile | undefined {
  return path.startsWith(LOG_DIR) ? parseLogFileName(path.slice(LOG_DIR.length)) : undefined;
}
