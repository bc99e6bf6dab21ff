export {
  parseScramVerifier,
  SCRAM_ITERATIONS,
  type ScramVerifier,
  saslPrep,
  scramVerifierFor,
} from './auth/scram.js';
export { CatalogError, type CatalogErrorCode, isCatalogError, type ObjectKind } from './errors.js';
export type * from './identity-types.js';
export type { CatalogStore, IdentityStore, Metastore, ObjectKindFilter } from './metastore.js';
export {
  canonical,
  formatName,
  formatSchema,
  likeMatcher,
  type ObjectName,
  type ObjectRef,
  objectName,
  resolveName,
  resolveSchema,
  type SchemaName,
  type SchemaRef,
  schemaName,
} from './names.js';
export {
  METASTORE_DIR,
  METASTORE_FILE,
  type MetastoreTarget,
  type OpenedMetastore,
  type OpenMetastoreOptions,
  openMetastore,
  parseMetastoreTarget,
} from './open-metastore.js';
export { LATEST_VERSION as METASTORE_SCHEMA_VERSION } from './sql/migrations.js';
export { closestName, levenshtein } from './suggest.js';
export type * from './types.js';
