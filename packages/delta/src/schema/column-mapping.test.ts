import { describe, expect, it } from 'vitest';
import {
  assignColumnMapping,
  columnMappingMode,
  fieldId,
  findField,
  maxFieldId,
  physicalName,
  physicalPath,
} from './column-mapping.js';
import { isTypeWidening } from './type-widening.js';
import { DataType, type StructType } from './types.js';

const mapped = (name: string, id: number, type: DataType = DataType.primitive('long')) =>
  DataType.field(name, type, true, {
    'delta.columnMapping.id': id,
    'delta.columnMapping.physicalName': `col-${id}`,
  });

describe('column mapping', () => {
  it('reads the mode from the configuration', () => {
    expect(columnMappingMode({})).toBe('none');
    expect(columnMappingMode({ 'delta.columnMapping.mode': 'Name' })).toBe('name');
    expect(columnMappingMode({ 'delta.columnMapping.mode': 'id' })).toBe('id');
    expect(() => columnMappingMode({ 'delta.columnMapping.mode': 'magic' })).toThrow(/magic/);
  });

  it('gives physical names and field ids', () => {
    const f = mapped('amount', 7);
    expect(physicalName(f, 'name')).toBe('col-7');
    expect(physicalName(f, 'none')).toBe('amount');
    expect(fieldId(f)).toBe(7);
    expect(() => physicalName(DataType.field('x', DataType.primitive('long')), 'name')).toThrow(/'x'/);
  });

  it('assigns ids and col-<uuid> names only to fields without them, nested too', () => {
    const schema: StructType = DataType.struct([
      mapped('a', 3),
      DataType.field('b', DataType.struct([DataType.field('c', DataType.primitive('string'))])),
    ]);
    let n = 0;
    const { schema: out, maxColumnId } = assignColumnMapping(schema, 3, () => `u${++n}`);
    expect(maxColumnId).toBe(5);
    expect(out.fields[0]?.metadata).toEqual(schema.fields[0]?.metadata);
    expect(out.fields[1]?.metadata).toEqual({
      'delta.columnMapping.id': 4,
      'delta.columnMapping.physicalName': 'col-u1',
    });
    const c = findField(out, ['b', 'c']);
    expect(c?.metadata).toEqual({
      'delta.columnMapping.id': 5,
      'delta.columnMapping.physicalName': 'col-u2',
    });
    expect(maxFieldId(out)).toBe(5);
    expect(physicalPath(out, ['B', 'c'], 'name')).toEqual(['col-u1', 'col-u2']);
    expect(() => physicalPath(out, ['nope'], 'name')).toThrow(/nope/);
  });
});

describe('type widening', () => {
  const p = DataType.primitive;
  it.each([
    [p('byte'), p('short'), true],
    [p('short'), p('integer'), true],
    [p('integer'), p('long'), true],
    [p('float'), p('double'), true],
    [p('integer'), p('double'), true],
    [p('date'), p('timestamp_ntz'), true],
    [DataType.decimal(10, 2), DataType.decimal(12, 4), true],
    [DataType.decimal(10, 2), DataType.decimal(10, 3), false],
    [DataType.decimal(10, 2), DataType.decimal(10, 2), false],
    [p('integer'), DataType.decimal(10, 0), true],
    [p('long'), DataType.decimal(10, 0), false],
    [p('long'), p('integer'), false],
    [p('double'), p('float'), false],
    [p('string'), p('long'), false],
    [p('long'), p('double'), false],
  ])('%o -> %o is %s', (from, to, ok) => {
    expect(isTypeWidening(from, to)).toBe(ok);
  });
});
