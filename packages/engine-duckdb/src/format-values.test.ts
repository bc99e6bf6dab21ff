import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from './duck-engine.js';
import { decimalText, toCsv, toJson, toNdjson, toRowObjects, toTable } from './format-values.js';
import type { QueryResult } from './types.js';

describe('format-values', () => {
  let engine: DuckEngine;
  beforeAll(async () => {
    engine = await DuckEngine.create({ connections: 1 });
  });
  afterAll(async () => {
    await engine.close();
  });
  const one = async (expr: string) => toRowObjects(await engine.query(`SELECT ${expr} AS v`))[0]!['v'];

  it.each([
    ['NULL::INTEGER', null],
    ['true', true],
    ['42::TINYINT', 42],
    ['-7::SMALLINT', -7],
    ['123456::INTEGER', 123456],
    ['9007199254740991::BIGINT', 9007199254740991],
    ['9007199254740993::BIGINT', '9007199254740993'],
    ['(-9223372036854775808)::BIGINT', '-9223372036854775808'],
    ['170141183460469231731687303715884105727::HUGEINT', '170141183460469231731687303715884105727'],
    ['4294967295::UINTEGER', 4294967295],
    ['0.1::FLOAT', 0.1],
    ['1.5::DOUBLE', 1.5],
    ["'NaN'::DOUBLE", 'NaN'],
    ["'Infinity'::DOUBLE", 'Infinity'],
    ["'-Infinity'::FLOAT", '-Infinity'],
    ['1.50::DECIMAL(10,2)', '1.50'],
    ['-0.05::DECIMAL(4,2)', '-0.05'],
    ['12345678901234567890.123456::DECIMAL(38,6)', '12345678901234567890.123456'],
    ['7::DECIMAL(5,0)', '7'],
    ["'héllo'", 'héllo'],
    ["DATE '2021-03-04'", '2021-03-04'],
    ["DATE '0099-01-01'", '0099-01-01'],
    ["TIMESTAMPTZ '2021-01-01 10:00:00.123456+00'", '2021-01-01T10:00:00.123456Z'],
    ["TIMESTAMPTZ '2021-01-01 12:00:00+02'", '2021-01-01T10:00:00.000000Z'],
    ["TIMESTAMPTZ '1969-12-31 23:59:59.999999+00'", '1969-12-31T23:59:59.999999Z'],
    ["TIMESTAMP '2021-01-01 10:00:00.5'", '2021-01-01T10:00:00.500000'],
    ["TIMESTAMP_MS '2021-01-01 10:00:00.5'", '2021-01-01T10:00:00.500000'],
    ["TIMESTAMP_S '2021-01-01 10:00:00'", '2021-01-01T10:00:00.000000'],
    ["TIMESTAMP_NS '2021-01-01 10:00:00.123456789'", '2021-01-01T10:00:00.123456789'],
    ["'\\x00\\xFFab'::BLOB", Buffer.from([0, 255, 97, 98]).toString('base64')],
    ["{'a': 1, 'b': {'c': 1.5::DECIMAL(3,1)}}", { a: 1, b: { c: '1.5' } }],
    ['[1, NULL, 3]', [1, null, 3]],
    ['[0.5::FLOAT]', [0.5]],
    ['[1, 2]::INTEGER[2]', [1, 2]],
    [
      "MAP {'k': [1], 'z': NULL}",
      [
        { key: 'k', value: [1] },
        { key: 'z', value: null },
      ],
    ],
    ["'550e8400-e29b-41d4-a716-446655440000'::UUID", '550e8400-e29b-41d4-a716-446655440000'],
  ])('formats %s', async (expr, expected) => {
    expect(await one(expr)).toEqual(expected);
  });

  it('writes decimals with their scale', () => {
    expect(decimalText(5n, 3)).toBe('0.005');
    expect(decimalText(-12345n, 2)).toBe('-123.45');
    expect(decimalText(0n, 2)).toBe('0.00');
  });

  const sample = async (): Promise<QueryResult> =>
    engine.query(
      "SELECT * FROM (VALUES (1, 'a,b', 1.50::DECIMAL(5,2), {'x': 1}), (22, NULL, NULL, NULL), (3, 'say \"hi\"', 0.10::DECIMAL(5,2), {'x': 2})) t(id, s, d, st)",
    );

  it('prints ndjson and json', async () => {
    const r = await sample();
    expect(toNdjson(r)).toBe(
      '{"id":1,"s":"a,b","d":"1.50","st":{"x":1}}\n{"id":22,"s":null,"d":null,"st":null}\n{"id":3,"s":"say \\"hi\\"","d":"0.10","st":{"x":2}}\n',
    );
    expect(JSON.parse(toJson(r))).toEqual([
      { id: 1, s: 'a,b', d: '1.50', st: { x: 1 } },
      { id: 22, s: null, d: null, st: null },
      { id: 3, s: 'say "hi"', d: '0.10', st: { x: 2 } },
    ]);
    expect(toJson({ columns: [], rows: [] })).toBe('[]\n');
  });

  it('prints csv with quoting', async () => {
    expect(toCsv(await sample())).toBe(
      'id,s,d,st\n1,"a,b",1.50,"{""x"":1}"\n22,,,\n3,"say ""hi""",0.10,"{""x"":2}"\n',
    );
  });

  it('prints an aligned table with a row count', async () => {
    expect(toTable(await sample())).toBe(
      [
        'id | s        |    d | st',
        '---+----------+------+--------',
        ' 1 | a,b      | 1.50 | {"x":1}',
        '22 | NULL     | NULL | NULL',
        ' 3 | say "hi" | 0.10 | {"x":2}',
        '(3 rows)',
        '',
      ].join('\n'),
    );
    expect(toTable(await engine.query('SELECT 1 AS a'))).toBe('a\n-\n1\n(1 row)\n');
  });
});
