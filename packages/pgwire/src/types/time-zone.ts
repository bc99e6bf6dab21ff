// Session time zones for timestamptz text (PostgreSQL prints timestamptz in the session's
// TimeZone). Fixed offsets are pure; named zones use the platform's Intl time zone data.
import type { TimeZoneOffset } from './datetime.js';

export const fixedOffset =
  (secondsEast: number): TimeZoneOffset =>
  () =>
    secondsEast;

const MS_RANGE = 8.64e15; // Date's range; instants beyond it use the offset at the boundary.

/**
 * Offset function for a time zone name ("UTC", "Europe/Paris", "+05:30", "-3"), or undefined if
 * the platform does not know the zone. Offsets are cached to keep result encoding cheap.
 */
export const timeZoneOffset = (name: string): TimeZoneOffset | undefined => {
  const fixed = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(name.trim());
  if (fixed !== null) {
    const secs = Number(fixed[2]) * 3600 + Number(fixed[3] ?? '0') * 60;
    // ISO sign (east positive), as SET TIME ZONE '+5' in PostgreSQL. POSIX 'UTC+5' (west!) is not accepted.
    return fixedOffset(fixed[1] === '-' ? -secs : secs);
  }
  const upper = name.trim().toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'Z' || upper === 'ETC/UTC') return () => 0;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  const cache = new Map<number, number>();
  return (unixMicros: bigint): number => {
    const ms = Math.max(-MS_RANGE, Math.min(MS_RANGE, Number(unixMicros / 1000n)));
    const key = Math.floor(ms / 900_000);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const whole = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(new Date(whole))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    // setUTCFullYear takes all date fields at once; Date.UTC would map years 0-99 to 19xx.
    const d = new Date(0);
    d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
    d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
    const offset = Math.round((d.getTime() - whole) / 1000);
    // Modern transitions fall on quarter hours, so caching per 15 minutes is exact for them (a
    // zone's single LMT-to-standard switch may be off within its quarter hour).
    if (cache.size > 10_000) cache.clear();
    cache.set(key, offset);
    return offset;
  };
};
