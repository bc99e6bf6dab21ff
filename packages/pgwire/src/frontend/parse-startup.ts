import { ByteReader } from '../bytes/byte-reader.js';
import { decodeError, type FrontendDecodeError } from './decode-error.js';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  type StartupPhaseMessage,
} from './messages.js';

/** Protocol 3.2 (PostgreSQL 18) allows cancel keys up to 256 bytes. */
const MAX_CANCEL_KEY = 256;

/**
 * Parses an untyped startup-phase packet body: everything after the Int32 length, starting with
 * the Int32 request code / protocol version.
 */
export const parseStartupPacket = (body: Uint8Array): StartupPhaseMessage | FrontendDecodeError => {
  const r = new ByteReader(body);
  const code = r.i32();
  if (r.failed) return decodeError('invalid_length', 'startup packet is shorter than 8 bytes');

  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    if (r.remaining !== 0) {
      return decodeError(
        'malformed_message',
        `SSLRequest/GSSENCRequest must be 8 bytes, got ${body.length + 4}`,
      );
    }
    return { type: code === SSL_REQUEST_CODE ? 'SSLRequest' : 'GSSENCRequest' };
  }

  if (code === CANCEL_REQUEST_CODE) {
    const processId = r.i32();
    const keyLength = r.remaining;
    if (r.failed || keyLength < 4 || keyLength > MAX_CANCEL_KEY) {
      return decodeError('malformed_message', `CancelRequest has an invalid length ${body.length + 4}`);
    }
    return { type: 'CancelRequest', processId, secretKey: r.bytes(keyLength) };
  }

  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== 3) {
    return decodeError(
      'unsupported_protocol',
      `unsupported frontend protocol ${major}.${minor}: server supports 3.0; upgrade the client`,
    );
  }

  const parameters = new Map<string, string>();
  for (;;) {
    const key = r.cstring();
    if (r.failed) break;
    if (key === '') break;
    const value = r.cstring();
    if (r.failed) break;
    parameters.set(key, value);
  }
  if (!r.ok) {
    if (r.invalidUtf8) return decodeError('invalid_utf8', 'startup packet parameter is not valid UTF-8');
    return decodeError(
      'malformed_message',
      'startup packet parameters must be NUL-terminated name/value pairs ending with an empty name',
    );
  }
  return { type: 'StartupMessage', protocolMajor: major, protocolMinor: minor, parameters };
};
