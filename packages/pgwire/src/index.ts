// @loch/pgwire: the PostgreSQL wire protocol (v3) as a pure codec. No sockets, no Node APIs:
// the server feeds bytes in and writes the bytes it gets out.

export { BackendWriter } from './backend/backend-writer.js';
export { type CountedCommand, commandTag, isCountedCommand, rowCountOfTag } from './backend/command-tag.js';
export { type BackendDecodeError, BackendDecoder } from './backend/decoder.js';
export {
  encodeBackendMessage,
  SSL_ACCEPT,
  SSL_REJECT,
  writeBackendMessage,
  writeDataRow,
  writeRowDescription,
} from './backend/encode.js';
export {
  ERROR_FIELD_CODES,
  errorFieldEntries,
  errorFields,
  errorFieldsFromEntries,
} from './backend/error-fields.js';

// Backend (server -> client)
export type {
  BackendMessage,
  BackendMessageType,
  ErrorFields,
  FieldDescription,
  TransactionStatus,
} from './backend/messages.js';
export { ByteReader } from './bytes/byte-reader.js';
// Byte plumbing, for servers that write their own messages
export { ByteWriter } from './bytes/byte-writer.js';
export type { FrontendDecodeError, FrontendDecodeErrorCode } from './frontend/decode-error.js';
export {
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_MAX_STARTUP_SIZE,
  type DecoderPhase,
  FrontendDecoder,
  type FrontendDecoderOptions,
} from './frontend/decoder.js';
export { encodeFrontendMessage, encodeFrontendMessages, writeFrontendMessage } from './frontend/encode.js';
// Frontend (client -> server)
export type {
  Bind,
  CancelRequest,
  Close,
  CopyData,
  CopyDone,
  CopyFail,
  Describe,
  Execute,
  Flush,
  FormatCode,
  FrontendMessage,
  GSSENCRequest,
  Parse,
  PasswordContext,
  PasswordData,
  PasswordMessage,
  Query,
  SASLInitialResponse,
  SASLResponse,
  SSLRequest,
  StartupMessage,
  StartupPhaseMessage,
  Sync,
  Terminate,
} from './frontend/messages.js';
export {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  PROTOCOL_3_0,
  SSL_REQUEST_CODE,
} from './frontend/messages.js';
// Startup helpers
export {
  interpretStartup,
  parseStartupOptions,
  protocolNegotiation,
  type ServerParameterOptions,
  type SessionStartup,
  SUPPORTED_PROTOCOL_MINOR,
  serverParameterStatus,
} from './frontend/startup.js';
export { decodeBase64, encodeBase64 } from './scram/base64.js';
// SCRAM-SHA-256
export { constantTimeEqual, type ScramCrypto } from './scram/crypto.js';
export { saslprep } from './scram/saslprep.js';
export {
  type ChannelBinding,
  SCRAM_SHA_256,
  SCRAM_SHA_256_PLUS,
  type ScramError,
  type ScramErrorCode,
  type ScramServerOptions,
  type ScramState,
  type ScramStep,
  scramHandleClientFinal,
  scramHandleClientFirst,
  scramMechanisms,
  scramStart,
} from './scram/scram-server.js';
export {
  type CreateVerifierOptions,
  createScramVerifier,
  DEFAULT_SCRAM_ITERATIONS,
  DEFAULT_SCRAM_SALT_LENGTH,
  deriveScramKeys,
  formatScramVerifier,
  mockScramVerifier,
  parseScramVerifier,
  type ScramVerifier,
  verifyScramPassword,
} from './scram/verifier.js';
export { arrayShape, formatArrayText, parseArrayText, type TextArray } from './types/array-text.js';
export { decodeBinary, encodeBinary, supportsBinary, writeBinary } from './types/binary-codec.js';
export { type BindParamsResult, decodeBindParameters } from './types/bind-params.js';
export { formatBytea, formatUuid, parseByteaText, parseUuidText, uuidBytes } from './types/bytea-uuid.js';
export {
  civilFromDays,
  daysFromCivil,
  formatDate,
  formatOffset,
  formatTimestamp,
  formatTimestamptz,
  MICROS_PER_DAY,
  PG_EPOCH_DAYS,
  PG_EPOCH_MICROS,
  parseDateText,
  parseTimestampText,
  type TimeZoneOffset,
  UTC,
} from './types/datetime.js';
export { type DeltaTypeLike, type PgColumnType, pgTypeForDelta } from './types/delta-types.js';
export { formatFloat4, formatFloat8, parseFloatText } from './types/float-text.js';
export { formatJsonb } from './types/jsonb-text.js';
export { formatNumeric, parseNumericText } from './types/numeric.js';
// Types and value codecs
export {
  allPgTypes,
  isArrayOid,
  numericTypmod,
  PgOid,
  type PgOidName,
  type PgTypeInfo,
  pgTypeInfo,
  typlenOf,
  varcharTypmod,
} from './types/oids.js';
export {
  type ColumnEncoding,
  fieldDescription,
  resolveFormats,
  writeTypedDataRow,
} from './types/row-encoder.js';
export { decodeText, encodeText, type TextFormatOptions } from './types/text-codec.js';
export {
  formatInterval,
  formatTime,
  intervalMicros,
  isPgInterval,
  parseIntervalText,
  parseTimeText,
} from './types/time-interval.js';
export { fixedOffset, timeZoneOffset } from './types/time-zone.js';
export type { DecodeResult, PgInterval, PgScalar, PgValue, ValueError } from './types/values.js';
