// PostgreSQL through a `pg` pool. All metastore tables live in one PostgreSQL schema, chosen with
// search_path, so several metastores (or test runs) can share a database.
import pg from 'pg';
import { CatalogError } from '../errors.js';
import type { Row, SqlDriver, SqlTx, SqlValue } from './driver.js';

// int8 and numeric come back as strings by default; our counters and epoch-millisecond times fit
// in a double, and per-pool parsers avoid changing `pg`'s global state for other users.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const toPg = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

function txOn(client: pg.Pool | pg.PoolClient): SqlTx {
  return {
    all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(toPg(sql), params as SqlValue[])).rows as T[],
    get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(toPg(sql), params as SqlValue[])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(toPg(sql), params as SqlValue[])).rowCount ?? 0,
  };
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly schema: string;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.schema = schema;
  }

  /** Connects, creates the schema if needed, and fails with METASTORE_UNAVAILABLE if it cannot. */
  static async connect(url: string, schema: string): Promise<PostgresDriver> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      types,
      options: `-c search_path=${quoteIdent(schema)}`,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that loses its server must not crash the process.
    pool.on('error', () => undefined);
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } catch (e) {
      // Two processes creating the same schema race on the catalog's unique index.
      if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P06') {
        await pool.end().catch(() => undefined);
        const where = url.replace(/\/\/[^@/]*@/, '//');
        throw new CatalogError(
          'METASTORE_UNAVAILABLE',
          `cannot reach the PostgreSQL metastore at ${where} (schema ${schema}): ${(e as Error).message}; check that the server is running and the URL, user and database are right`,
          { url: where, schema },
        );
      }
    }
    return new PostgresDriver(pool, schema);
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return fn(txOn(this.#pool));
  }

  async write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(txOn(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async migrationLock(tx: SqlTx): Promise<void> {
    await tx.get('SELECT pg_advisory_xact_lock(hashtext(current_schema())) AS locked');
  }

  isUniqueViolation(e: unknown): boolean {
    return (e as { code?: unknown } | null)?.code === '23505';
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
