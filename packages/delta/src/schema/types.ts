// Delta schema types as the protocol serializes them (PROTOCOL.md "Schema Serialization Format").
// Primitive type names are kept as the strings the log uses so a round trip is lossless.

export type PrimitiveTypeName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | 'variant'
  | 'void';

export type DataType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveTypeName }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  | { readonly kind: 'array'; readonly elementType: DataType; readonly containsNull: boolean }
  | {
      readonly kind: 'map';
      readonly keyType: DataType;
      readonly valueType: DataType;
      readonly valueContainsNull: boolean;
    };

export type FieldMetadata = Readonly<Record<string, unknown>>;

export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly metadata: FieldMetadata;
}

export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly StructField[];
}

/** Factory object with the same name as the union (kysely style). */
export const DataType = {
  primitive: (name: PrimitiveTypeName): DataType => ({ kind: 'primitive', name }),
  decimal: (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale }),
  struct: (fields: readonly StructField[]): StructType => ({ kind: 'struct', fields }),
  array: (elementType: DataType, containsNull = true): DataType => ({
    kind: 'array',
    elementType,
    containsNull,
  }),
  map: (keyType: DataType, valueType: DataType, valueContainsNull = true): DataType => ({
    kind: 'map',
    keyType,
    valueType,
    valueContainsNull,
  }),
  field: (name: string, type: DataType, nullable = true, metadata: FieldMetadata = {}): StructField => ({
    name,
    type,
    nullable,
    metadata,
  }),
} as const;
