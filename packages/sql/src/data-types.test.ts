import { DataType } from '@loch/delta';
import { expect, it } from 'vitest';
import { Cursor } from './cursor.js';
import { parseDataType, sqlTypeName } from './data-types.js';
import { tokenize } from './tokenizer.js';

const parse = (text: string) => {
  const c = new Cursor(tokenize(text), text);
  const t = parseDataType(c);
  c.expectEnd();
  return t;
};

it('parses aliases and defaults', () => {
  expect(parse('DECIMAL')).toEqual(DataType.decimal(10, 0));
  expect(parse('numeric(5)')).toEqual(DataType.decimal(5, 0));
  expect(parse('VARCHAR(10)')).toEqual(DataType.primitive('string'));
  expect(parse('double precision')).toEqual(DataType.primitive('double'));
  expect(parse('STRUCT<>')).toEqual(DataType.struct([]));
  expect(parse('INTEGER[][]')).toEqual(DataType.array(DataType.array(DataType.primitive('integer'))));
  expect(parse('TIMESTAMP WITH TIME ZONE')).toEqual(DataType.primitive('timestamp'));
  expect(parse('TIMESTAMP WITHOUT TIME ZONE')).toEqual(DataType.primitive('timestamp_ntz'));
  expect(parse('TIMESTAMPTZ')).toEqual(DataType.primitive('timestamp'));
  expect(parse('INT8')).toEqual(DataType.primitive('long'));
  expect(parse("STRUCT<a: INT COMMENT 'c'>")).toEqual(
    DataType.struct([DataType.field('a', DataType.primitive('integer'), true, { comment: 'c' })]),
  );
});

it('rejects an out-of-range decimal naming the values', () => {
  expect(() => parse('DECIMAL(40, 2)')).toThrow(/got 40,2/);
  expect(() => parse('DECIMAL(4, 5)')).toThrow(/got 4,5/);
});

it("prints types the way Databricks' DESCRIBE does", () => {
  expect(sqlTypeName(parse('MAP<STRING, ARRAY<STRUCT<x: BIGINT, y: DECIMAL(9,3)>>>'))).toBe(
    'map<string,array<struct<x:bigint,y:decimal(9,3)>>>',
  );
  expect(['INT', 'SMALLINT', 'TINYINT', 'TIMESTAMP_NTZ', 'BINARY'].map((t) => sqlTypeName(parse(t)))).toEqual(
    ['int', 'smallint', 'tinyint', 'timestamp_ntz', 'binary'],
  );
});
