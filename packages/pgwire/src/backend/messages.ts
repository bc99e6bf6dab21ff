// Server -> client messages of protocol 3.0 as a discriminated union on `type`.
import type { FormatCode } from '../frontend/messages.js';

export type TransactionStatus = 'I' | 'T' | 'E';

export interface FieldDescription {
  readonly name: string;
  /** OID of the source table, 0 when the column is not a plain table column. */
  readonly tableOid: number;
  /** Attribute number in that table, 0 otherwise. */
  readonly columnAttr: number;
  readonly typeOid: number;
  /** pg_type.typlen: positive fixed size, -1 varlena, -2 C string. */
  readonly typeSize: number;
  /** Type modifier (e.g. varchar(n) -> n + 4), -1 when none. */
  readonly typeModifier: number;
  readonly format: FormatCode;
}

/**
 * ErrorResponse/NoticeResponse fields by their single-byte codes (PostgreSQL "Error and Notice
 * Message Fields"). Severity, code and message are always sent.
 */
export interface ErrorFields {
  /** 'S': localized severity (ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG). */
  readonly severity: string;
  /** 'V': non-localized severity; defaults to `severity` when encoding. */
  readonly severityNonLocalized?: string;
  /** 'C': SQLSTATE. */
  readonly code: string;
  /** 'M' */
  readonly message: string;
  /** 'D' */
  readonly detail?: string;
  /** 'H' */
  readonly hint?: string;
  /** 'P': 1-based character (not byte) position in the query string. */
  readonly position?: number;
  /** 'p' */
  readonly internalPosition?: number;
  /** 'q' */
  readonly internalQuery?: string;
  /** 'W' */
  readonly where?: string;
  /** 's' */
  readonly schema?: string;
  /** 't' */
  readonly table?: string;
  /** 'c' */
  readonly column?: string;
  /** 'd' */
  readonly dataType?: string;
  /** 'n' */
  readonly constraint?: string;
  /** 'F' */
  readonly file?: string;
  /** 'L' */
  readonly line?: number;
  /** 'R' */
  readonly routine?: string;
}

export type BackendMessage =
  | { readonly type: 'AuthenticationOk' }
  | { readonly type: 'AuthenticationCleartextPassword' }
  | { readonly type: 'AuthenticationMD5Password'; readonly salt: Uint8Array }
  | { readonly type: 'AuthenticationSASL'; readonly mechanisms: readonly string[] }
  | { readonly type: 'AuthenticationSASLContinue'; readonly data: Uint8Array }
  | { readonly type: 'AuthenticationSASLFinal'; readonly data: Uint8Array }
  | { readonly type: 'ParameterStatus'; readonly name: string; readonly value: string }
  | { readonly type: 'BackendKeyData'; readonly processId: number; readonly secretKey: Uint8Array }
  | { readonly type: 'ReadyForQuery'; readonly status: TransactionStatus }
  | { readonly type: 'RowDescription'; readonly fields: readonly FieldDescription[] }
  | { readonly type: 'DataRow'; readonly values: readonly (Uint8Array | null)[] }
  | { readonly type: 'CommandComplete'; readonly tag: string }
  | { readonly type: 'EmptyQueryResponse' }
  | { readonly type: 'ErrorResponse'; readonly fields: ErrorFields }
  | { readonly type: 'NoticeResponse'; readonly fields: ErrorFields }
  | { readonly type: 'ParseComplete' }
  | { readonly type: 'BindComplete' }
  | { readonly type: 'CloseComplete' }
  | { readonly type: 'NoData' }
  | { readonly type: 'ParameterDescription'; readonly typeOids: readonly number[] }
  | { readonly type: 'PortalSuspended' }
  | {
      readonly type: 'NegotiateProtocolVersion';
      readonly newestMinor: number;
      readonly unrecognizedOptions: readonly string[];
    }
  | {
      readonly type: 'CopyInResponse' | 'CopyOutResponse';
      readonly format: FormatCode;
      readonly columnFormats: readonly FormatCode[];
    }
  | { readonly type: 'CopyData'; readonly data: Uint8Array }
  | { readonly type: 'CopyDone' };

export type BackendMessageType = BackendMessage['type'];
