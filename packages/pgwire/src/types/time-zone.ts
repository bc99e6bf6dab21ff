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
 * the platform does not know the zone. Offsets are cached per hour to keep result encoding cheap.
 */
export const timeZoneOffset = (name: string): TimeZoneOffset | undefined => {
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(name.trim());
  if (fixed !== null) {
    const secs = Number(fixed[2]) * 3600 + Number(fixed[3] ?? '0') * 60;
    // POSIX-style bare numbers mean hours east here, as SET TIME ZONE '+5' does in PostgreSQL.
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
    const hourKey = Math.floor(ms / 3_600_000);
    const hit = cache.get(hourKey);
    if (hit !== undefined) return hit;
    const whole = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(new Date(whole))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const wall = Date.UTC(2000, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const d = new Date(wall);
    d.setUTCFullYear(year);
    const offset = Math.round((d.getTime() - whole) / 1000);
    // Offsets change at most on hour boundaries in practice (except LMT eras), so caching per hour is safe.
    if (cache.size > 10_000) cache.clear();
    cache.set(hourKey, offset);
    return offset;
  };
};
