// Client -> server messages of protocol 3.0 as a discriminated union on `type`. Names follow the
// PostgreSQL documentation ("Message Formats") so they can be looked up there.

/** Format codes: 0 = text, 1 = binary. Anything else is rejected at decode time. */
export type FormatCode = 0 | 1;

export const PROTOCOL_3_0 = 196608; // 3 << 16
export const SSL_REQUEST_CODE = 80877103; // 1234 << 16 | 5679
export const GSSENC_REQUEST_CODE = 80877104; // 1234 << 16 | 5680
export const CANCEL_REQUEST_CODE = 80877102; // 1234 << 16 | 5678

export interface StartupMessage {
  readonly type: 'StartupMessage';
  readonly protocolMajor: number;
  readonly protocolMinor: number;
  /** In wire order; a Map so hostile keys like `__proto__` stay plain data. */
  readonly parameters: ReadonlyMap<string, string>;
}

export interface SSLRequest {
  readonly type: 'SSLRequest';
}

export interface GSSENCRequest {
  readonly type: 'GSSENCRequest';
}

export interface CancelRequest {
  readonly type: 'CancelRequest';
  readonly processId: number;
  /** 4 bytes in protocol 3.0; 3.2 allows up to 256. */
  readonly secretKey: Uint8Array;
}

export interface Query {
  readonly type: 'Query';
  readonly sql: string;
}

export interface Parse {
  readonly type: 'Parse';
  readonly statement: string;
  readonly sql: string;
  /** 0 means "let the server infer". */
  readonly parameterTypes: readonly number[];
}

export interface Bind {
  readonly type: 'Bind';
  readonly portal: string;
  readonly statement: string;
  /** Empty = all text; one code = applies to all; otherwise one per parameter. */
  readonly parameterFormats: readonly FormatCode[];
  /** `null` is SQL NULL (length -1 on the wire). */
  readonly parameters: readonly (Uint8Array | null)[];
  /** Same convention as parameterFormats, for result columns. */
  readonly resultFormats: readonly FormatCode[];
}

export interface Describe {
  readonly type: 'Describe';
  /** 'S' = prepared statement, 'P' = portal. */
  readonly target: 'S' | 'P';
  readonly name: string;
}

export interface Execute {
  readonly type: 'Execute';
  readonly portal: string;
  /** 0 = no limit. */
  readonly maxRows: number;
}

export interface Close {
  readonly type: 'Close';
  readonly target: 'S' | 'P';
  readonly name: string;
}

export interface Sync {
  readonly type: 'Sync';
}

export interface Flush {
  readonly type: 'Flush';
}

export interface Terminate {
  readonly type: 'Terminate';
}

export interface PasswordMessage {
  readonly type: 'PasswordMessage';
  readonly password: string;
}

export interface SASLInitialResponse {
  readonly type: 'SASLInitialResponse';
  readonly mechanism: string;
  /** `null` when the client sent length -1 (no initial response). */
  readonly data: Uint8Array | null;
}

export interface SASLResponse {
  readonly type: 'SASLResponse';
  readonly data: Uint8Array;
}

/** A 'p' message received while no authentication exchange was expected. */
export interface PasswordData {
  readonly type: 'PasswordData';
  readonly data: Uint8Array;
}

export interface CopyData {
  readonly type: 'CopyData';
  readonly data: Uint8Array;
}

export interface CopyDone {
  readonly type: 'CopyDone';
}

export interface CopyFail {
  readonly type: 'CopyFail';
  readonly message: string;
}

export type StartupPhaseMessage = StartupMessage | SSLRequest | GSSENCRequest | CancelRequest;

export type FrontendMessage =
  | StartupPhaseMessage
  | Query
  | Parse
  | Bind
  | Describe
  | Execute
  | Close
  | Sync
  | Flush
  | Terminate
  | PasswordMessage
  | SASLInitialResponse
  | SASLResponse
  | PasswordData
  | CopyData
  | CopyDone
  | CopyFail;

/**
 * How the decoder reads a 'p' message: its layout depends on which authentication request the
 * server sent last, which only the server knows.
 */
export type PasswordContext = 'none' | 'password' | 'sasl-initial' | 'sasl-continue';
