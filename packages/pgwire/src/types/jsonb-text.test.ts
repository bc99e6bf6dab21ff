import { describe, expect, it } from 'vitest';
import { encodeBinary } from './binary-codec.js';
import { formatJsonb } from './jsonb-text.js';
import { PgOid } from './oids.js';
import { decodeText, encodeText } from './text-codec.js';

describe('jsonb text output', () => {
  // Expected strings were printed by PostgreSQL 15 for the same input.
  it.each([
    [
      '{"b":1,"a":[1,2],"aa":{"z":1.0,"y":1e2,"x":-0}, "a":3}',
      '{"a": 3, "b": 1, "aa": {"x": 0, "y": 100, "z": 1.0}}',
    ],
    [
      '[ "x\\u00e9\\n\\"q\\\\\\/", 1E-2, 0.10, true, null, {} , [] ]',
      '["xé\\n\\"q\\\\/", 0.01, 0.10, true, null, {}, []]',
    ],
    ['"\\u0001"', '"\\u0001"'],
    ['5', '5'],
    ['{"é":1,"z":2,"ab":3}', '{"z": 2, "ab": 3, "é": 1}'],
  ])('%s -> %s', (input, want) => {
    expect(formatJsonb(input)).toBe(want);
    expect(encodeText(PgOid.jsonb, input)).toBe(want);
  });

  it('rejects invalid JSON and \\u0000, which jsonb cannot store', () => {
    for (const bad of ['', '{', '{"a"}', '[1,]', '01', '"\\u0000"', 'nul', '{"a":1}x', '"a\nb"']) {
      expect(formatJsonb(bad), bad).toBeUndefined();
    }
    expect(decodeText(PgOid.jsonb, '[1,]')).toMatchObject({ ok: false, error: { sqlstate: '22P02' } });
  });

  it('sends normalized text in binary jsonb, as jsonb_send does', () => {
    expect(Buffer.from(encodeBinary(PgOid.jsonb, '{"b":1,"a":2}')).toString()).toBe('\u0001{"a": 2, "b": 1}');
  });

  it('keeps json text verbatim', () => {
    expect(encodeText(PgOid.json, '{"b":1,"a":2}')).toBe('{"b":1,"a":2}');
  });

  it('does not blow the stack on deep nesting', () => {
    expect(formatJsonb('['.repeat(900) + ']'.repeat(900))).toBe('['.repeat(900) + ']'.repeat(900));
    expect(formatJsonb('['.repeat(100000))).toBeUndefined();
  });
});
