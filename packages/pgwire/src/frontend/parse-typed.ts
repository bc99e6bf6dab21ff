import { ByteReader } from '../bytes/byte-reader.js';
import { decodeError, describeTypeByte, type FrontendDecodeError } from './decode-error.js';
import type { FormatCode, FrontendMessage, PasswordContext } from './messages.js';

const malformed = (name: string, r: ByteReader): FrontendDecodeError =>
  r.invalidUtf8
    ? decodeError('invalid_utf8', `${name} message contains a string that is not valid UTF-8`)
    : decodeError(
        'malformed_message',
        `${name} message body does not match its format (length or terminator)`,
      );

const readFormatCodes = (r: ByteReader, name: string): FormatCode[] | FrontendDecodeError => {
  const n = r.i16();
  if (n < 0) return decodeError('malformed_message', `${name} message has a negative format code count ${n}`);
  // Each code is 2 bytes; checking first keeps a lying count from allocating a huge array.
  if (n * 2 > r.remaining) return malformed(name, r);
  const codes: FormatCode[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = r.i16();
    if (c !== 0 && c !== 1) {
      return decodeError('invalid_format_code', `unsupported format code ${c}; use 0 (text) or 1 (binary)`);
    }
    codes[i] = c;
  }
  return codes;
};

const parseBind = (r: ByteReader): FrontendMessage | FrontendDecodeError => {
  const portal = r.cstring();
  const statement = r.cstring();
  const parameterFormats = readFormatCodes(r, 'Bind');
  if (!Array.isArray(parameterFormats)) return parameterFormats;
  const n = r.i16();
  if (r.failed) return malformed('Bind', r);
  if (n < 0) return decodeError('malformed_message', `Bind message has a negative parameter count ${n}`);
  if (n * 4 > r.remaining) return malformed('Bind', r);
  if (parameterFormats.length > 1 && parameterFormats.length !== n) {
    return decodeError(
      'malformed_message',
      `bind message has ${parameterFormats.length} parameter formats but ${n} parameters`,
    );
  }
  const parameters: (Uint8Array | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const len = r.i32();
    if (len === -1) {
      parameters[i] = null;
      continue;
    }
    if (len < -1)
      return decodeError('malformed_message', `Bind parameter ${i + 1} has invalid length ${len}`);
    parameters[i] = r.bytes(len);
    if (r.failed) return malformed('Bind', r);
  }
  const resultFormats = readFormatCodes(r, 'Bind');
  if (!Array.isArray(resultFormats)) return resultFormats;
  if (!r.ok) return malformed('Bind', r);
  return { type: 'Bind', portal, statement, parameterFormats, parameters, resultFormats };
};

const parseParse = (r: ByteReader): FrontendMessage | FrontendDecodeError => {
  const statement = r.cstring();
  const sql = r.cstring();
  const n = r.i16();
  if (r.failed) return malformed('Parse', r);
  if (n < 0)
    return decodeError('malformed_message', `Parse message has a negative parameter type count ${n}`);
  if (n * 4 > r.remaining) return malformed('Parse', r);
  const parameterTypes: number[] = new Array(n);
  for (let i = 0; i < n; i++) parameterTypes[i] = r.u32();
  if (!r.ok) return malformed('Parse', r);
  return { type: 'Parse', statement, sql, parameterTypes };
};

const parseTarget = (r: ByteReader, kind: 'Describe' | 'Close'): FrontendMessage | FrontendDecodeError => {
  const t = r.u8();
  const name = r.cstring();
  if (!r.ok) return malformed(kind, r);
  if (t !== 0x53 && t !== 0x50) {
    return decodeError(
      'malformed_message',
      `invalid ${kind} message subtype ${describeTypeByte(t)}; use 'S' (statement) or 'P' (portal)`,
    );
  }
  return { type: kind, target: t === 0x53 ? 'S' : 'P', name };
};

const parsePassword = (r: ByteReader, ctx: PasswordContext): FrontendMessage | FrontendDecodeError => {
  switch (ctx) {
    case 'password': {
      const password = r.cstring();
      if (!r.ok) return malformed('PasswordMessage', r);
      return { type: 'PasswordMessage', password };
    }
    case 'sasl-initial': {
      const mechanism = r.cstring();
      const len = r.i32();
      if (r.failed) return malformed('SASLInitialResponse', r);
      if (len < -1) return decodeError('malformed_message', `SASLInitialResponse has invalid length ${len}`);
      const data = len === -1 ? null : r.bytes(len);
      if (!r.ok) return malformed('SASLInitialResponse', r);
      return { type: 'SASLInitialResponse', mechanism, data };
    }
    case 'sasl-continue':
      return { type: 'SASLResponse', data: r.rest() };
    case 'none':
      return { type: 'PasswordData', data: r.rest() };
  }
};

const empty = (
  r: ByteReader,
  type: 'Sync' | 'Flush' | 'Terminate' | 'CopyDone',
): FrontendMessage | FrontendDecodeError =>
  r.ok
    ? { type }
    : decodeError('malformed_message', `${type} message must have an empty body, got ${r.remaining} bytes`);

/** Parses the body of a typed (post-startup) message. `body` excludes the type byte and length. */
export const parseTypedMessage = (
  code: number,
  body: Uint8Array,
  passwordContext: PasswordContext,
): FrontendMessage | FrontendDecodeError => {
  const r = new ByteReader(body);
  switch (code) {
    case 0x51: {
      // 'Q'
      const sql = r.cstring();
      return r.ok ? { type: 'Query', sql } : malformed('Query', r);
    }
    case 0x50: // 'P'
      return parseParse(r);
    case 0x42: // 'B'
      return parseBind(r);
    case 0x44: // 'D'
      return parseTarget(r, 'Describe');
    case 0x45: {
      // 'E'
      const portal = r.cstring();
      const maxRows = r.i32();
      return r.ok ? { type: 'Execute', portal, maxRows } : malformed('Execute', r);
    }
    case 0x43: // 'C'
      return parseTarget(r, 'Close');
    case 0x53: // 'S'
      return empty(r, 'Sync');
    case 0x48: // 'H'
      return empty(r, 'Flush');
    case 0x58: // 'X'
      return empty(r, 'Terminate');
    case 0x70: // 'p'
      return parsePassword(r, passwordContext);
    case 0x64: // 'd'
      return { type: 'CopyData', data: r.rest() };
    case 0x63: // 'c'
      return empty(r, 'CopyDone');
    case 0x66: {
      // 'f'
      const message = r.cstring();
      return r.ok ? { type: 'CopyFail', message } : malformed('CopyFail', r);
    }
    default:
      return decodeError('unknown_message_type', `invalid frontend message type ${describeTypeByte(code)}`);
  }
};
