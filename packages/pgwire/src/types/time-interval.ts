// time (1083) and interval (1186): not Delta column types, but query results (DuckDB TIME,
// date differences, INTERVAL arithmetic) produce them, so the server must be able to send them.
import { type DecodeResult, invalidText, ok, type PgInterval } from './values.js';

export type { PgInterval };

const MICROS_PER_DAY = 86_400_000_000n;
const pad2 = (n: bigint): string => (n < 10n ? `0${n}` : String(n));

/** Seconds with fraction trimmed of trailing zeros ("06.789", "06"). */
const secondsText = (secs: bigint, frac: bigint): string =>
  frac === 0n ? pad2(secs) : `${pad2(secs)}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;

/** time_out: micros since midnight; 24:00:00 is a valid time. */
export const formatTime = (micros: bigint | number): string => {
  const m = BigInt(micros);
  const totalSec = m / 1_000_000n;
  return `${pad2(totalSec / 3600n)}:${pad2((totalSec / 60n) % 60n)}:${secondsText(totalSec % 60n, m % 1_000_000n)}`;
};

export const parseTimeText = (input: string): DecodeResult<bigint> => {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*$/.exec(input);
  if (m === null) return invalidText('time without time zone', input);
  const h = BigInt(m[1]!);
  const mi = BigInt(m[2]!);
  const s = BigInt(m[3] ?? '0');
  const f = BigInt((m[4] ?? '').padEnd(6, '0'));
  const micros = ((h * 60n + mi) * 60n + s) * 1_000_000n + f;
  if (mi > 59n || s > 60n || micros > 24n * 3_600_000_000n)
    return invalidText('time without time zone', input);
  return ok(micros);
};

/** interval_out with IntervalStyle = postgres ("1 year 2 mons -3 days +04:05:06.5"). */
export const formatInterval = (v: PgInterval): string => {
  const parts: string[] = [];
  let isBefore = false;
  const add = (value: number, unit: string) => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value === 1 ? '' : 's'}`);
    isBefore = value < 0;
  };
  add(Math.trunc(v.months / 12), 'year');
  add(v.months % 12, 'mon');
  add(v.days, 'day');
  const t = v.micros;
  if (parts.length === 0 || t !== 0n) {
    const neg = t < 0n;
    const a = neg ? -t : t;
    const totalSec = a / 1_000_000n;
    const hh = totalSec / 3600n;
    const sign = neg ? '-' : isBefore ? '+' : '';
    parts.push(
      `${sign}${pad2(hh)}:${pad2((totalSec / 60n) % 60n)}:${secondsText(totalSec % 60n, a % 1_000_000n)}`,
    );
  }
  return parts.join(' ');
};

const UNITS: readonly [RegExp, 'months' | 'days' | 'micros', number][] = [
  [/^(y|yr|yrs|year|years)$/, 'months', 12],
  [/^(mon|mons|month|months)$/, 'months', 1],
  [/^(w|week|weeks)$/, 'days', 7],
  [/^(d|day|days)$/, 'days', 1],
  [/^(h|hr|hrs|hour|hours)$/, 'micros', 3_600_000_000],
  [/^(m|min|mins|minute|minutes)$/, 'micros', 60_000_000],
  [/^(s|sec|secs|second|seconds)$/, 'micros', 1_000_000],
  [/^(ms|msec|msecs|millisecond|milliseconds)$/, 'micros', 1000],
  [/^(us|usec|usecs|microsecond|microseconds)$/, 'micros', 1],
];

/**
 * interval_in for the common forms: "<n> <unit>" sequences (fractions spill into smaller fields
 * as in PostgreSQL: 1.5 days = 1 day 12:00:00), "[+-]hh:mm[:ss[.f]]", a trailing "ago", and
 * ISO 8601 "P1Y2M3DT4H5M6S". Other spellings are rejected with 22007.
 */
