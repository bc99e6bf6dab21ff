// Table-property durations such as `delta.deletedFileRetentionDuration = "interval 1 week"`.
import { DeltaError } from '../errors.js';

export const DELETED_FILE_RETENTION_KEY = 'delta.deletedFileRetentionDuration';
export const DEFAULT_DELETED_FILE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = {
  microsecond: 0.001,
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Parses a Spark calendar-interval string ("interval 7 days", "1 week 2 hours") to milliseconds. */
export function parseIntervalMs(text: string): number {
  const tokens = text.trim().toLowerCase().split(/\s+/);
  if (tokens[0] === 'interval') tokens.shift();
  if (tokens.length === 0 || tokens.length % 2 !== 0) throw badInterval(text);
  let total = 0;
  for (let i = 0; i < tokens.length; i += 2) {
    const n = Number(tokens[i]);
    const unit = (tokens[i + 1] as string).replace(/s$/, '');
    const ms = UNIT_MS[unit];
    if (!Number.isFinite(n) || ms === undefined) throw badInterval(text);
    total += n * ms;
  }
  return total;
}

function badInterval(text: string): DeltaError {
  return new DeltaError(
    'INVALID_ARGUMENT',
    `invalid interval '${text}'; write it like 'interval 7 days' (units: second, minute, hour, day, week)`,
    { value: text },
  );
}

/** Tombstone retention of a table configuration, in milliseconds. */
export function deletedFileRetentionMs(configuration: Readonly<Record<string, string>>): number {
  const raw = configuration[DELETED_FILE_RETENTION_KEY];
  return raw === undefined ? DEFAULT_DELETED_FILE_RETENTION_MS : parseIntervalMs(raw);
}
