// Property: for random files (rows -> stats as Spark writes them) and random predicates, a file
// is never skipped when one of its live rows makes the predicate TRUE (rows evaluated in JS
// with SQL three-valued logic, independently of the skipping code).
import { describe, expect, it } from 'vitest';
import type { AddFile } from '../actions/types.js';
import { DataType, type StructField } from '../schema/types.js';
import { compileSkipping, type SkippingContext } from './skipping.js';
import { Expr } from './types.js';

type Kind = 'int' | 'long' | 'dec' | 'dbl' | 'str' | 'date' | 'ts' | 'bool' | 'part';
type Val = number | bigint | string | boolean | null;
type Row = Record<string, Val>;
type Tri = boolean | null;

const COLS: Array<[string, Kind, DataType]> = [
  ['i', 'int', DataType.primitive('integer')],
  ['l', 'long', DataType.primitive('long')],
  ['d', 'dec', DataType.decimal(38, 4)],
  ['f', 'dbl', DataType.primitive('double')],
  ['s', 'str', DataType.primitive('string')],
  ['dt', 'date', DataType.primitive('date')],
  ['ts', 'ts', DataType.primitive('timestamp')],
  ['b', 'bool', DataType.primitive('boolean')],
  ['p', 'part', DataType.primitive('integer')],
];
const ctx: SkippingContext = {
  schema: DataType.struct(COLS.map(([n, , t]): StructField => DataType.field(n, t))),
  partitionColumns: ['p'],
  columnMappingMode: 'none',
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'z', 'é', '\uff5e', '😀', '\ufffd', '\uffff'];
const BIG = 10n ** 30n;

function genValue(kind: Kind, r: () => number): Val {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (kind) {
    case 'int':
    case 'part':
      return Math.floor(r() * 21) - 10;
    case 'long':
      return 9007199254740990n + BigInt(Math.floor(r() * 8)); // around 2^53
    case 'dec':
      // Unscaled, scale 4: values that doubles cannot tell apart.
      return BIG + BigInt(Math.floor(r() * 20));
    case 'dbl':
      return pick([-1.5, 0, 0.1, 0.2, 0.30000000000000004, 1e-300, 2.5, 1e20]);
    case 'str': {
      const len = pick([0, 1, 2, 3, 31, 32, 33, 40]);
      const base = pick(['', 'a'.repeat(30), 'ab']);
      let s = base;
      while (Array.from(s).length < len) s += pick(ALPHABET);
      return Array.from(s).slice(0, Math.max(len, 0)).join('');
    }
    case 'date':
      return Math.floor(r() * 6) - 3; // days around the epoch
    case 'ts':
      return BigInt(Math.floor(r() * 4000) - 2000) * 1000n + BigInt(pick([0, 1, 500, 999])); // µs with sub-ms parts
    case 'bool':
      return r() < 0.5;
  }
}

