// Client-side serializers. The server never sends these; they exist for tests, fuzzing and any
// Node client code (e.g. a cancel request sender) that wants to speak the protocol.
import { ByteWriter } from '../bytes/byte-writer.js';
import { writeFrame, writeUntypedFrame } from '../bytes/message-frame.js';
import {
  CANCEL_REQUEST_CODE,
  type FrontendMessage,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
} from './messages.js';

const code = (c: string): number => c.charCodeAt(0);

export const writeFrontendMessage = (w: ByteWriter, m: FrontendMessage) => {
  switch (m.type) {
    case 'StartupMessage':
      return writeUntypedFrame(w, (w) => {
        w.i32((m.protocolMajor << 16) | m.protocolMinor);
        for (const [k, v] of m.parameters) w.cstring(k).cstring(v);
        w.u8(0);
      });
    case 'SSLRequest':
      return writeUntypedFrame(w, (w) => void w.i32(SSL_REQUEST_CODE));
    case 'GSSENCRequest':
      return writeUntypedFrame(w, (w) => void w.i32(GSSENC_REQUEST_CODE));
    case 'CancelRequest':
      return writeUntypedFrame(w, (w) => void w.i32(CANCEL_REQUEST_CODE).i32(m.processId).bytes(m.secretKey));
    case 'Query':
      return writeFrame(w, code('Q'), (w) => void w.cstring(m.sql));
    case 'Parse':
      return writeFrame(w, code('P'), (w) => {
        w.cstring(m.statement).cstring(m.sql).i16(m.parameterTypes.length);
        for (const t of m.parameterTypes) w.u32(t);
      });
    case 'Bind':
      return writeFrame(w, code('B'), (w) => {
        w.cstring(m.portal).cstring(m.statement).i16(m.parameterFormats.length);
        for (const f of m.parameterFormats) w.i16(f);
        w.i16(m.parameters.length);
        for (const p of m.parameters) {
          if (p === null) w.i32(-1);
          else w.i32(p.length).bytes(p);
        }
        w.i16(m.resultFormats.length);
        for (const f of m.resultFormats) w.i16(f);
      });
    case 'Describe':
      return writeFrame(w, code('D'), (w) => void w.u8(code(m.target)).cstring(m.name));
    case 'Execute':
      return writeFrame(w, code('E'), (w) => void w.cstring(m.portal).i32(m.maxRows));
    case 'Close':
      return writeFrame(w, code('C'), (w) => void w.u8(code(m.target)).cstring(m.name));
    case 'Sync':
      return writeFrame(w, code('S'), () => {});
    case 'Flush':
      return writeFrame(w, code('H'), () => {});
    case 'Terminate':
      return writeFrame(w, code('X'), () => {});
    case 'PasswordMessage':
      return writeFrame(w, code('p'), (w) => void w.cstring(m.password));
    case 'SASLInitialResponse':
      return writeFrame(w, code('p'), (w) => {
        w.cstring(m.mechanism);
        if (m.data === null) w.i32(-1);
        else w.i32(m.data.length).bytes(m.data);
      });
    case 'SASLResponse':
    case 'PasswordData':
      return writeFrame(w, code('p'), (w) => void w.bytes(m.data));
    case 'CopyData':
      return writeFrame(w, code('d'), (w) => void w.bytes(m.data));
    case 'CopyDone':
      return writeFrame(w, code('c'), () => {});
    case 'CopyFail':
      return writeFrame(w, code('f'), (w) => void w.cstring(m.message));
  }
};

export const encodeFrontendMessage = (m: FrontendMessage): Uint8Array => {
  const w = new ByteWriter(64);
  writeFrontendMessage(w, m);
  return w.take();
};

export const encodeFrontendMessages = (ms: readonly FrontendMessage[]): Uint8Array => {
  const w = new ByteWriter(256);
  for (const m of ms) writeFrontendMessage(w, m);
  return w.take();
};
