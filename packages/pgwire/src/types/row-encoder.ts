// Typed values -> DataRow / RowDescription, writing each value straight into the output buffer.

import type { FieldDescription } from '../backend/messages.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import type { FormatCode } from '../frontend/messages.js';
import { writeBinary } from './binary-codec.js';
import { typlenOf } from './oids.js';
import { encodeText, type TextFormatOptions } from './text-codec.js';
import type { PgValue } from './values.js';

export interface ColumnEncoding {
  readonly typeOid: number;
  readonly format: FormatCode;
}

export const writeTypedDataRow = (
  w: ByteWriter,
  values: readonly PgValue[],
  columns: readonly ColumnEncoding[],
  options: TextFormatOptions = {},
): void => {
  // The frame is written inline (not through writeFrame's callback): this runs once per row.
  w.u8(0x44);
  const frame = w.reserveI32();
  w.i16(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null || v === undefined) {
      w.i32(-1);
      continue;
    }
    const col = columns[i]!;
    const at = w.reserveI32();
    if (col.format === 1) writeBinary(w, col.typeOid, v);
    else w.utf8(encodeText(col.typeOid, v, options));
    w.patchI32(at, w.length - at - 4);
  }
  w.patchI32(frame, w.length - frame);
};

/**
 * Resolves Bind's result format codes for `n` columns: none = all text, one = all the same,
 * otherwise one per column. Returns undefined when the count matches none of these (PostgreSQL
 * raises 08P01 "bind message has N result formats but query has M columns").
 */
export const resolveFormats = (codes: readonly FormatCode[], n: number): FormatCode[] | undefined => {
  if (codes.length === 0) return new Array<FormatCode>(n).fill(0);
  if (codes.length === 1) return new Array<FormatCode>(n).fill(codes[0]!);
  return codes.length === n ? [...codes] : undefined;
};

/** A RowDescription field for a computed column (no source table). */
export const fieldDescription = (
  name: string,
  typeOid: number,
  format: FormatCode = 0,
  typeModifier = -1,
  source: { tableOid: number; columnAttr: number } = { tableOid: 0, columnAttr: 0 },
): FieldDescription => ({
  name,
  tableOid: source.tableOid,
  columnAttr: source.columnAttr,
  typeOid,
  typeSize: typlenOf(typeOid),
  typeModifier,
  format,
});
