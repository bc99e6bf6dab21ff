// Client-side decoder for server messages: used by tests to check what the server sends and by
// any Node client code that needs to read the protocol. Never throws; errors are values.
import { ByteReader } from '../bytes/byte-reader.js';
import { ChunkQueue } from '../bytes/chunk-queue.js';
import type { FormatCode } from '../frontend/messages.js';
import { errorFieldsFromEntries } from './error-fields.js';
import type { BackendMessage, FieldDescription } from './messages.js';

export interface BackendDecodeError {
  readonly type: 'DecodeError';
  readonly message: string;
}

const bad = (message: string): BackendDecodeError => ({ type: 'DecodeError', message });

const formatCode = (n: number): FormatCode | undefined => (n === 0 || n === 1 ? n : undefined);

const parseAuth = (r: ByteReader): BackendMessage | undefined => {
  const kind = r.i32();
  switch (kind) {
    case 0:
      return { type: 'AuthenticationOk' };
    case 3:
      return { type: 'AuthenticationCleartextPassword' };
    case 5:
      return { type: 'AuthenticationMD5Password', salt: r.bytes(4) };
    case 10: {
      const mechanisms: string[] = [];
      for (let m = r.cstring(); m !== '' && !r.failed; m = r.cstring()) mechanisms.push(m);
      return { type: 'AuthenticationSASL', mechanisms };
    }
    case 11:
      return { type: 'AuthenticationSASLContinue', data: r.rest() };
    case 12:
      return { type: 'AuthenticationSASLFinal', data: r.rest() };
    default:
      return undefined;
  }
};

const parseBody = (code: number, r: ByteReader): BackendMessage | undefined => {
  switch (code) {
    case 0x52:
      return parseAuth(r);
    case 0x53:
      return { type: 'ParameterStatus', name: r.cstring(), value: r.cstring() };
    case 0x4b:
      return { type: 'BackendKeyData', processId: r.i32(), secretKey: r.rest() };
    case 0x5a: {
      const s = String.fromCharCode(r.u8());
      return s === 'I' || s === 'T' || s === 'E' ? { type: 'ReadyForQuery', status: s } : undefined;
    }
    case 0x54: {
      const n = r.i16();
      if (n < 0 || n * 19 > r.remaining) return undefined;
      const fields: FieldDescription[] = [];
      for (let i = 0; i < n; i++) {
        const name = r.cstring();
        const tableOid = r.u32();
        const columnAttr = r.i16();
        const typeOid = r.u32();
        const typeSize = r.i16();
        const typeModifier = r.i32();
        const format = formatCode(r.i16());
        if (format === undefined) return undefined;
        fields.push({ name, tableOid, columnAttr, typeOid, typeSize, typeModifier, format });
      }
      return { type: 'RowDescription', fields };
    }
    case 0x44: {
      const n = r.i16();
      if (n < 0 || n * 4 > r.remaining) return undefined;
      const values: (Uint8Array | null)[] = [];
      for (let i = 0; i < n; i++) {
        const len = r.i32();
        if (len < -1) return undefined;
        values.push(len === -1 ? null : r.bytes(len));
      }
      return { type: 'DataRow', values };
    }
    case 0x43:
      return { type: 'CommandComplete', tag: r.cstring() };
    case 0x49:
      return { type: 'EmptyQueryResponse' };
    case 0x45:
    case 0x4e: {
      const entries: [string, string][] = [];
      for (let c = r.u8(); c !== 0 && !r.failed; c = r.u8())
        entries.push([String.fromCharCode(c), r.cstring()]);
      const fields = errorFieldsFromEntries(entries);
      return code === 0x45 ? { type: 'ErrorResponse', fields } : { type: 'NoticeResponse', fields };
    }
    case 0x31:
      return { type: 'ParseComplete' };
    case 0x32:
      return { type: 'BindComplete' };
    case 0x33:
      return { type: 'CloseComplete' };
    case 0x6e:
      return { type: 'NoData' };
    case 0x74: {
      const n = r.i16();
      if (n < 0 || n * 4 > r.remaining) return undefined;
      const typeOids: number[] = [];
      for (let i = 0; i < n; i++) typeOids.push(r.u32());
      return { type: 'ParameterDescription', typeOids };
    }
    case 0x73:
      return { type: 'PortalSuspended' };
    case 0x76: {
      const newestMinor = r.i32() & 0xffff;
      const n = r.i32();
      if (n < 0 || n > r.remaining) return undefined;
      const unrecognizedOptions: string[] = [];
      for (let i = 0; i < n; i++) unrecognizedOptions.push(r.cstring());
      return { type: 'NegotiateProtocolVersion', newestMinor, unrecognizedOptions };
    }
    case 0x47:
    case 0x48: {
      const format = formatCode(r.u8());
      const n = r.i16();
      if (format === undefined || n < 0 || n * 2 > r.remaining) return undefined;
      const columnFormats: FormatCode[] = [];
      for (let i = 0; i < n; i++) {
        const f = formatCode(r.i16());
        if (f === undefined) return undefined;
        columnFormats.push(f);
      }
      return { type: code === 0x47 ? 'CopyInResponse' : 'CopyOutResponse', format, columnFormats };
    }
    case 0x64:
      return { type: 'CopyData', data: r.rest() };
    case 0x63:
      return { type: 'CopyDone' };
    default:
      return undefined;
  }
};

/** Incremental decoder for the server's byte stream (push chunks, pull messages). */
export class BackendDecoder {
  private readonly queue = new ChunkQueue();
  private failed = false;

  constructor(private readonly maxMessageSize = 1024 * 1024 * 1024) {}

  push(chunk: Uint8Array): void {
    if (!this.failed) this.queue.push(chunk);
  }

  next(): BackendMessage | BackendDecodeError | undefined {
    if (this.failed || this.queue.length < 5) return undefined;
    const code = this.queue.byteAt(0);
    const len = this.queue.int32At(1);
    if (len < 4 || len > this.maxMessageSize) {
      this.failed = true;
      this.queue.clear();
      return bad(`invalid server message length ${len}`);
    }
    if (this.queue.length < len + 1) return undefined;
    this.queue.skip(5);
    const r = new ByteReader(this.queue.read(len - 4));
    const m = parseBody(code, r);
    if (m === undefined || !r.ok) return bad(`malformed server message of type 0x${code.toString(16)}`);
    return m;
  }

  drain(): (BackendMessage | BackendDecodeError)[] {
    const out: (BackendMessage | BackendDecodeError)[] = [];
    for (let m = this.next(); m !== undefined; m = this.next()) out.push(m);
    return out;
  }
}
