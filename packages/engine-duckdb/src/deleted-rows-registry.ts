// Large deletion vectors become a table (file, row) that scans filter against; small ones are inlined
// into the scan SQL. The tables live in an attached in-memory database so every pooled connection sees
// them (TEMP tables are per connection) and a file-backed database never persists them.
import type { DuckDBConnection } from '@duckdb/node-api';
import { InterruptScope } from './interrupt-scope.js';
import { quoteIdent } from './sql-text.js';
import type { ScanFile } from './types.js';

/** Above this many deleted rows in one scan, a table beats an inline VALUES list in the SQL text. */
export const INLINE_DELETED_ROWS_LIMIT = 1000;
/** Tables kept; the oldest is dropped past this (a scan SQL text older than that may no longer run). */
const MAX_TABLES = 32;
const SCRATCH_DB = 'loch_scratch';

type Use = <T>(fn: (conn: DuckDBConnection) => Promise<T>) => Promise<T>;

export class DeletedRowsRegistry {
  readonly #use: Use;
  readonly #tables = new Map<string, Promise<string>>();
  #next = 0;
  #attached: Promise<void> | undefined;

  constructor(use: Use) {
    this.#use = use;
  }

  /** A fully qualified table name holding the scan's deleted rows, or undefined when inlining is cheaper. */
  async tableFor(files: readonly ScanFile[]): Promise<string | undefined> {
    let total = 0;
    for (const f of files) total += f.deletedRows?.length ?? 0;
    if (total <= INLINE_DELETED_ROWS_LIMIT) return undefined;
    const key = contentKey(files);
    let table = this.#tables.get(key);
    if (table === undefined) {
      // Other scans may await this table: one of them being interrupted must not fail the rest.
      table = InterruptScope.detached(() => this.#create(files));
      this.#tables.set(key, table);
      // A failed load must not poison later scans.
      table.catch(() => this.#tables.delete(key));
      await this.#evict();
    } else {
      // Refresh recency.
      this.#tables.delete(key);
      this.#tables.set(key, table);
    }
    return table;
  }

  async #create(files: readonly ScanFile[]): Promise<string> {
    this.#attached ??= this.#use(async (conn) => {
      await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${SCRATCH_DB}`);
    });
    await this.#attached;
    const name = `deleted_rows_${this.#next++}`;
    const qualified = `${SCRATCH_DB}.main.${quoteIdent(name)}`;
    await this.#use(async (conn) => {
      await conn.run(`CREATE TABLE ${qualified} (file VARCHAR, "row" BIGINT)`);
      const appender = await conn.createAppender(name, 'main', SCRATCH_DB);
      try {
        for (const f of files) {
          for (const row of f.deletedRows ?? []) {
            appender.appendVarchar(f.location);
            appender.appendBigInt(BigInt(row));
            appender.endRow();
          }
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
    return qualified;
  }

  async #evict(): Promise<void> {
    while (this.#tables.size > MAX_TABLES) {
      const [key, table] = this.#tables.entries().next().value as [string, Promise<string>];
      this.#tables.delete(key);
      const name = await table.catch(() => undefined);
      if (name !== undefined)
        await this.#use((conn) => conn.run(`DROP TABLE IF EXISTS ${name}`).then(() => undefined));
    }
  }
}

/** Identifies a scan's deleted-row set by content, so re-scanning a snapshot reuses its table. */
function contentKey(files: readonly ScanFile[]): string {
  // FNV-1a over the numbers; the locations and counts go in verbatim so collisions need equal shapes.
  let h = 0x811c9dc5;
  const parts: string[] = [];
  for (const f of files) {
    const rows = f.deletedRows;
    if (rows === undefined || rows.length === 0) continue;
    parts.push(`${f.location}#${rows.length}`);
    for (const r of rows) {
      h ^= r & 0xffff;
      h = Math.imul(h, 0x01000193);
      h ^= r >>> 16;
      h = Math.imul(h, 0x01000193);
    }
  }
  return `${parts.join('|')}@${(h >>> 0).toString(16)}`;
}
