// A decode failure is a value, not an exception: the server turns it into an ErrorResponse with
// `sqlstate` and decides (from `fatal`) whether the connection can continue.

export type FrontendDecodeErrorCode =
  /** Length prefix above the configured maximum; rejected before buffering the body. */
  | 'message_too_large'
  /** Length prefix below the minimum the framing allows. */
  | 'invalid_length'
  /** Startup packet above the startup limit (PostgreSQL allows 10000 bytes). */
  | 'startup_too_large'
  /** Startup packet asks for a protocol major version other than 3. */
  | 'unsupported_protocol'
  /** Framing was fine but the body does not match the message layout. */
  | 'malformed_message'
  /** A string field is not valid UTF-8. */
  | 'invalid_utf8'
  /** A format code other than 0 (text) or 1 (binary). */
  | 'invalid_format_code'
  /** A message type byte this protocol version does not define (or the server does not support). */
  | 'unknown_message_type';

export interface FrontendDecodeError {
  readonly type: 'DecodeError';
  readonly code: FrontendDecodeErrorCode;
  /** SQLSTATE for the ErrorResponse. */
  readonly sqlstate: string;
  readonly message: string;
  /**
   * True when the byte stream can no longer be framed (the decoder stops); false when only one
   * message was bad and the next one can be read.
   */
  readonly fatal: boolean;
}

const SQLSTATE: Record<FrontendDecodeErrorCode, string> = {
  message_too_large: '08P01',
  invalid_length: '08P01',
  startup_too_large: '08P01',
  unsupported_protocol: '0A000',
  malformed_message: '08P01',
  invalid_utf8: '22021',
  invalid_format_code: '22023',
  unknown_message_type: '08P01',
};

const FATAL: Record<FrontendDecodeErrorCode, boolean> = {
  message_too_large: true,
  invalid_length: true,
  startup_too_large: true,
  unsupported_protocol: true,
  malformed_message: false,
  invalid_utf8: false,
  invalid_format_code: false,
  unknown_message_type: false,
};

export const decodeError = (code: FrontendDecodeErrorCode, message: string): FrontendDecodeError => ({
  type: 'DecodeError',
  code,
  sqlstate: SQLSTATE[code],
  message,
  fatal: FATAL[code],
});

/** Printable name of a message type byte for error messages ("'Q' (0x51)"). */
export const describeTypeByte = (code: number): string => {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}' (${hex})` : hex;
};
