// @loch/server: the PostgreSQL wire-protocol server behind `loch serve`.
export { type AuthBackend, Authenticator, type AuthMode } from './auth.js';
export { findPlaceholders, sqlLiteral, substitute } from './bind-sql.js';
export {
  CatalogMirror,
  catalogRelations,
  type MirroredSessionOptions,
  MirroredSqlSession,
  type MirrorRelation,
  mirrorDdl,
} from './catalog-mirror.js';
export { affectedRows, type CommandInfo, commandInfo } from './command-info.js';
export { type PgColumn, pgColumns, pgRow, wireTypeOf } from './pg-values.js';
export {
  DEFAULT_HOST,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_PORT,
  PgServer,
  type ServerAddress,
  type ServerOptions,
} from './server.js';
export { SERVER_VERSION, SessionSettings, VERSION_TEXT } from './session-settings.js';