export const parseIntervalText = (input: string): DecodeResult<PgInterval> => {
  const bad = (): DecodeResult<never> => ({
    ok: false,
    error: { sqlstate: '22007', message: `invalid input syntax for type interval: "${input.slice(0, 100)}"` },
  });
  let s = input.trim().toLowerCase();
  if (s === '') return bad();
  let months = 0;
  let days = 0;
  let micros = 0;
  const iso =
    /^p(?:(-?\d+(?:\.\d+)?)y)?(?:(-?\d+(?:\.\d+)?)m)?(?:(-?\d+(?:\.\d+)?)w)?(?:(-?\d+(?:\.\d+)?)d)?(?:t(?:(-?\d+(?:\.\d+)?)h)?(?:(-?\d+(?:\.\d+)?)m)?(?:(-?\d+(?:\.\d+)?)s)?)?$/.exec(
      s,
    );
  const addAmount = (n: number, field: 'months' | 'days' | 'micros', scale: number) => {
    if (field === 'months') {
      const total = n * scale;
      months += Math.trunc(total);
      const fracDays = (total - Math.trunc(total)) * 30;
      days += Math.trunc(fracDays);
      micros += Math.round((fracDays - Math.trunc(fracDays)) * 86_400_000_000);
    } else if (field === 'days') {
      const total = n * scale;
      days += Math.trunc(total);
      micros += Math.round((total - Math.trunc(total)) * 86_400_000_000);
    } else {
      micros += Math.round(n * scale);
    }
  };
  if (iso !== null) {
    if (s === 'p' || s.endsWith('t')) return bad();
    const fields: ['months' | 'days' | 'micros', number][] = [
      ['months', 12],
      ['months', 1],
      ['days', 7],
      ['days', 1],
      ['micros', 3_600_000_000],
      ['micros', 60_000_000],
      ['micros', 1_000_000],
    ];
    fields.forEach(([f, scale], i) => {
      const g = iso[i + 1];
      if (g !== undefined) addAmount(Number(g), f, scale);
    });
    return ok({ months, days, micros: BigInt(micros) });
  }
  let ago = false;
  if (s.endsWith(' ago')) {
    ago = true;
    s = s.slice(0, -4).trim();
  }
  if (s.startsWith('@')) s = s.slice(1).trim();
  const tokens = s.split(/\s+/);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const clock = /^([+-])?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6})\d*)?)?$/.exec(tok);
    if (clock !== null) {
      const v =
        ((Number(clock[2]) * 60 + Number(clock[3])) * 60 + Number(clock[4] ?? '0')) * 1_000_000 +
        Number((clock[5] ?? '').padEnd(6, '0'));
      micros += clock[1] === '-' ? -v : v;
      continue;
    }
    const num = /^([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)([a-z]*)$/.exec(tok);
    if (num === null) return bad();
    let unit = num[2]!;
    if (unit === '') {
      unit = tokens[i + 1] ?? '';
      if (unit === '') {
        // A bare number means seconds, as in PostgreSQL.
        addAmount(Number(num[1]), 'micros', 1_000_000);
        continue;
      }
      i++;
    }
    const u = UNITS.find(([re]) => re.test(unit));
    if (u === undefined) return bad();
    addAmount(Number(num[1]), u[1], u[2]);
  }
  if (!Number.isSafeInteger(micros) || !Number.isSafeInteger(days) || Math.abs(months) > 2147483647) {
    return {
      ok: false,
      error: { sqlstate: '22015', message: `interval out of range: "${input.slice(0, 100)}"` },
    };
  }
  const sign = ago ? -1 : 1;
  return ok({ months: sign * months || 0, days: sign * days || 0, micros: BigInt(sign * micros) });
};

export const isPgInterval = (v: unknown): v is PgInterval =>
  typeof v === 'object' && v !== null && 'months' in v && 'days' in v && 'micros' in v;

/** Days + micros as one duration, for engines that only have a microsecond interval. */
export const intervalMicros = (v: PgInterval): bigint => BigInt(v.days) * MICROS_PER_DAY + v.micros;
