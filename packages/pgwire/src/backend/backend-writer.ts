import { ByteWriter } from '../bytes/byte-writer.js';
import { type ColumnEncoding, writeTypedDataRow } from '../types/row-encoder.js';
import type { TextFormatOptions } from '../types/text-codec.js';
import type { PgValue } from '../types/values.js';
import { writeBackendMessage, writeDataRow, writeRowDescription } from './encode.js';
import { errorFields } from './error-fields.js';
import type { BackendMessage, ErrorFields, FieldDescription, TransactionStatus } from './messages.js';

/**
 * Batches server messages into one buffer so a whole response (RowDescription, rows,
 * CommandComplete, ReadyForQuery) leaves in one socket write. Call `flush()` to take the bytes;
 * `length` tells when a large result should be flushed early to bound memory.
 */
export class BackendWriter {
  private readonly w: ByteWriter;

  constructor(initialCapacity = 8192) {
    this.w = new ByteWriter(initialCapacity);
  }

  get length(): number {
    return this.w.length;
  }

  message(m: BackendMessage): this {
    writeBackendMessage(this.w, m);
    return this;
  }

  authenticationOk(): this {
    return this.message({ type: 'AuthenticationOk' });
  }

  parameterStatus(name: string, value: string): this {
    return this.message({ type: 'ParameterStatus', name, value });
  }

  backendKeyData(processId: number, secretKey: Uint8Array): this {
    return this.message({ type: 'BackendKeyData', processId, secretKey });
  }

  readyForQuery(status: TransactionStatus): this {
    return this.message({ type: 'ReadyForQuery', status });
  }

  rowDescription(fields: readonly FieldDescription[]): this {
    writeRowDescription(this.w, fields);
    return this;
  }

  dataRow(values: readonly (Uint8Array | string | null)[]): this {
    writeDataRow(this.w, values);
    return this;
  }

  /** DataRow from typed values, encoded per column type and format (see types/values.ts). */
  typedDataRow(
    values: readonly PgValue[],
    columns: readonly ColumnEncoding[],
    options?: TextFormatOptions,
  ): this {
    writeTypedDataRow(this.w, values, columns, options);
    return this;
  }

  commandComplete(tag: string): this {
    return this.message({ type: 'CommandComplete', tag });
  }

  emptyQueryResponse(): this {
    return this.message({ type: 'EmptyQueryResponse' });
  }

  error(fields: ErrorFields): this {
    return this.message({ type: 'ErrorResponse', fields });
  }

  /** ErrorResponse with severity ERROR. */
  errorCode(
    sqlstate: string,
    message: string,
    extra: Partial<Omit<ErrorFields, 'code' | 'message'>> = {},
  ): this {
    return this.error(errorFields(sqlstate, message, extra));
  }

  notice(fields: ErrorFields): this {
    return this.message({ type: 'NoticeResponse', fields });
  }

  parseComplete(): this {
    return this.message({ type: 'ParseComplete' });
  }

  bindComplete(): this {
    return this.message({ type: 'BindComplete' });
  }

  closeComplete(): this {
    return this.message({ type: 'CloseComplete' });
  }

  noData(): this {
    return this.message({ type: 'NoData' });
  }

  parameterDescription(typeOids: readonly number[]): this {
    return this.message({ type: 'ParameterDescription', typeOids });
  }

  portalSuspended(): this {
    return this.message({ type: 'PortalSuspended' });
  }

  /** Raw bytes (e.g. the single-byte SSL answer) in stream order with the messages. */
  raw(bytes: Uint8Array): this {
    this.w.bytes(bytes);
    return this;
  }

  /** Takes everything written so far (a fresh copy) and empties the writer. */
  flush(): Uint8Array {
    return this.w.take();
  }
}
