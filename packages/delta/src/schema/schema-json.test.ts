import { describe, expect, it } from 'vitest';
import { isDeltaError } from '../errors.js';
import { formatDataType, parseDataType, parseSchema, serializeSchema } from './schema-json.js';
import { DataType } from './types.js';

const SCHEMA = {
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: false, metadata: { 'delta.columnMapping.id': 1 } },
    { name: 'd', type: 'decimal(18,2)', nullable: true, metadata: {} },
    { name: 'ts', type: 'timestamp_ntz', nullable: true, metadata: {} },
    { name: 'v', type: 'variant', nullable: true, metadata: {} },
    { name: 'n', type: 'void', nullable: true, metadata: {} },
    {
      name: 's',
      type: {
        type: 'struct',
        fields: [
          {
            name: 'arr',
            type: { type: 'array', elementType: 'integer', containsNull: false },
            nullable: true,
            metadata: {},
          },
          {
            name: 'm',
            type: {
              type: 'map',
              keyType: 'string',
              valueType: { type: 'array', elementType: 'date', containsNull: true },
              valueContainsNull: true,
            },
            nullable: true,
            metadata: {},
          },
        ],
      },
      nullable: true,
      metadata: {},
    },
  ],
};

describe('schema JSON', () => {
  it('parses every type form', () => {
    const s = parseSchema(JSON.stringify(SCHEMA));
    expect(s.fields.map((f) => formatDataType(f.type))).toEqual([
      'long',
      'decimal(18,2)',
      'timestamp_ntz',
      'variant',
      'void',
      'struct<arr:array<integer>,m:map<string,array<date>>>',
    ]);
    expect(s.fields[0]?.nullable).toBe(false);
    expect(s.fields[0]?.metadata).toEqual({ 'delta.columnMapping.id': 1 });
  });

  it('round-trips byte for byte', () => {
    const text = JSON.stringify(SCHEMA);
    expect(serializeSchema(parseSchema(text))).toBe(text);
  });

  it('accepts spaces in decimal and serializes the canonical form', () => {
    expect(parseDataType('decimal(5, 1)')).toEqual(DataType.decimal(5, 1));
  });

  it('rejects unknown types with INVALID_SCHEMA naming the type', () => {
    let e: unknown;
    try {
      parseDataType('uuid');
    } catch (err) {
      e = err;
    }
    expect(isDeltaError(e, 'INVALID_SCHEMA')).toBe(true);
    expect((e as Error).message).toContain('uuid');
    expect(() => parseSchema('"long"')).toThrow(/struct/);
    expect(() => parseSchema('{')).toThrow(/JSON/);
  });
});
