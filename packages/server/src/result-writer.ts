// Writing a statement's result: RowDescription (when the protocol calls for it), DataRows in text
// or binary per column, then CommandComplete, or PortalSuspended when Execute's row limit stops early.
import {
  type BackendWriter,
  type ColumnEncoding,
  commandTag,
  type FormatCode,
  fieldDescription,
  type PgValue,
  resolveFormats,
  supportsBinary,
} from '@loch/pgwire';
import { type PgColumn, pgRow } from './pg-values.js';
import { type ExecResult, WireError } from './statement-runner.js';

export interface ResultSink {
  readonly out: BackendWriter;
  readonly settings: { readonly extraFloatDigits: number };
  flushIfLarge(): Promise<void>;
}

/** Result format per column from Bind's codes; 08P01 when the count fits neither rule. */
export const columnFormats = (codes: readonly FormatCode[], columns: readonly PgColumn[]): FormatCode[] => {
  const formats = resolveFormats(codes, columns.length);
  if (formats === undefined) {
    throw new WireError(
      '08P01',
      `bind message has ${codes.length} result formats but query has ${columns.length} columns`,
    );
  }
  formats.forEach((f, i) => {
    const col = columns[i]!;
    if (f === 1 && !supportsBinary(col.typeOid)) {
      throw new WireError(
        '0A000',
        `binary output is not supported for column "${col.name}" (type OID ${col.typeOid}); request text`,
      );
    }
  });
  return formats;
};

export const writeRowDescription = (
  out: BackendWriter,
  columns: readonly PgColumn[],
  formats: readonly FormatCode[],
): void => {
  out.rowDescription(
    columns.map((c, i) => fieldDescription(c.name, c.typeOid, formats[i] ?? 0, c.typeModifier)),
  );
};

export interface SendOptions {
  /** Send RowDescription first (simple protocol). */
  readonly describe: boolean;
  readonly formats: readonly FormatCode[];
  /** 0 = all rows. */
  readonly maxRows: number;
  /** Rows already sent by earlier Executes of the same portal. */
  readonly offset?: number;
}

/** Writes the result; returns the new row offset and whether rows remain (PortalSuspended sent). */
export const sendResult = async (
  sink: ResultSink,
  result: ExecResult,
  options: SendOptions,
): Promise<{ offset: number; suspended: boolean }> => {
  const { out } = sink;
  switch (result.kind) {
    case 'empty':
      out.emptyQueryResponse();
      return { offset: 0, suspended: false };
    case 'command':
      out.commandComplete(result.tag);
      return { offset: 0, suspended: false };
    case 'rows': {
      const formats = columnFormats(options.formats, result.columns);
      if (options.describe) writeRowDescription(out, result.columns, formats);
      const encodings: ColumnEncoding[] = result.columns.map((c, i) => ({
        typeOid: c.typeOid,
        format: formats[i]!,
      }));
      const textOptions = { extraFloatDigits: sink.settings.extraFloatDigits };
      const start = options.offset ?? 0;
      const end =
        options.maxRows > 0 ? Math.min(result.rows.length, start + options.maxRows) : result.rows.length;
      const values = new Array<PgValue>(result.columns.length);
      for (let i = start; i < end; i++) {
        out.typedDataRow(pgRow(result.rows[i]!, result.columns, values), encodings, textOptions);
        if ((i & 255) === 255) await sink.flushIfLarge();
      }
      if (end < result.rows.length) {
        out.portalSuspended();
        return { offset: end, suspended: true };
      }
      out.commandComplete(commandTag('SELECT', end - start));
      return { offset: end, suspended: false };
    }
  }
};
