// Delta schema JSON (PROTOCOL.md "Schema Serialization Format") <-> StructType.
import { DeltaError } from '../errors.js';
import type { DataType, PrimitiveTypeName, StructField, StructType } from './types.js';

const PRIMITIVES = new Set<string>([
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
  'variant',
  'void',
]);

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

function bad(what: string, value: unknown): DeltaError {
  return new DeltaError(
    'INVALID_SCHEMA',
    `invalid schema: ${what}: ${JSON.stringify(value)?.slice(0, 200)}`,
    {
      value,
    },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses `metaData.schemaString`. */
export function parseSchema(schemaString: string): StructType {
  let decoded: unknown;
  try {
    decoded = JSON.parse(schemaString);
  } catch (e) {
    throw new DeltaError('INVALID_SCHEMA', `schema string is not valid JSON: ${(e as Error).message}`);
  }
  const t = parseDataType(decoded);
  if (t.kind !== 'struct') throw bad('the top-level schema must be a struct', decoded);
  return t;
}

/** Parses one JSON data type (a type-name string or a struct/array/map object). */
export function parseDataType(json: unknown): DataType {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return { kind: 'primitive', name: json as PrimitiveTypeName };
    const m = DECIMAL.exec(json);
    if (m) return { kind: 'decimal', precision: Number(m[1]), scale: Number(m[2]) };
    if (json === 'decimal') return { kind: 'decimal', precision: 10, scale: 0 };
    throw bad('unknown type', json);
  }
  if (!isObject(json)) throw bad('a type must be a string or an object', json);
  switch (json.type) {
    case 'struct': {
      if (!Array.isArray(json.fields)) throw bad("struct without 'fields'", json);
      return { kind: 'struct', fields: json.fields.map(parseField) };
    }
    case 'array':
      return {
        kind: 'array',
        elementType: parseDataType(json.elementType),
        containsNull: json.containsNull !== false,
      };
    case 'map':
      return {
        kind: 'map',
        keyType: parseDataType(json.keyType),
        valueType: parseDataType(json.valueType),
        valueContainsNull: json.valueContainsNull !== false,
      };
    default:
      throw bad('unknown complex type', json);
  }
}

function parseField(json: unknown): StructField {
  if (!isObject(json) || typeof json.name !== 'string') throw bad('a field needs a name', json);
  return {
    name: json.name,
    type: parseDataType(json.type),
    nullable: json.nullable !== false,
    metadata: isObject(json.metadata) ? json.metadata : {},
  };
}

/** The JSON value of a data type, as the log stores it. */
export function dataTypeToJson(type: DataType): unknown {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'struct':
      return {
        type: 'struct',
        fields: type.fields.map((f) => ({
          name: f.name,
          type: dataTypeToJson(f.type),
          nullable: f.nullable,
          metadata: f.metadata,
        })),
      };
    case 'array':
      return {
        type: 'array',
        elementType: dataTypeToJson(type.elementType),
        containsNull: type.containsNull,
      };
    case 'map':
      return {
        type: 'map',
        keyType: dataTypeToJson(type.keyType),
        valueType: dataTypeToJson(type.valueType),
        valueContainsNull: type.valueContainsNull,
      };
  }
}

/** Serializes a schema to the `schemaString` form. */
export function serializeSchema(schema: StructType): string {
  return JSON.stringify(dataTypeToJson(schema));
}

/** A readable type name for messages: `decimal(18,2)`, `array<int>`, `struct<a:long>`. */
export function formatDataType(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${formatDataType(type.elementType)}>`;
    case 'map':
      return `map<${formatDataType(type.keyType)},${formatDataType(type.valueType)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${formatDataType(f.type)}`).join(',')}>`;
  }
}
