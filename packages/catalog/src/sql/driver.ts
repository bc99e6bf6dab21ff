// The narrow database surface both backends provide, so one implementation of the metastore runs
// on either. Statements use `?` placeholders and the SQL subset SQLite and PostgreSQL share.

export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlTx {
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** Reads outside an explicit transaction (each statement sees committed data). */
  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** A write transaction: committed when `fn` resolves, rolled back when it throws. */
  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** Serialises migrations across processes (SQLite: the write lock; PostgreSQL: an advisory lock). */
  migrationLock(tx: SqlTx): Promise<void>;
  isUniqueViolation(e: unknown): boolean;
  close(): Promise<void>;
}
