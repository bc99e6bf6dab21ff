// Delta column types -> PostgreSQL wire types. The shape mirrors @loch/delta's DataType
// structurally, so this package needs no dependency on it.
import { numericTypmod, PgOid, pgTypeInfo } from './oids.js';

export type DeltaTypeLike =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'struct' }
  | { readonly kind: 'array'; readonly elementType: DeltaTypeLike }
  | { readonly kind: 'map' };

export interface PgColumnType {
  readonly typeOid: number;
  /** -1 when the type has no modifier. */
  readonly typeModifier: number;
}

const PRIMITIVES: Readonly<Record<string, number>> = {
  string: PgOid.text,
  long: PgOid.int8,
  integer: PgOid.int4,
  short: PgOid.int2,
  // PostgreSQL has no 1-byte integer; int2 holds every byte value.
  byte: PgOid.int2,
  float: PgOid.float4,
  double: PgOid.float8,
  boolean: PgOid.bool,
  binary: PgOid.bytea,
  date: PgOid.date,
  // Delta `timestamp` is an instant (UTC-adjusted); `timestamp_ntz` is wall-clock time.
  timestamp: PgOid.timestamptz,
  timestamp_ntz: PgOid.timestamp,
  variant: PgOid.jsonb,
  void: PgOid.text,
};

/**
 * The PostgreSQL type a Delta column is served as. Structs and maps have no PostgreSQL
 * equivalent and travel as json text (the server renders them as JSON objects); nested arrays
 * become multi-dimensional arrays of the innermost element type, as PostgreSQL arrays are.
 */
export const pgTypeForDelta = (t: DeltaTypeLike): PgColumnType => {
  switch (t.kind) {
    case 'primitive':
      return { typeOid: PRIMITIVES[t.name] ?? PgOid.text, typeModifier: -1 };
    case 'decimal':
      return { typeOid: PgOid.numeric, typeModifier: numericTypmod(t.precision, t.scale) };
    case 'struct':
    case 'map':
      return { typeOid: PgOid.json, typeModifier: -1 };
    case 'array': {
      let inner: DeltaTypeLike = t.elementType;
      while (inner.kind === 'array') inner = inner.elementType;
      const elem = pgTypeForDelta(inner);
      const arrayOid = pgTypeInfo(elem.typeOid)?.arrayOid ?? 0;
      return { typeOid: arrayOid === 0 ? PgOid._text : arrayOid, typeModifier: elem.typeModifier };
    }
  }
};
