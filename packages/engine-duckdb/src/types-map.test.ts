import { DataType } from '@loch/delta';
import { describe, expect, it } from 'vitest';
import { parseDuckType, printDuckType } from './duck-type.js';
import { isEngineError } from './errors.js';
import { fromDuckType, schemaFromDuckColumns, toDuckType } from './types-map.js';

const p = DataType.primitive;
const f = DataType.field;

describe('toDuckType', () => {
  it.each([
    [p('long'), 'BIGINT'],
    [p('integer'), 'INTEGER'],
    [p('short'), 'SMALLINT'],
    [p('byte'), 'TINYINT'],
    [p('float'), 'FLOAT'],
    [p('double'), 'DOUBLE'],
    [p('boolean'), 'BOOLEAN'],
    [p('string'), 'VARCHAR'],
    [p('binary'), 'BLOB'],
    [p('date'), 'DATE'],
    [p('timestamp'), 'TIMESTAMP WITH TIME ZONE'],
    [p('timestamp_ntz'), 'TIMESTAMP'],
    [p('variant'), 'STRUCT("metadata" BLOB, "value" BLOB)'],
    [p('void'), 'INTEGER'],
    [DataType.decimal(38, 10), 'DECIMAL(38,10)'],
    [DataType.array(p('string')), 'VARCHAR[]'],
    [DataType.map(p('string'), DataType.array(p('long'))), 'MAP(VARCHAR, BIGINT[])'],
    [
      DataType.struct([f('a b', p('long')), f('q"x', DataType.struct([f('z', p('date'))]))]),
      'STRUCT("a b" BIGINT, "q""x" STRUCT("z" DATE))',
    ],
  ])('%j -> %s', (type, text) => {
    expect(toDuckType(type)).toBe(text);
  });

  it('uses physical names for nested fields under column mapping', () => {
    const t = DataType.struct([f('a', p('long'), true, { 'delta.columnMapping.physicalName': 'col-1' })]);
    expect(toDuckType(t, { columnMappingMode: 'name' })).toBe('STRUCT("col-1" BIGINT)');
    expect(toDuckType(t)).toBe('STRUCT("a" BIGINT)');
  });

  it('rejects decimals DuckDB cannot hold', () => {
    expect(() => toDuckType(DataType.decimal(39, 0))).toThrow(/decimal\(39,0\)/);
  });
});

describe('fromDuckType', () => {
  it.each([
    ['BIGINT', p('long')],
    ['INT', p('integer')],
    ['SMALLINT', p('short')],
    ['TINYINT', p('byte')],
    ['UTINYINT', p('short')],
    ['USMALLINT', p('integer')],
    ['UINTEGER', p('long')],
    ['UBIGINT', DataType.decimal(20, 0)],
    ['HUGEINT', DataType.decimal(38, 0)],
    ['REAL', p('float')],
    ['DOUBLE', p('double')],
    ['BOOLEAN', p('boolean')],
    ['VARCHAR', p('string')],
    ['UUID', p('string')],
    ["ENUM('a', 'b')", p('string')],
    ['BLOB', p('binary')],
    ['DATE', p('date')],
    ['TIMESTAMP WITH TIME ZONE', p('timestamp')],
    ['TIMESTAMPTZ', p('timestamp')],
    ['TIMESTAMP', p('timestamp_ntz')],
    ['TIMESTAMP_S', p('timestamp_ntz')],
    ['TIMESTAMP_MS', p('timestamp_ntz')],
    ['TIMESTAMP_NS', p('timestamp_ntz')],
    ['DECIMAL(10,2)', DataType.decimal(10, 2)],
    ['INTEGER[]', DataType.array(p('integer'))],
    ['INTEGER[3][]', DataType.array(DataType.array(p('integer')))],
    ['MAP(VARCHAR, DOUBLE[])', DataType.map(p('string'), DataType.array(p('double')))],
    [
      'STRUCT("a b" INTEGER, c STRUCT("x,y" VARCHAR, "q""" DATE)[])',
      DataType.struct([
        f('a b', p('integer')),
        f('c', DataType.array(DataType.struct([f('x,y', p('string')), f('q"', p('date'))]))),
      ]),
    ],
    ['"NULL"', p('void')],
  ])('%s', (text, type) => {
    expect(fromDuckType(text)).toEqual(type);
  });

  it.each([
    'TIME',
    'INTERVAL',
    'UHUGEINT',
    'UNION(a INTEGER, b VARCHAR)',
    'STRUCT(t TIME)',
  ])('fails clearly for %s', (text) => {
    let err: unknown;
    try {
      fromDuckType(text, 'col');
    } catch (e) {
      err = e;
    }
    expect(isEngineError(err, 'UNSUPPORTED_TYPE')).toBe(true);
    expect((err as Error).message).toMatch(/column 'col/);
  });

  it('round-trips through DuckDB type text', () => {
    const t = DataType.struct([
      f('a', DataType.map(p('string'), DataType.decimal(12, 3))),
      f('b', DataType.array(p('timestamp'))),
    ]);
    expect(fromDuckType(toDuckType(t))).toEqual(t);
  });

  it('infers a table schema from result columns', () => {
    expect(schemaFromDuckColumns([{ name: 'n', type: 'BIGINT' }]).fields).toEqual([f('n', p('long'))]);
  });
});

describe('parseDuckType', () => {
  it('parses and prints nested types', () => {
    const text = 'MAP(VARCHAR, STRUCT("a" INTEGER[], "b" DECIMAL(5,1)))[2]';
    expect(printDuckType(parseDuckType(text))).toBe(text);
    expect(parseDuckType('VARCHAR(10)')).toEqual({ kind: 'scalar', name: 'VARCHAR' });
    expect(parseDuckType('DECIMAL')).toEqual({ kind: 'decimal', precision: 18, scale: 3 });
  });

  it('reports malformed text', () => {
    expect(() => parseDuckType('STRUCT(a INTEGER')).toThrow(/STRUCT\(a INTEGER/);
    expect(() => parseDuckType('INTEGER)')).toThrow(/unexpected/);
  });
});
