import { ByteWriter } from '../bytes/byte-writer.js';
import { writeFrame } from '../bytes/message-frame.js';
import { errorFieldEntries } from './error-fields.js';
import type { BackendMessage, ErrorFields, FieldDescription } from './messages.js';

const R = 0x52; // 'R' authentication

const writeAuth = (w: ByteWriter, kind: number, extra?: Uint8Array): void =>
  writeFrame(w, R, (w) => {
    w.i32(kind);
    if (extra !== undefined) w.bytes(extra);
  });

const writeFields = (w: ByteWriter, typeByte: number, fields: ErrorFields): void =>
  writeFrame(w, typeByte, (w) => {
    for (const [code, text] of errorFieldEntries(fields)) w.u8(code.charCodeAt(0)).cstring(text);
    w.u8(0);
  });

export const writeRowDescription = (w: ByteWriter, fields: readonly FieldDescription[]): void =>
  writeFrame(w, 0x54, (w) => {
    w.i16(fields.length);
    for (const f of fields) {
      w.cstring(f.name)
        .u32(f.tableOid)
        .i16(f.columnAttr)
        .u32(f.typeOid)
        .i16(f.typeSize)
        .i32(f.typeModifier)
        .i16(f.format);
    }
  });

/**
 * DataRow with each value either already-encoded bytes, a string (written as UTF-8 straight into
 * the buffer, the common text-format path) or null.
 */
export const writeDataRow = (w: ByteWriter, values: readonly (Uint8Array | string | null)[]): void =>
  writeFrame(w, 0x44, (w) => {
    w.i16(values.length);
    for (const v of values) {
      if (v === null) {
        w.i32(-1);
      } else if (typeof v === 'string') {
        const at = w.reserveI32();
        w.patchI32(at, w.utf8(v));
      } else {
        w.i32(v.length).bytes(v);
      }
    }
  });

export const writeBackendMessage = (w: ByteWriter, m: BackendMessage) => {
  switch (m.type) {
    case 'AuthenticationOk':
      return writeAuth(w, 0);
    case 'AuthenticationCleartextPassword':
      return writeAuth(w, 3);
    case 'AuthenticationMD5Password':
      return writeAuth(w, 5, m.salt);
    case 'AuthenticationSASL':
      return writeFrame(w, R, (w) => {
        w.i32(10);
        for (const mech of m.mechanisms) w.cstring(mech);
        w.u8(0);
      });
    case 'AuthenticationSASLContinue':
      return writeAuth(w, 11, m.data);
    case 'AuthenticationSASLFinal':
      return writeAuth(w, 12, m.data);
    case 'ParameterStatus':
      return writeFrame(w, 0x53, (w) => void w.cstring(m.name).cstring(m.value));
    case 'BackendKeyData':
      return writeFrame(w, 0x4b, (w) => void w.i32(m.processId).bytes(m.secretKey));
    case 'ReadyForQuery':
      return writeFrame(w, 0x5a, (w) => void w.u8(m.status.charCodeAt(0)));
    case 'RowDescription':
      return writeRowDescription(w, m.fields);
    case 'DataRow':
      return writeDataRow(w, m.values);
    case 'CommandComplete':
      return writeFrame(w, 0x43, (w) => void w.cstring(m.tag));
    case 'EmptyQueryResponse':
      return writeFrame(w, 0x49, () => {});
    case 'ErrorResponse':
      return writeFields(w, 0x45, m.fields);
    case 'NoticeResponse':
      return writeFields(w, 0x4e, m.fields);
    case 'ParseComplete':
      return writeFrame(w, 0x31, () => {});
    case 'BindComplete':
      return writeFrame(w, 0x32, () => {});
    case 'CloseComplete':
      return writeFrame(w, 0x33, () => {});
    case 'NoData':
      return writeFrame(w, 0x6e, () => {});
    case 'ParameterDescription':
      return writeFrame(w, 0x74, (w) => {
        w.i16(m.typeOids.length);
        for (const oid of m.typeOids) w.u32(oid);
      });
    case 'PortalSuspended':
      return writeFrame(w, 0x73, () => {});
    case 'NegotiateProtocolVersion':
      return writeFrame(w, 0x76, (w) => {
        w.i32((3 << 16) | m.newestMinor).i32(m.unrecognizedOptions.length);
        for (const o of m.unrecognizedOptions) w.cstring(o);
      });
    case 'CopyInResponse':
    case 'CopyOutResponse':
      return writeFrame(w, m.type === 'CopyInResponse' ? 0x47 : 0x48, (w) => {
        w.u8(m.format).i16(m.columnFormats.length);
        for (const f of m.columnFormats) w.i16(f);
      });
    case 'CopyData':
      return writeFrame(w, 0x64, (w) => void w.bytes(m.data));
    case 'CopyDone':
      return writeFrame(w, 0x63, () => {});
  }
};

export const encodeBackendMessage = (m: BackendMessage): Uint8Array => {
  const w = new ByteWriter(64);
  writeBackendMessage(w, m);
  return w.take();
};

/** Single-byte answers to SSLRequest / GSSENCRequest (not framed messages). */
export const SSL_ACCEPT = new Uint8Array([0x53]); // 'S'
export const SSL_REJECT = new Uint8Array([0x4e]); // 'N'
