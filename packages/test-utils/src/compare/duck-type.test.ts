import { describe, expect, it } from 'vitest';
import { duckTypeToSql, parseDuckType } from './duck-type.js';

describe('parseDuckType', () => {
  it('parses scalars, including multi-word names', () => {
    expect(parseDuckType('INTEGER')).toEqual({ kind: 'scalar', name: 'INTEGER' });
    expect(parseDuckType('TIMESTAMP WITH TIME ZONE')).toEqual({
      kind: 'scalar',
      name: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(parseDuckType('varchar')).toEqual({ kind: 'scalar', name: 'VARCHAR' });
  });

  it('parses decimals with and without scale', () => {
    expect(parseDuckType('DECIMAL(38,36)')).toEqual({ kind: 'decimal', precision: 38, scale: 36 });
    expect(parseDuckType('DECIMAL(9)')).toEqual({ kind: 'decimal', precision: 9, scale: 0 });
  });

  it('parses lists, fixed arrays and nesting left to right', () => {
    expect(parseDuckType('INTEGER[][3]')).toEqual({
      kind: 'array',
      size: 3,
      element: { kind: 'list', element: { kind: 'scalar', name: 'INTEGER' } },
    });
  });

  it('parses structs with quoted names (as the node API prints them) and bare names (as DESCRIBE does)', () => {
    const quoted = parseDuckType('STRUCT("key" INTEGER, "va""l ue" VARCHAR)[]');
    expect(quoted).toEqual({
      kind: 'list',
      element: {
        kind: 'struct',
        fields: [
          { name: 'key', type: { kind: 'scalar', name: 'INTEGER' } },
          { name: 'va"l ue', type: { kind: 'scalar', name: 'VARCHAR' } },
        ],
      },
    });
    expect(parseDuckType('STRUCT(aa VARCHAR, ac STRUCT(aca INTEGER, acb BIGINT))')).toMatchObject({
      kind: 'struct',
      fields: [
        { name: 'aa' },
        { name: 'ac', type: { kind: 'struct', fields: [{ name: 'aca' }, { name: 'acb' }] } },
      ],
    });
  });

  it('parses maps of nested types', () => {
    expect(parseDuckType('MAP(INTEGER, STRUCT(val INTEGER)[])')).toEqual({
      kind: 'map',
      key: { kind: 'scalar', name: 'INTEGER' },
      value: {
        kind: 'list',
        element: { kind: 'struct', fields: [{ name: 'val', type: { kind: 'scalar', name: 'INTEGER' } }] },
      },
    });
  });

  it('keeps parameterized types it does not model as text', () => {
    expect(parseDuckType("ENUM('a', 'b)')")).toEqual({ kind: 'scalar', name: "ENUM('a', 'b)')" });
  });

  it('rejects malformed text with the offending input in the message', () => {
    expect(() => parseDuckType('STRUCT(a INTEGER')).toThrow(/STRUCT\(a INTEGER/);
    expect(() => parseDuckType('INTEGER)')).toThrow(/trailing text/);
  });

  it('round-trips through duckTypeToSql', () => {
    const text = 'MAP(BIGINT, STRUCT("a b" DECIMAL(10,2), "c" TIMESTAMP WITH TIME ZONE[])[2])';
    expect(parseDuckType(duckTypeToSql(parseDuckType(text)))).toEqual(parseDuckType(text));
  });
});
