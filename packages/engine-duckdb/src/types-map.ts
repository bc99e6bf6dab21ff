// Delta DataType <-> DuckDB type text. The forward direction builds scan/write SQL; the reverse infers a
// Delta schema from a query (CREATE TABLE AS SELECT), so it either finds the nearest Delta type that
// holds every value or fails naming the column and the type.
import type { DataType, PrimitiveTypeName, StructField, StructType } from '@loch/delta';
import { type ColumnMappingMode, physicalName } from './column-mapping.js';
import { type DuckType, parseDuckType } from './duck-type.js';
import { EngineError } from './errors.js';
import { quoteIdent } from './sql-text.js';

export interface ToDuckTypeOptions {
  /** Use parquet physical names for nested struct fields (column mapping). Default 'none' = logical names. */
  readonly columnMappingMode?: ColumnMappingMode;
}

/** The DuckDB type text that holds values of a Delta type. */
const PRIMITIVE_TO_DUCK: Readonly<Record<PrimitiveTypeName, string>> = {
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  timestamp_ntz: 'TIMESTAMP',
  // Unshredded variant as stored in parquet; decoding it to JSON is a later step.
  variant: 'STRUCT("metadata" BLOB, "value" BLOB)',
  // A void column is always NULL; INTEGER is the cheapest type to carry it.
  void: 'INTEGER',
};

/** The DuckDB type text that holds values of a Delta type. */
export function toDuckType(type: DataType, options: ToDuckTypeOptions = {}): string {
  switch (type.kind) {
    case 'primitive': {
      const duck = PRIMITIVE_TO_DUCK[type.name];
      if (duck === undefined) {
        throw new EngineError('UNSUPPORTED_TYPE', `Delta type '${type.name}' has no DuckDB equivalent`, {
          type: type.name,
        });
      }
      return duck;
    }
    case 'decimal':
      if (type.precision < 1 || type.precision > 38 || type.scale < 0 || type.scale > type.precision) {
        throw new EngineError(
          'UNSUPPORTED_TYPE',
          `decimal(${type.precision},${type.scale}) is outside what DuckDB holds (precision 1-38, 0 <= scale <= precision)`,
          { precision: type.precision, scale: type.scale },
        );
      }
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'struct':
      return structToDuckType(type.fields, options);
    case 'array':
      return `${toDuckType(type.elementType, options)}[]`;
    case 'map':
      return `MAP(${toDuckType(type.keyType, options)}, ${toDuckType(type.valueType, options)})`;
  }
}

function structToDuckType(fields: readonly StructField[], options: ToDuckTypeOptions): string {
  const mode = options.columnMappingMode ?? 'none';
  if (fields.length === 0) {
    throw new EngineError(
      'UNSUPPORTED_TYPE',
      'DuckDB has no empty STRUCT type; give the struct at least one field',
    );
  }
  return `STRUCT(${fields.map((f) => `${quoteIdent(physicalName(f, mode))} ${toDuckType(f.type, options)}`).join(', ')})`;
}

/** A DuckDB column list (`"a" BIGINT, ...`) for a Delta schema. */
export function schemaToDuckColumns(schema: StructType, options: ToDuckTypeOptions = {}): string {
  return schema.fields.map((f) => `${quoteIdent(f.name)} ${toDuckType(f.type, options)}`).join(', ');
}

