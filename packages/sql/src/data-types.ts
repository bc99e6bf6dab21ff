// Databricks SQL type syntax <-> Delta DataType.
import { DataType, type PrimitiveTypeName, type StructField } from '@loch/delta';
import type { Cursor } from './cursor.js';
import { isPunct } from './tokenizer.js';

const PRIMITIVES: Readonly<Record<string, PrimitiveTypeName>> = {
  STRING: 'string',
  VARCHAR: 'string',
  CHAR: 'string',
  TEXT: 'string',
  INT: 'integer',
  INTEGER: 'integer',
  BIGINT: 'long',
  LONG: 'long',
  SMALLINT: 'short',
  SHORT: 'short',
  TINYINT: 'byte',
  BYTE: 'byte',
  DOUBLE: 'double',
  FLOAT: 'float',
  REAL: 'float',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_LTZ: 'timestamp',
  TIMESTAMP_NTZ: 'timestamp_ntz',
  BINARY: 'binary',
  BLOB: 'binary',
  BYTEA: 'binary',
  // DuckDB spellings, so a type copied from DuckDB output works too.
  INT1: 'byte',
  INT2: 'short',
  INT4: 'integer',
  INT8: 'long',
  FLOAT4: 'float',
  FLOAT8: 'double',
  TIMESTAMPTZ: 'timestamp',
  VARIANT: 'variant',
  VOID: 'void',
};

/**
 * Parses one Databricks type at the cursor (STRING, DECIMAL(10,2), ARRAY<INT>, STRUCT<a: INT>, ...);
 * DuckDB's `T[]` list suffix and `TIMESTAMP WITH TIME ZONE` are accepted as well.
 */
export function parseDataType(c: Cursor): DataType {
  let type = parseBaseType(c);
  while (isPunct(c.peek(), '[') && isPunct(c.peek(1), ']')) {
    c.pos += 2;
    type = DataType.array(type, true);
  }
  return type;
}

function parseBaseType(c: Cursor): DataType {
  const startPos = c.pos;
  const name = c.identifier('a type').toUpperCase();
  switch (name) {
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC': {
      let precision = 10;
      let scale = 0;
      if (c.acceptPunct('(')) {
        precision = c.integer('a decimal precision');
        if (c.acceptPunct(',')) scale = c.integer('a decimal scale');
        c.expectPunct(')');
      }
      if (precision < 1 || precision > 38 || scale > precision) {
        c.pos = startPos;
        throw c.error(
          `a valid DECIMAL(precision, scale) with 1 <= precision <= 38 and scale <= precision (got ${precision},${scale})`,
        );
      }
      return DataType.decimal(precision, scale);
    }
    case 'ARRAY': {
      c.expectPunct('<');
      const element = parseDataType(c);
      c.expectPunct('>');
      return DataType.array(element, true);
    }
    case 'MAP': {
      c.expectPunct('<');
      const key = parseDataType(c);
      c.expectPunct(',');
      const value = parseDataType(c);
      c.expectPunct('>');
      return DataType.map(key, value, true);
    }
    case 'STRUCT': {
      c.expectPunct('<');
      const fields: StructField[] = [];
      if (!c.acceptPunct('>')) {
        do {
          const fieldName = c.identifier('a struct field name');
          c.acceptPunct(':');
          const type = parseDataType(c);
          const { nullable, comment } = parseColumnOptions(c);
          fields.push(DataType.field(fieldName, type, nullable, comment === undefined ? {} : { comment }));
        } while (c.acceptPunct(','));
        c.expectPunct('>');
      }
      return DataType.struct(fields);
    }
    case 'DOUBLE':
      c.acceptWords('PRECISION');
      return DataType.primitive('double');
    case 'TIMESTAMP':
      // Databricks' TIMESTAMP is an instant, like DuckDB's TIMESTAMP WITH TIME ZONE.
      if (c.acceptWords('WITH', 'TIME', 'ZONE')) return DataType.primitive('timestamp');
      if (c.acceptWords('WITHOUT', 'TIME', 'ZONE')) return DataType.primitive('timestamp_ntz');
      return DataType.primitive('timestamp');
    default: {
      const primitive = PRIMITIVES[name];
      if (!primitive) {
        c.pos = startPos;
        throw c.error(
          `a data type (STRING, INT, BIGINT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, ARRAY<T>, MAP<K,V>, STRUCT<...>, ...)`,
        );
      }
      // VARCHAR(n) / CHAR(n): Delta stores these as string.
      if ((name === 'VARCHAR' || name === 'CHAR') && c.acceptPunct('(')) {
        c.integer('a length');
        c.expectPunct(')');
      }
      return DataType.primitive(primitive);
    }
  }
}

/** `[NOT NULL] [COMMENT '...']` in either order after a column or struct field type. */
export function parseColumnOptions(c: Cursor): { nullable: boolean; comment?: string } {
  let nullable = true;
  let comment: string | undefined;
  for (;;) {
    if (c.acceptWords('NOT', 'NULL')) nullable = false;
    else if (c.acceptWords('NULL')) nullable = true;
    else if (c.acceptWords('COMMENT')) comment = c.string('a comment string');
    else break;
  }
  return comment === undefined ? { nullable } : { nullable, comment };
}

const SQL_NAMES: Readonly<Record<PrimitiveTypeName, string>> = {
  string: 'string',
  long: 'bigint',
  integer: 'int',
  short: 'smallint',
  byte: 'tinyint',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  binary: 'binary',
  date: 'date',
  timestamp: 'timestamp',
  timestamp_ntz: 'timestamp_ntz',
  variant: 'variant',
  void: 'void',
};

/** The type as Databricks' DESCRIBE TABLE prints it: `bigint`, `decimal(18,2)`, `struct<a:int>`. */
export function sqlTypeName(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return SQL_NAMES[type.name];
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${sqlTypeName(type.elementType)}>`;
    case 'map':
      return `map<${sqlTypeName(type.keyType)},${sqlTypeName(type.valueType)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${sqlTypeName(f.type)}`).join(',')}>`;
  }
}
