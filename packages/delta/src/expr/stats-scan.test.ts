// The targeted stats reader must agree with JSON.parse + path lookup whenever it answers, and
// must answer for the layouts writers produce (else the fast path silently never runs).
import { describe, expect, it } from 'vitest';
import { NumberText, parseFileStats } from './stats-json.js';
import { type ColumnStatValues, columnStatValues, statsReader } from './stats-scan.js';

function lookup(values: unknown, path: readonly string[]): unknown {
  let cur = values;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null || cur instanceof NumberText || Array.isArray(cur))
      return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const norm = (v: unknown): unknown =>
  v instanceof NumberText ? `#${v.text}` : typeof v === 'object' && v !== null ? 'composite' : v;

/** What the full parse says, in the reader's terms; undefined when the stats are unusable. */
function expected(text: string, path: readonly string[]): ColumnStatValues | undefined {
  const s = parseFileStats({ stats: text });
  if (s === undefined) return undefined;
  return {
    numRecords: s.numRecords,
    tightBounds: s.tightBounds,
    min: norm(lookup(s.minValues, path)),
    max: norm(lookup(s.maxValues, path)),
    nullCount: norm(lookup(s.nullCount, path)),
  };
}

function read(text: string, path: readonly string[]): ColumnStatValues | undefined {
  const out = columnStatValues();
  if (!statsReader(path)(text, out)) return undefined;
  return { ...out, min: norm(out.min), max: norm(out.max), nullCount: norm(out.nullCount) };
}

describe('statsReader', () => {
  const spark =
    '{"numRecords":3,"minValues":{"id":1,"s":"a}\\"","t":{"x":"2024-01-01T00:00:00.000Z"},"d":12345678901234567.89},' +
    '"maxValues":{"id":9,"s":"z{","t":{"x":"2024-01-02T00:00:00.123Z"},"d":-0.5e-3},"nullCount":{"id":0,"s":1,"t":{"x":0},"d":0},"tightBounds":false}';
  const common = spark.replace('a}\\"', 'a}');

  it('reads the usual layout without the full parse', () => {
    expect(read(common, ['id'])).toEqual({ numRecords: 3, tightBounds: false, min: 1, max: 9, nullCount: 0 });
    expect(read(common, ['t', 'x'])).toEqual({
      numRecords: 3,
      tightBounds: false,
      min: '2024-01-01T00:00:00.000Z',
      max: '2024-01-02T00:00:00.123Z',
      nullCount: 0,
    });
    expect(read(common, ['d'])).toEqual({
      numRecords: 3,
      tightBounds: false,
      min: '#12345678901234567.89',
      max: -0.0005,
      nullCount: 0,
    });
    expect(read(common, ['missing'])).toEqual({
      numRecords: 3,
      tightBounds: false,
      min: undefined,
      max: undefined,
      nullCount: undefined,
    });
    expect(read('{"numRecords":0}', ['id'])?.numRecords).toBe(0);
    expect(read(common, ['s'])?.max).toBe('z{');
  });

  it('leaves escapes, duplicates, other layouts and invalid JSON to the full parse', () => {
    for (const text of [
      spark, // an escaped quote
      '{"numRecords":1,"minValues":{"id":1,"id":2}}',
      '{"minValues":{"id":1},"numRecords":1}',
      '{ "numRecords": 1 }',
      '{"numRecords":"1"}',
      '{"numRecords":01}',
      '{"numRecords":1,"minValues":{"id":{"a":1}}}',
      '{"numRecords":1,"minValues":{"id":1},"minValues":{"id":2}}',
      '{"numRecords":1,"minValues":{"id":1}',
      '{"numRecords":1,"minValues":{"id":"a\u0001"}}',
    ]) {
      expect(read(text, ['id']), text).toBeUndefined();
    }
  });

  it('agrees with the full parse on random stats strings', () => {
    let seed = 7;
    const r = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const scalars = [
      '1',
      '-0',
      '0.5',
      '1e3',
      '-2.5E-2',
      '12345678901234567',
      '99999999999999999999.5',
      '"a"',
      '""',
      '"}{,:"',
      '"é😀"',
      'true',
      'false',
      'null',
    ];
    // Tokens the fast path must refuse (escapes, invalid JSON), each used now and then.
    const odd = ['"\\u0041"', '"a\\"b"', '01', '1.', '"\u0002"', '[1]'];
    const scalar = (): string => (r() < 0.02 ? pick(odd) : pick(scalars));
    const keys = ['id', 'x', 'y', 'numRecords', 'id'];
    const key = (): string => (r() < 0.01 ? 'a\\"b' : pick(keys));
    const value = (depth: number): string =>
      depth > 0 && r() < 0.25
        ? `{${Array.from({ length: Math.floor(r() * 3) }, () => `"${key()}":${value(depth - 1)}`).join(',')}}`
        : scalar();
    const section = (): string =>
      r() < 0.05
        ? scalar()
        : `{${Array.from({ length: Math.floor(r() * 4) }, () => `"${key()}":${value(3)}`).join(',')}}`;
    let answered = 0;
    for (let n = 0; n < 3000; n++) {
      const parts = [`"numRecords":${r() < 0.05 ? pick(['"5"', '1e2', '-1']) : pick(['0', '5', '17'])}`];
      for (const s of ['minValues', 'maxValues', 'nullCount'])
        if (r() < 0.9) parts.push(`"${s}":${section()}`);
      if (r() < 0.3) parts.push(`"tightBounds":${pick(['true', 'false', '1'])}`);
      if (r() < 0.05) parts.push(parts[1] ?? parts[0]!);
      if (r() < 0.05) parts.reverse();
      let text = `{${parts.join(',')}}`;
      if (r() < 0.03) text = text.replace(':', ' : ');
      if (r() < 0.02) text = text.slice(0, -1);
      for (const path of [['id'], ['x', 'y'], ['x', 'id', 'y']]) {
        const got = read(text, path);
        if (got === undefined) continue;
        answered++;
        expect(got, `${text} @ ${path.join('.')}`).toEqual(expected(text, path));
      }
    }
    // The fast path must actually run on most of these.
    expect(answered).toBeGreaterThan(3000);
  });
});
