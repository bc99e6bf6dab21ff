// The PostgreSQL types Loch speaks on the wire, with the catalog facts (pg_type) a RowDescription
// and the clients' type parsers depend on. OIDs are fixed in PostgreSQL's catalog (pg_type.dat).

export const PgOid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
  // Arrays (pg_type.typarray of the above).
  _bool: 1000,
  _bytea: 1001,
  _char: 1002,
  _name: 1003,
  _int2: 1005,
  _bpchar: 1014,
  _int4: 1007,
  _text: 1009,
  _varchar: 1015,
  _int8: 1016,
  _float4: 1021,
  _float8: 1022,
  _oid: 1028,
  _timestamp: 1115,
  _time: 1183,
  _interval: 1187,
  _date: 1182,
  _timestamptz: 1185,
  _numeric: 1231,
  _uuid: 2951,
  _json: 199,
  _jsonb: 3807,
} as const;

export type PgOidName = keyof typeof PgOid;

export interface PgTypeInfo {
  readonly oid: number;
  /** pg_type.typname, what `format_type`/`::regtype` print for the base name. */
  readonly name: string;
  /** pg_type.typlen: bytes for fixed-size types, -1 for varlena. */
  readonly typlen: number;
  /** The array type whose elements are this type, 0 if none. */
  readonly arrayOid: number;
  /** For array types: the element type, else 0. */
  readonly elementOid: number;
  /** pg_type.typcategory (B boolean, N numeric, S string, D datetime, U user, A array...). */
  readonly category: string;
}

const base = (oid: number, name: string, typlen: number, arrayOid: number, category: string): PgTypeInfo => ({
  oid,
  name,
  typlen,
  arrayOid,
  elementOid: 0,
  category,
});

const BASE_TYPES: readonly PgTypeInfo[] = [
  base(PgOid.bool, 'bool', 1, PgOid._bool, 'B'),
  base(PgOid.bytea, 'bytea', -1, PgOid._bytea, 'U'),
  base(PgOid.char, 'char', 1, PgOid._char, 'Z'),
  base(PgOid.name, 'name', 64, PgOid._name, 'S'),
  base(PgOid.bpchar, 'bpchar', -1, PgOid._bpchar, 'S'),
  base(PgOid.int8, 'int8', 8, PgOid._int8, 'N'),
  base(PgOid.int2, 'int2', 2, PgOid._int2, 'N'),
  base(PgOid.int4, 'int4', 4, PgOid._int4, 'N'),
  base(PgOid.text, 'text', -1, PgOid._text, 'S'),
  base(PgOid.oid, 'oid', 4, PgOid._oid, 'N'),
  base(PgOid.json, 'json', -1, PgOid._json, 'U'),
  base(PgOid.float4, 'float4', 4, PgOid._float4, 'N'),
  base(PgOid.float8, 'float8', 8, PgOid._float8, 'N'),
  base(PgOid.unknown, 'unknown', -2, 0, 'X'),
  base(PgOid.varchar, 'varchar', -1, PgOid._varchar, 'S'),
  base(PgOid.date, 'date', 4, PgOid._date, 'D'),
  base(PgOid.time, 'time', 8, PgOid._time, 'D'),
  base(PgOid.timestamp, 'timestamp', 8, PgOid._timestamp, 'D'),
  base(PgOid.interval, 'interval', 16, PgOid._interval, 'T'),
  base(PgOid.timestamptz, 'timestamptz', 8, PgOid._timestamptz, 'D'),
  base(PgOid.numeric, 'numeric', -1, PgOid._numeric, 'N'),
  base(PgOid.uuid, 'uuid', 16, PgOid._uuid, 'U'),
  base(PgOid.jsonb, 'jsonb', -1, PgOid._jsonb, 'U'),
];

const ARRAY_TYPES: readonly PgTypeInfo[] = BASE_TYPES.filter((t) => t.arrayOid !== 0).map((t) => ({
  oid: t.arrayOid,
  name: `_${t.name}`,
  typlen: -1,
  arrayOid: 0,
  elementOid: t.oid,
  category: 'A',
}));

const BY_OID = new Map<number, PgTypeInfo>([...BASE_TYPES, ...ARRAY_TYPES].map((t) => [t.oid, t]));

/** Catalog facts for a supported type OID, or undefined for types the codecs do not handle. */
export const pgTypeInfo = (oid: number): PgTypeInfo | undefined => BY_OID.get(oid);

export const allPgTypes = (): readonly PgTypeInfo[] => [...BY_OID.values()];

export const isArrayOid = (oid: number): boolean => (BY_OID.get(oid)?.elementOid ?? 0) !== 0;

/** typlen for RowDescription; -1 (varlena) for unknown OIDs, which is what clients assume anyway. */
export const typlenOf = (oid: number): number => BY_OID.get(oid)?.typlen ?? -1;

/** numeric(p,s) type modifier as PostgreSQL stores it: ((p << 16) | s) + VARHDRSZ. */
export const numericTypmod = (precision: number, scale: number): number =>
  ((precision << 16) | (scale & 0xffff)) + 4;

/** varchar(n) type modifier: n + VARHDRSZ. */
export const varcharTypmod = (length: number): number => length + 4;