const SCALAR_TO_DELTA: Readonly<Record<string, DataType>> = {
  BIGINT: { kind: 'primitive', name: 'long' },
  INTEGER: { kind: 'primitive', name: 'integer' },
  SMALLINT: { kind: 'primitive', name: 'short' },
  TINYINT: { kind: 'primitive', name: 'byte' },
  // Unsigned types go to the nearest signed type that holds every value.
  UTINYINT: { kind: 'primitive', name: 'short' },
  USMALLINT: { kind: 'primitive', name: 'integer' },
  UINTEGER: { kind: 'primitive', name: 'long' },
  UBIGINT: { kind: 'decimal', precision: 20, scale: 0 },
  HUGEINT: { kind: 'decimal', precision: 38, scale: 0 },
  FLOAT: { kind: 'primitive', name: 'float' },
  DOUBLE: { kind: 'primitive', name: 'double' },
  BOOLEAN: { kind: 'primitive', name: 'boolean' },
  VARCHAR: { kind: 'primitive', name: 'string' },
  UUID: { kind: 'primitive', name: 'string' },
  JSON: { kind: 'primitive', name: 'string' },
  BLOB: { kind: 'primitive', name: 'binary' },
  DATE: { kind: 'primitive', name: 'date' },
  'TIMESTAMP WITH TIME ZONE': { kind: 'primitive', name: 'timestamp' },
  TIMESTAMP: { kind: 'primitive', name: 'timestamp_ntz' },
  TIMESTAMP_S: { kind: 'primitive', name: 'timestamp_ntz' },
  TIMESTAMP_MS: { kind: 'primitive', name: 'timestamp_ntz' },
  TIMESTAMP_NS: { kind: 'primitive', name: 'timestamp_ntz' },
  // The type of a bare NULL literal.
  NULL: { kind: 'primitive', name: 'void' },
  '"NULL"': { kind: 'primitive', name: 'void' },
};

const SUGGESTIONS: Readonly<Record<string, string>> = {
  UHUGEINT: 'cast it to DECIMAL(38,0) or VARCHAR',
  TIME: 'cast it to VARCHAR or combine it with a date into a TIMESTAMP',
  'TIME WITH TIME ZONE': 'cast it to VARCHAR',
  TIME_NS: 'cast it to VARCHAR',
  INTERVAL: 'cast it to VARCHAR or to a number of seconds (epoch)',
  BIT: 'cast it to VARCHAR',
  BIGNUM: 'cast it to DECIMAL(38,0) or VARCHAR',
  VARINT: 'cast it to DECIMAL(38,0) or VARCHAR',
  VARIANT: 'cast it to JSON or VARCHAR',
  GEOMETRY: 'cast it to BLOB (WKB) or VARCHAR (WKT)',
};

/**
 * The Delta type for a DuckDB type (text or parsed). `column` names the column in the error when there
 * is no Delta equivalent.
 */
export function fromDuckType(type: string | DuckType, column = '?'): DataType {
  const parsed = typeof type === 'string' ? parseDuckType(type) : type;
  switch (parsed.kind) {
    case 'scalar': {
      const known = SCALAR_TO_DELTA[parsed.name];
      if (known !== undefined) return known;
      const hint = SUGGESTIONS[parsed.name] ?? 'cast it to a supported type';
      throw new EngineError(
        'UNSUPPORTED_TYPE',
        `column '${column}' has DuckDB type ${parsed.name}, which Delta tables cannot store; ${hint}`,
        { column, type: parsed.name },
      );
    }
    case 'decimal':
      return { kind: 'decimal', precision: parsed.precision, scale: parsed.scale };
    case 'enum':
      return { kind: 'primitive', name: 'string' };
    case 'struct':
      return {
        kind: 'struct',
        fields: parsed.fields.map((f) => ({
          name: f.name,
          type: fromDuckType(f.type, `${column}.${f.name}`),
          nullable: true,
          metadata: {},
        })),
      };
    case 'list':
    case 'array':
      return { kind: 'array', elementType: fromDuckType(parsed.element, `${column}[]`), containsNull: true };
    case 'map':
      return {
        kind: 'map',
        keyType: fromDuckType(parsed.key, `${column}.key`),
        valueType: fromDuckType(parsed.value, `${column}.value`),
        valueContainsNull: true,
      };
    case 'union':
      throw new EngineError(
        'UNSUPPORTED_TYPE',
        `column '${column}' has a DuckDB UNION type, which Delta tables cannot store; turn it into a STRUCT or cast it to VARCHAR`,
        { column },
      );
  }
}

/** A Delta schema for query result columns (name + DuckDB type text). */
export function schemaFromDuckColumns(columns: readonly { name: string; type: string }[]): StructType {
  return {
    kind: 'struct',
    fields: columns.map((c) => ({
      name: c.name,
      type: fromDuckType(c.type, c.name),
      nullable: true,
      metadata: {},
    })),
  };
}
