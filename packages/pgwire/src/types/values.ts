// JS representations of PostgreSQL values, shared by the encoders (results) and the decoders
// (Bind parameters). Chosen to be lossless and cheap to produce from DuckDB results:
//   bool                      boolean
//   int2, int4, oid           number
//   int8                      bigint (encoders also accept integral numbers)
//   float4, float8            number (NaN and +-Infinity included)
//   numeric                   string, exact decimal text ("12.30", "NaN", "Infinity"); encoders
//                             also accept number and bigint
//   text, varchar, bpchar,
//   name, char, unknown       string
//   json, jsonb               string (JSON text)
//   bytea                     Uint8Array
//   date                      number: days since 1970-01-01; +-Infinity for 'infinity'
//   timestamp, timestamptz    bigint: microseconds since 1970-01-01 00:00:00 (UTC for
//                             timestamptz, wall clock for timestamp); number +-Infinity for infinity
//   uuid                      string, canonical lowercase
//   arrays                    (nested) JS arrays of the element representation or null

//   time                      bigint: microseconds since midnight
//   interval                  PgInterval { months, days, micros }

export interface PgInterval {
  readonly months: number;
  readonly days: number;
  readonly micros: bigint;
}

export type PgScalar = boolean | number | bigint | string | Uint8Array | PgInterval;
export type PgValue = PgScalar | null | readonly PgValue[];

/** A failed parameter decode, with the SQLSTATE PostgreSQL would raise for the same input. */
export interface ValueError {
  /** 22P02 invalid_text_representation, 22P03 invalid_binary_representation, 22003 out of range,
   * 22008 datetime_field_overflow, 22007 invalid_datetime_format, 42804 datatype_mismatch,
   * 0A000 feature_not_supported. */
  readonly sqlstate: string;
  readonly message: string;
}

export type DecodeResult<T = PgValue> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ValueError };

export const ok = <T>(value: T): DecodeResult<T> => ({ ok: true, value });

export const invalidText = (typeName: string, input: string): DecodeResult<never> => ({
  ok: false,
  error: {
    sqlstate: '22P02',
    message: `invalid input syntax for type ${typeName}: "${truncate(input)}"`,
  },
});

export const outOfRange = (message: string): DecodeResult<never> => ({
  ok: false,
  error: { sqlstate: '22003', message },
});

export const invalidBinary = (typeName: string, detail: string): DecodeResult<never> => ({
  ok: false,
  error: { sqlstate: '22P03', message: `invalid binary representation for type ${typeName}: ${detail}` },
});

export const valueError = (sqlstate: string, message: string): DecodeResult<never> => ({
  ok: false,
  error: { sqlstate, message },
});

/** Keeps hostile multi-megabyte inputs out of error messages. */
export const truncate = (s: string, max = 100): string => (s.length <= max ? s : `${s.slice(0, max)}...`);
