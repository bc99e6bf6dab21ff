import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../bytes/byte-writer.js';
import { encodeBinary } from './binary-codec.js';
import { decodeBindParameters } from './bind-params.js';
import { PgOid } from './oids.js';
import { fieldDescription, resolveFormats, writeTypedDataRow } from './row-encoder.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeBindParameters', () => {
  it('decodes mixed text/binary parameters and NULLs per their declared types', () => {
    const r = decodeBindParameters(
      {
        parameterFormats: [0, 1, 0, 1],
        parameters: [utf8('42'), encodeBinary(PgOid.int8, 7n), null, encodeBinary(PgOid._text, ['a', null])],
      },
      [PgOid.int4, PgOid.int8, PgOid.text, PgOid._text],
    );
    expect(r).toEqual({ ok: true, values: [42, 7n, null, ['a', null]] });
  });

  it('applies a single format code to every parameter and leaves unspecified types as text', () => {
    expect(
      decodeBindParameters({ parameterFormats: [0], parameters: [utf8('x'), utf8('2024-01-02')] }, [
        0,
        PgOid.date,
      ]),
    ).toEqual({
      ok: true,
      values: ['x', 19724],
    });
    expect(decodeBindParameters({ parameterFormats: [], parameters: [utf8('t')] }, [PgOid.bool])).toEqual({
      ok: true,
      values: [true],
    });
  });

  it('names the failing parameter (1-based) with the SQLSTATE PostgreSQL uses', () => {
    expect(
      decodeBindParameters({ parameterFormats: [], parameters: [utf8('1'), utf8('x')] }, [
        PgOid.int4,
        PgOid.int4,
      ]),
    ).toEqual({
      ok: false,
      error: { sqlstate: '22P02', message: 'invalid input syntax for type integer: "x"', parameter: 2 },
    });
    expect(
      decodeBindParameters({ parameterFormats: [1], parameters: [new Uint8Array(3)] }, [PgOid.int4]),
    ).toMatchObject({
      ok: false,
      error: { sqlstate: '22P03', parameter: 1 },
    });
    expect(
      decodeBindParameters({ parameterFormats: [0], parameters: [new Uint8Array([0xff])] }, [PgOid.text]),
    ).toMatchObject({
      ok: false,
      error: { sqlstate: '22021', parameter: 1 },
    });
  });

  it('rejects a parameter count that does not match the statement', () => {
    expect(decodeBindParameters({ parameterFormats: [], parameters: [] }, [PgOid.int4])).toMatchObject({
      ok: false,
      error: {
        sqlstate: '08P01',
        message: 'bind message supplies 0 parameters, but prepared statement requires 1',
      },
    });
  });
});

describe('row encoding helpers', () => {
  it('resolves result format codes like PostgreSQL', () => {
    expect(resolveFormats([], 3)).toEqual([0, 0, 0]);
    expect(resolveFormats([1], 2)).toEqual([1, 1]);
    expect(resolveFormats([0, 1], 2)).toEqual([0, 1]);
    expect(resolveFormats([0, 1], 3)).toBeUndefined();
  });

  it('builds field descriptions with typlen from the type table', () => {
    expect(fieldDescription('n', PgOid.int8)).toEqual({
      name: 'n',
      tableOid: 0,
      columnAttr: 0,
      typeOid: 20,
      typeSize: 8,
      typeModifier: -1,
      format: 0,
    });
  });

  it('writes typed DataRows with per-column formats and NULLs', () => {
    const w = new ByteWriter();
    writeTypedDataRow(
      w,
      [1n, null, 1.5],
      [
        { typeOid: PgOid.int8, format: 1 },
        { typeOid: PgOid.text, format: 0 },
        { typeOid: PgOid.float8, format: 0 },
      ],
    );
    expect(Buffer.from(w.take()).toString('hex')).toBe(
      '44' +
        '0000001d' +
        '0003' +
        '00000008' +
        '0000000000000001' +
        'ffffffff' +
        '00000003' +
        Buffer.from('1.5').toString('hex'),
    );
  });
});
