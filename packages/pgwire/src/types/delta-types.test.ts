import { describe, expect, it } from 'vitest';
import { pgTypeForDelta } from './delta-types.js';
import { PgOid } from './oids.js';

const p = (name: string) => ({ kind: 'primitive' as const, name });

describe('pgTypeForDelta', () => {
  it('maps every Delta primitive to a PostgreSQL type', () => {
    const want: Record<string, number> = {
      string: 25,
      long: 20,
      integer: 23,
      short: 21,
      byte: 21,
      float: 700,
      double: 701,
      boolean: 16,
      binary: 17,
      date: 1082,
      timestamp: 1184,
      timestamp_ntz: 1114,
      variant: 3802,
    };
    for (const [name, oid] of Object.entries(want)) expect(pgTypeForDelta(p(name)).typeOid, name).toBe(oid);
  });

  it('maps decimals with typmod, arrays to array types, structs and maps to json', () => {
    expect(pgTypeForDelta({ kind: 'decimal', precision: 18, scale: 2 })).toEqual({
      typeOid: PgOid.numeric,
      typeModifier: (18 << 16) + 2 + 4,
    });
    expect(pgTypeForDelta({ kind: 'array', elementType: p('integer') }).typeOid).toBe(1007);
    expect(
      pgTypeForDelta({ kind: 'array', elementType: { kind: 'array', elementType: p('long') } }).typeOid,
    ).toBe(1016);
    expect(pgTypeForDelta({ kind: 'array', elementType: { kind: 'struct' } }).typeOid).toBe(PgOid._json);
    expect(pgTypeForDelta({ kind: 'struct' }).typeOid).toBe(PgOid.json);
    expect(pgTypeForDelta({ kind: 'map' }).typeOid).toBe(PgOid.json);
  });
});
