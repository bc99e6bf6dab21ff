// date/timestamp/timestamptz text formats with DateStyle = ISO, as PostgreSQL prints them, and the
// ISO-style input they accept. Proleptic Gregorian calendar, like PostgreSQL; year 0 is 1 BC.
import { type DecodeResult, invalidText, ok, outOfRange } from './values.js';

export const MICROS_PER_DAY = 86_400_000_000n;
/** 2000-01-01 (PostgreSQL's epoch) minus 1970-01-01, in days and microseconds. */
export const PG_EPOCH_DAYS = 10957;
export const PG_EPOCH_MICROS = 946_684_800_000_000n;

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

export const civilFromDays = (days: number): { y: number; m: number; d: number } => {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "YYYY-MM-DD" plus the " BC" suffix PostgreSQL appends, returned separately (it goes last). */
const formatYmd = (days: number): { text: string; bc: boolean } => {
  const { y, m, d } = civilFromDays(days);
  const bc = y <= 0;
  const year = bc ? 1 - y : y;
  return { text: `${year >= 1000 ? year : pad(year, 4)}-${pad2(m)}-${pad2(d)}`, bc };
};

export const formatDate = (days: number): string => {
  if (days === Number.POSITIVE_INFINITY) return 'infinity';
  if (days === Number.NEGATIVE_INFINITY) return '-infinity';
  const { text, bc } = formatYmd(days);
  return bc ? `${text} BC` : text;
};

/** Floor division for a positive divisor (BigInt `/` truncates toward zero). */
const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

/** "HH:MM:SS[.ffffff]" with trailing fractional zeros dropped, as PostgreSQL does. */
const formatTimeOfDay = (microsOfDay: number): string => {
  const totalSec = Math.floor(microsOfDay / 1_000_000);
  const frac = microsOfDay - totalSec * 1_000_000;
  const hms = `${pad2(Math.floor(totalSec / 3600))}:${pad2(Math.floor(totalSec / 60) % 60)}:${pad2(totalSec % 60)}`;
  return frac === 0 ? hms : `${hms}.${pad(frac, 6).replace(/0+$/, '')}`;
};

/** Time zone offsets in seconds east of UTC, per instant (DST aware zones vary by instant). */
export type TimeZoneOffset = (unixMicros: bigint) => number;

export const UTC: TimeZoneOffset = () => 0;

/** "+HH", "+HH:MM" or "+HH:MM:SS", the shortest form that is exact. */
export const formatOffset = (secondsEast: number): string => {
  const sign = secondsEast < 0 ? '-' : '+';
  const a = Math.abs(secondsEast);
  const h = Math.floor(a / 3600);
  const m = Math.floor(a / 60) % 60;
  const s = a % 60;
  return `${sign}${pad(h, 2)}${m !== 0 || s !== 0 ? `:${pad(m, 2)}` : ''}${s !== 0 ? `:${pad(s, 2)}` : ''}`;
};

const MICROS_PER_DAY_NUM = 86_400_000_000;

// Number arithmetic is exact within 2^53 us (about 1685-2255) and much faster than BigInt.
const SAFE_MICROS = 9_000_000_000_000_000;

const formatWallClockParts = (days: number, microsOfDay: number, suffix: string): string => {
  const { text, bc } = formatYmd(days);
  return `${text} ${formatTimeOfDay(microsOfDay)}${suffix}${bc ? ' BC' : ''}`;
};

const formatWallClock = (micros: bigint | number, suffix: string): string => {
  if (typeof micros === 'number' && micros > -SAFE_MICROS && micros < SAFE_MICROS) {
    const days = Math.floor(micros / MICROS_PER_DAY_NUM);
    return formatWallClockParts(days, micros - days * MICROS_PER_DAY_NUM, suffix);
  }
  const big = BigInt(micros);
  const d = floorDiv(big, MICROS_PER_DAY);
  return formatWallClockParts(Number(d), Number(big - d * MICROS_PER_DAY), suffix);
};

const toSafeNumber = (micros: bigint | number): bigint | number => {
  const n = Number(micros);
  return n > -SAFE_MICROS && n < SAFE_MICROS ? n : micros;
};

const infinityText = (v: bigint | number): string | undefined => {
  if (v === Number.POSITIVE_INFINITY) return 'infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-infinity';
  return undefined;
};

export const formatTimestamp = (micros: bigint | number): string =>
  infinityText(micros) ?? formatWallClock(toSafeNumber(micros), '');

let lastOffset = 0;
let lastOffsetText = '+00';

export const formatTimestamptz = (micros: bigint | number, zone: TimeZoneOffset = UTC): string => {
  const inf = infinityText(micros);
  if (inf !== undefined) return inf;
  const offset = zone === UTC ? 0 : zone(BigInt(micros));
  if (offset !== lastOffset) {
    lastOffset = offset;
    lastOffsetText = formatOffset(offset);
  }
  const local = toSafeNumber(micros);
  const shifted =
    typeof local === 'number' ? local + offset * 1_000_000 : local + BigInt(offset) * 1_000_000n;
  return formatWallClock(shifted, lastOffsetText);
};

// PostgreSQL's range: 4713 BC to 5874897 AD for dates, 294276 AD for timestamps.
const MIN_DATE_DAYS = daysFromCivil(-4713, 11, 24);
const MAX_DATE_DAYS = daysFromCivil(5874897, 12, 31);
const MIN_TS_MICROS = BigInt(MIN_DATE_DAYS) * MICROS_PER_DAY;
const MAX_TS_MICROS = BigInt(daysFromCivil(294277, 1, 1)) * MICROS_PER_DAY - 1n;

const DATE_RE = /^(\d{1,7})-(\d{1,2})-(\d{1,2})/;
const TIME_RE = /^[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/;
const ZONE_RE = /^ ?(?:(Z|UTC|GMT)|([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)/i;

const daysInMonth = (y: number, m: number): number =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

interface ParsedDateTime {
  readonly days: number;
  readonly micros: bigint;
  /** Seconds east of UTC when the input carried a zone. */
  readonly zone: number | undefined;
}

type Special = 'infinity' | '-infinity';

const parseSpecial = (s: string): Special | undefined => {
  const l = s.toLowerCase();
  if (l === 'infinity' || l === '+infinity') return 'infinity';
  if (l === '-infinity') return '-infinity';
  return undefined;
};

/** ISO input: YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][zone][ BC|AD]. */
const parseDateTime = (input: string, withTime: boolean): ParsedDateTime | undefined => {
  let s = input.trim();
  let bc = false;
  const era = / (BC|AD)$/i.exec(s);
  if (era !== null) {
    bc = era[1]!.toUpperCase() === 'BC';
    s = s.slice(0, era.index);
  }
  const dm = DATE_RE.exec(s);
  if (dm === null) return undefined;
  let y = Number(dm[1]);
  const m = Number(dm[2]);
  const d = Number(dm[3]);
  if (bc) {
    if (y === 0) return undefined;
    y = 1 - y;
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  let rest = s.slice(dm[0].length);
  let micros = 0n;
  if (withTime) {
    const tm = TIME_RE.exec(rest);
    if (tm !== null) {
      const hh = Number(tm[1]);
      const mi = Number(tm[2]);
      const ss = Number(tm[3] ?? '0');
      // Beyond microseconds PostgreSQL rounds half up; the carry may reach the next second.
      const digits = tm[4] ?? '';
      const frac = Number(digits.slice(0, 6).padEnd(6, '0')) + (Number(digits[6] ?? '0') >= 5 ? 1 : 0);
      if (hh > 24 || mi > 59 || ss > 60 || (hh === 24 && (mi !== 0 || ss !== 0 || frac !== 0)))
        return undefined;
      micros = BigInt(((hh * 60 + mi) * 60 + ss) * 1_000_000 + frac);
      rest = rest.slice(tm[0].length);
    }
  }
  let zone: number | undefined;
  if (withTime && rest !== '') {
    const zm = ZONE_RE.exec(rest);
    if (zm === null) return undefined;
    if (zm[1] !== undefined) zone = 0;
    else {
      const secs = Number(zm[3]) * 3600 + Number(zm[4] ?? '0') * 60 + Number(zm[5] ?? '0');
      if (Number(zm[3]) > 15 || Number(zm[4] ?? '0') > 59) return undefined;
      zone = zm[2] === '-' ? -secs : secs;
    }
    rest = rest.slice(zm[0].length);
  }
  if (rest !== '') return undefined;
  return { days: daysFromCivil(y, m, d), micros, zone };
};

const isEpoch = (input: string): boolean => input.trim().toLowerCase() === 'epoch';

export const parseDateText = (input: string): DecodeResult<number> => {
  if (isEpoch(input)) return ok(0);
  const sp = parseSpecial(input.trim());
  if (sp !== undefined) return ok(sp === 'infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
  const p = parseDateTime(input, false);
  if (p === undefined) return invalidText('date', input);
  if (p.days < MIN_DATE_DAYS || p.days > MAX_DATE_DAYS) return outOfRange(`date out of range: "${input}"`);
  return ok(p.days);
};

/**
 * timestamp ignores a zone in the input (as PostgreSQL does); timestamptz converts with it, or
 * with `sessionZone` when absent.
 */
export const parseTimestampText = (
  input: string,
  withZone: boolean,
  sessionZone: TimeZoneOffset = UTC,
): DecodeResult<bigint | number> => {
  const typeName = withZone ? 'timestamp with time zone' : 'timestamp';
  if (isEpoch(input)) return ok(0n);
  const sp = parseSpecial(input.trim());
  if (sp !== undefined) return ok(sp === 'infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
  const p = parseDateTime(input, true);
  if (p === undefined) return invalidText(typeName, input);
  const local = BigInt(p.days) * MICROS_PER_DAY + p.micros;
  let micros = local;
  if (withZone) {
    // Without an explicit zone, resolve the session offset at the local time (good except in
    // the hour a DST transition skips or repeats).
    const offset = p.zone ?? sessionZone(local);
    micros = local - BigInt(offset) * 1_000_000n;
  }
  if (micros < MIN_TS_MICROS || micros > MAX_TS_MICROS)
    return outOfRange(`timestamp out of range: "${input}"`);
  return ok(micros);
};

/** Range checks for values about to be encoded (PostgreSQL cannot represent beyond these). */
export const isDateInRange = (days: number): boolean =>
  !Number.isFinite(days) || (Number.isInteger(days) && days >= MIN_DATE_DAYS && days <= MAX_DATE_DAYS);
