// Spark SQL spellings of Delta types, for messages users compare with what Spark/Databricks print.
import type { DataType } from '@loch/delta';

const PRIMITIVE_SQL: Record<string, string> = {
  string: 'STRING',
  long: 'BIGINT',
  integer: 'INT',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  binary: 'BINARY',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_ntz: 'TIMESTAMP_NTZ',
  variant: 'VARIANT',
  void: 'VOID',
};

export function sqlTypeName(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return PRIMITIVE_SQL[type.name] ?? type.name.toUpperCase();
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'array':
      return `ARRAY<${sqlTypeName(type.elementType)}>`;
    case 'map':
      return `MAP<${sqlTypeName(type.keyType)}, ${sqlTypeName(type.valueType)}>`;
    case 'struct':
      return `STRUCT<${type.fields.map((f) => `${f.name}: ${sqlTypeName(f.type)}`).join(', ')}>`;
  }
}