const cps = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);
function cmp(a: Val, b: Val, kind: Kind): number {
  if (kind === 'str') {
    const x = cps(a as string);
    const y = cps(b as string);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return Math.sign(x.length - y.length);
  }
  if (kind === 'bool') return Number(a) - Number(b);
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
function isoDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
/** Spark's stats text for a timestamp: floor to milliseconds, ISO with 'Z'. */
function isoMillis(micros: bigint): string {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  return new Date(Number(ms)).toISOString();
}
const decText = (unscaled: bigint): string => {
  const s = unscaled.toString().padStart(5, '0');
  return `${s.slice(0, -4)}.${s.slice(-4)}`;
};
/**
 * Spark: min keeps 32 characters; max gets a tie-breaker after a prefix, or is dropped. Other
 * writers cut the max to 32 characters without a tie-breaker (then it is below the true max).
 */
function truncMin(s: string): string {
  return Array.from(s).slice(0, 32).join('');
}
let naiveWriter = false;
function truncMax(s: string): string | undefined {
  const c = Array.from(s);
  if (c.length <= 32) return s;
  if (naiveWriter) return c.slice(0, 32).join('');
  for (let i = 32; i < Math.min(c.length, 64); i++)
    if (c[i]!.codePointAt(0)! < 0xfffd) return `${c.slice(0, i).join('')}\ufffd`;
  return undefined;
}

function statJson(kind: Kind, v: Val, which: 'min' | 'max'): string | undefined {
  switch (kind) {
    case 'int':
    case 'dbl':
      return JSON.stringify(v);
    case 'long':
      return String(v);
    case 'dec':
      return decText(v as bigint);
    case 'str': {
      const t = which === 'min' ? truncMin(v as string) : truncMax(v as string);
      return t === undefined ? undefined : JSON.stringify(t);
    }
    case 'date':
      return JSON.stringify(isoDate(v as number));
    case 'ts':
      return JSON.stringify(isoMillis(v as bigint));
    case 'bool':
      return JSON.stringify(v);
    case 'part':
      return undefined;
  }
}

interface TestFile {
  readonly add: AddFile;
  readonly live: Row[];
}

function genFile(r: () => number, idx: number): TestFile {
  const n = 1 + Math.floor(r() * 5);
  const pval = r() < 0.2 ? null : (genValue('part', r) as number);
  const rows: Row[] = [];
  for (let k = 0; k < n; k++) {
    const row: Row = {};
    for (const [name, kind] of COLS)
      row[name] = kind === 'part' ? pval : r() < 0.2 ? null : genValue(kind, r);
    rows.push(row);
  }
  // A deletion vector: stats cover all physical rows, only some are live.
  const wide = r() < 0.2;
  const live = wide ? rows.filter(() => r() < 0.5) : rows;
  naiveWriter = r() < 0.5;
  const parts: { min: string[]; max: string[]; nulls: string[] } = { min: [], max: [], nulls: [] };
  for (const [name, kind] of COLS) {
    if (kind === 'part' || r() < 0.1) continue; // some columns have no stats
    const vals = rows.map((x) => x[name]!).filter((v) => v !== null);
    parts.nulls.push(`"${name}":${rows.length - vals.length}`);
    if (vals.length === 0) continue;
    const sorted = [...vals].sort((a, b) => cmp(a, b, kind));
    const mn = statJson(kind, sorted[0]!, 'min');
    const mx = statJson(kind, sorted[sorted.length - 1]!, 'max');
    if (mn !== undefined) parts.min.push(`"${name}":${mn}`);
    if (mx !== undefined) parts.max.push(`"${name}":${mx}`);
  }
  const stats =
    r() < 0.05
      ? undefined
      : `{"numRecords":${rows.length},"minValues":{${parts.min}},"maxValues":{${parts.max}},"nullCount":{${parts.nulls}}${wide ? ',"tightBounds":false' : ''}}`;
  const add: AddFile = {
    kind: 'add',
    path: `f${idx}`,
    partitionValues: { p: pval === null ? null : String(pval) },
    size: 1,
    modificationTime: 0,
    dataChange: true,
    ...(stats === undefined ? {} : { stats }),
  };
  return { add, live };
}

interface Pred {
  readonly expr: Expr;
  readonly eval: (row: Row, rowIndex: number) => Tri;
}

const not3 = (a: Tri): Tri => (a === null ? null : !a);
const and3 = (xs: Tri[]): Tri => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const or3 = (xs: Tri[]): Tri => (xs.includes(true) ? true : xs.includes(null) ? null : false);

function literal(kind: Kind, v: Val): Expr {
  switch (kind) {
    case 'int':
    case 'part':
      return Expr.lit(v as number);
    case 'long':
      return Expr.lit(v as bigint);
    case 'dec':
      return Expr.decimal(decText(v as bigint));
    case 'dbl':
      return Expr.lit(v as number, DataType.primitive('double'));
    case 'str':
      return Expr.lit(v as string);
    case 'date':
      return Expr.date(isoDate(v as number));
    case 'ts':
      return Expr.timestamp(v as bigint);
    case 'bool':
      return Expr.lit(v as boolean);
  }
}

function genPred(r: () => number, depth: number, sample: Row[]): Pred {
  const choice = r();
  if (depth > 0 && choice < 0.35) {
    const a = genPred(r, depth - 1, sample);
    const b = genPred(r, depth - 1, sample);
    return r() < 0.5
      ? { expr: Expr.and(a.expr, b.expr), eval: (x, i) => and3([a.eval(x, i), b.eval(x, i)]) }
      : { expr: Expr.or(a.expr, b.expr), eval: (x, i) => or3([a.eval(x, i), b.eval(x, i)]) };
  }
  if (depth > 0 && choice < 0.45) {
    const a = genPred(r, depth - 1, sample);
    return { expr: Expr.not(a.expr), eval: (x, i) => not3(a.eval(x, i)) };
  }
  if (choice > 0.97) {
    // Anything we cannot reason about: its row values are arbitrary.
    return { expr: Expr.unknown('f(x)'), eval: (_, i) => [true, false, null][(i * 7 + depth) % 3] as Tri };
  }
  const [name, kind] = COLS[Math.floor(r() * COLS.length)]!;
  // Literals near real values hit the boundaries where bugs live.
  const near = (): Val => {
    const fromRow = sample[Math.floor(r() * sample.length)]?.[name];
    if (fromRow === null || fromRow === undefined || r() < 0.3) return genValue(kind, r);
    if (kind === 'ts' && r() < 0.5) return (fromRow as bigint) + BigInt(Math.floor(r() * 3) - 1);
    if (kind === 'str' && r() < 0.4)
      return Array.from(fromRow as string)
        .slice(0, Math.floor(r() * 40))
        .join('');
    return fromRow;
  };
  const c = Expr.col(name);
  const vcmp = (x: Row, v: Val, f: (n: number) => boolean): Tri =>
    x[name] === null ? null : f(cmp(x[name]!, v, kind));
  const k = r();
  if (k < 0.5) {
    const ops = ['=', '!=', '<', '<=', '>', '>='] as const;
    const op = ops[Math.floor(r() * ops.length)]!;
    const v = near();
    const test = {
      '=': (n: number) => n === 0,
      '!=': (n: number) => n !== 0,
      '<': (n: number) => n < 0,
      '<=': (n: number) => n <= 0,
      '>': (n: number) => n > 0,
      '>=': (n: number) => n >= 0,
    }[op];
    if (r() < 0.05) return { expr: Expr.cmp(op, c, Expr.lit(null)), eval: () => null };
    return { expr: Expr.cmp(op, c, literal(kind, v)), eval: (x) => vcmp(x, v, test) };
  }
  if (k < 0.6) {
    const [lo, hi] = [near(), near()];
    return {
      expr: Expr.between(c, literal(kind, lo), literal(kind, hi)),
      eval: (x) => and3([vcmp(x, lo, (n) => n >= 0), vcmp(x, hi, (n) => n <= 0)]),
    };
  }
  if (k < 0.7) {
    const list = [near(), near(), near()].slice(0, 1 + Math.floor(r() * 3));
    return {
      expr: Expr.in(
        c,
        list.map((v) => literal(kind, v)),
      ),
      eval: (x) => or3(list.map((v) => vcmp(x, v, (n) => n === 0))),
    };
  }
  if (k < 0.8) return { expr: Expr.isNull(c), eval: (x) => x[name] === null };
  if (k < 0.87) return { expr: Expr.isNotNull(c), eval: (x) => x[name] !== null };
  const strCol = 's';
  const fromRow = sample[Math.floor(r() * sample.length)]?.[strCol];
  const prefix =
    typeof fromRow === 'string' && r() < 0.8
      ? Array.from(fromRow)
          .slice(0, Math.floor(r() * 36))
          .join('')
      : (genValue('str', r) as string);
  return {
    expr: Expr.startsWith(Expr.col(strCol), prefix),
    eval: (x) => (x[strCol] === null ? null : (x[strCol] as string).startsWith(prefix)),
  };
}

describe('skipping never drops a matching row (property)', () => {
  it('holds for random tables and predicates', () => {
    const r = rng(20260124);
    let checks = 0;
    let skips = 0;
    for (let table = 0; table < 150; table++) {
      const files = Array.from({ length: 8 }, (_, i) => genFile(r, i));
      const sample = files.flatMap((f) => f.live);
      for (let q = 0; q < 40; q++) {
        const pred = genPred(r, 3, sample);
        const skip = compileSkipping(pred.expr, ctx);
        for (const f of files) {
          checks++;
          if (!skip(f.add)) continue;
          skips++;
          const hit = f.live.findIndex((row, i) => pred.eval(row, i) === true);
          if (hit >= 0) {
            const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
            throw new Error(
              `skipped a matching file\npredicate: ${show(pred.expr)}\nrow: ${show(f.live[hit])}\nstats: ${f.add.stats}\npartition: ${show(f.add.partitionValues)}`,
            );
          }
        }
      }
    }
    // The property is only meaningful if skipping actually happens a lot.
    expect(checks).toBe(150 * 40 * 8);
    expect(skips).toBeGreaterThan(checks / 5);
  });
});
