export { canonicalSql, displaySql } from './compare/canonical-sql.js';
export {
  type CanonicalizeOptions,
  type CanonicalRows,
  type CompareResult,
  canonicalizeJson,
  canonicalizeRelation,
  compareCanonical,
  compareRows,
  type ExpectedRows,
  type JsonColumn,
  type JsonColumnMode,
  jsonColumnMode,
} from './compare/compare-rows.js';
export { normalizeDisplay } from './compare/display-normalize.js';
export { type DuckRunner, openDuckRunner } from './compare/duck-runner.js';
export { type DuckType, duckTypeToSql, parseDuckType, quoteIdent, quoteString } from './compare/duck-type.js';
export { diffMultisets, formatDiff, type MultisetDiff, type RowCount } from './compare/multiset.js';
export type { SqlColumn, SqlResult, SqlRunner } from './compare/sql-runner.js';
export { expectedRows, parquetUnionSql } from './fixtures/expected-rows.js';
export {
  type ExpectedJson,
  entryVersion,
  expectedParquetFiles,
  FixturesNotFoundError,
  fixturesAvailable,
  fixturesRoot,
  loadExpectedJson,
  loadManifest,
  repoRoot,
  tableDir,
  validateManifest,
} from './fixtures/manifest.js';
export type {
  ExpectedEntry,
  ExpectedKind,
  FixtureManifest,
  FixtureTable,
  VersionRef,
  VersionState,
} from './fixtures/manifest-types.js';
export {
  type CountingStore,
  commitVersions,
  countingStore,
  type StoreCall,
  type StoreMethod,
} from './stores/counting-store.js';
export { withTempDir } from './temp-dir.js';
