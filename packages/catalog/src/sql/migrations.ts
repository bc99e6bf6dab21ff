// Versioned schema migrations, applied in one transaction under a cross-process lock: a process
// that finds the database newer than it knows refuses to run rather than corrupt it.
import { CatalogError } from '../errors.js';
import type { SqlDriver, SqlTx } from './driver.js';

interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: (dialect: SqlDriver['dialect']) => readonly string[];
}

// Times are epoch milliseconds (BIGINT), flags 0/1 integers and maps JSON text: the types both
// backends share. Names are canonical lower case; display_name keeps the user's spelling.
const V1: Migration = {
  version: 1,
  description: 'catalog objects, identities, and empty governance tables',
  statements: (dialect) => {
    const autoId = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY';
    return [
      `CREATE TABLE metastore_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE principals (
        name TEXT PRIMARY KEY, display_name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('user','group')),
        disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)`,
      `CREATE TABLE user_credentials (
        principal TEXT PRIMARY KEY REFERENCES principals(name) ON DELETE CASCADE,
        password_verifier TEXT NOT NULL, scram_verifier TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE group_members (
        group_name TEXT NOT NULL REFERENCES principals(name) ON DELETE CASCADE,
        member_name TEXT NOT NULL REFERENCES principals(name) ON DELETE CASCADE,
        PRIMARY KEY (group_name, member_name))`,
      `CREATE TABLE access_tokens (
        id TEXT PRIMARY KEY, principal TEXT NOT NULL REFERENCES principals(name) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE, comment TEXT, created_at BIGINT NOT NULL,
        expires_at BIGINT, revoked_at BIGINT, last_used_at BIGINT)`,
      `CREATE TABLE catalogs (
        name TEXT PRIMARY KEY, display_name TEXT NOT NULL, owner TEXT NOT NULL, comment TEXT,
        storage_root TEXT, properties TEXT NOT NULL DEFAULT '{}',
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE schemas (
        catalog_name TEXT NOT NULL REFERENCES catalogs(name), name TEXT NOT NULL, display_name TEXT NOT NULL,
        owner TEXT NOT NULL, comment TEXT, storage_root TEXT, properties TEXT NOT NULL DEFAULT '{}',
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (catalog_name, name))`,
      // Tables and views share a namespace, as in Unity Catalog.
      `CREATE TABLE relations (
        catalog_name TEXT NOT NULL, schema_name TEXT NOT NULL, name TEXT NOT NULL, display_name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('table','view')),
        table_type TEXT CHECK (table_type IN ('managed','external')), location TEXT, format TEXT,
        view_sql TEXT, owner TEXT NOT NULL, comment TEXT, properties TEXT NOT NULL DEFAULT '{}',
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (catalog_name, schema_name, name),
        FOREIGN KEY (catalog_name, schema_name) REFERENCES schemas(catalog_name, name))`,
      `CREATE TABLE functions (
        catalog_name TEXT NOT NULL, schema_name TEXT NOT NULL, name TEXT NOT NULL, display_name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE, params TEXT NOT NULL, return_type TEXT NOT NULL, body TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'SQL', deterministic INTEGER NOT NULL DEFAULT 1,
        owner TEXT NOT NULL, comment TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (catalog_name, schema_name, name),
        FOREIGN KEY (catalog_name, schema_name) REFERENCES schemas(catalog_name, name))`,
      `CREATE TABLE volumes (
        catalog_name TEXT NOT NULL, schema_name TEXT NOT NULL, name TEXT NOT NULL, display_name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE, volume_type TEXT NOT NULL CHECK (volume_type IN ('managed','external')),
        location TEXT NOT NULL, owner TEXT NOT NULL, comment TEXT,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (catalog_name, schema_name, name),
        FOREIGN KEY (catalog_name, schema_name) REFERENCES schemas(catalog_name, name))`,
      // GRANT/REVOKE: one row per privilege (SELECT, MODIFY, USE CATALOG, ALL PRIVILEGES, ...) a
      // principal holds on a securable; inheritance down catalog > schema > object is computed.
      `CREATE TABLE grants (
        securable_type TEXT NOT NULL, securable_name TEXT NOT NULL, principal TEXT NOT NULL,
        privilege TEXT NOT NULL, granted_by TEXT, created_at BIGINT NOT NULL,
        PRIMARY KEY (securable_type, securable_name, principal, privilege))`,
      // ALTER TABLE ... SET ROW FILTER f ON (cols): the SQL layer ANDs f(cols) into every scan.
      `CREATE TABLE row_filters (
        table_name TEXT PRIMARY KEY, function_name TEXT NOT NULL, columns TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      // ALTER TABLE ... ALTER COLUMN c SET MASK f [USING COLUMNS (...)]: c is replaced by f(c, ...).
      `CREATE TABLE column_masks (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, function_name TEXT NOT NULL,
        using_columns TEXT NOT NULL DEFAULT '[]', created_at BIGINT NOT NULL, PRIMARY KEY (table_name, column_name))`,
      // Who did what to which securable, with the outcome; append-only.
      `CREATE TABLE audit_log (
        id ${autoId}, at BIGINT NOT NULL, principal TEXT, action TEXT NOT NULL, securable_type TEXT,
        securable_name TEXT, statement TEXT, outcome TEXT NOT NULL, details TEXT)`,
      // Table- and column-level lineage edges recorded by writes (INSERT ... SELECT, CTAS, MERGE).
      `CREATE TABLE lineage (
        id ${autoId}, at BIGINT NOT NULL, source_name TEXT NOT NULL, source_column TEXT,
        target_name TEXT NOT NULL, target_column TEXT, statement_id TEXT, principal TEXT)`,
      `CREATE INDEX grants_by_principal ON grants (principal)`,
      `CREATE INDEX tokens_by_principal ON access_tokens (principal)`,
    ];
  },
};

export const MIGRATIONS: readonly Migration[] = [V1];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

async function currentVersion(tx: SqlTx): Promise<number> {
  const row = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
  return Number(row?.v ?? 0);
}

/** Applies pending migrations; returns the versions applied (empty when already current). */
export async function migrate(driver: SqlDriver): Promise<number[]> {
  return driver.write(async (tx) => {
    await driver.migrationLock(tx);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const from = await currentVersion(tx);
    if (from > LATEST_VERSION) {
      throw new CatalogError(
        'METASTORE_TOO_NEW',
        `the metastore is at schema version ${from} but this Loch knows only up to ${LATEST_VERSION}; upgrade Loch`,
        { version: from, known: LATEST_VERSION },
      );
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      for (const statement of m.statements(driver.dialect)) await tx.run(statement);
      await tx.run('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.description,
        Date.now(),
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
