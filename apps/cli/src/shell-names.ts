// Names the shell completes that need a lookup: tables in the warehouse folder, columns of a table
// (DESCRIBE TABLE) and DuckDB's functions, each looked up once per session and cached.

import type { ShellBackend } from './shell.js';
import { findTablePaths } from './shell-completion.js';

/** Names for completion, looked up once per session (columns once per table). */
export class NameCache {
  readonly #backend: ShellBackend;
  readonly #warehouse: string | undefined;
  readonly #columns = new Map<string, Promise<readonly string[]>>();
  #functions: Promise<readonly string[]> | undefined;
  #paths: string[] | undefined;

  constructor(backend: ShellBackend, warehouse: string | undefined) {
    this.#backend = backend;
    this.#warehouse = warehouse;
  }

  warehousePaths(): readonly string[] {
    if (this.#warehouse === undefined) return [];
    this.#paths ??= findTablePaths(this.#warehouse);
    return this.#paths;
  }

  async columns(locations: readonly string[]): Promise<readonly string[]> {
    const lists = await Promise.all(locations.map((l) => this.#columnsOf(l)));
    return lists.flat();
  }

  #columnsOf(location: string): Promise<readonly string[]> {
    let cached = this.#columns.get(location);
    if (cached === undefined) {
      cached = this.#backend
        .execute(`DESCRIBE TABLE delta.\`${location.replaceAll('`', '``')}\``)
        .then((rs) =>
          (rs[0]?.rows ?? []).map((r) => String(r[0])).filter((n) => n !== '' && !n.startsWith('#')),
        )
        // A table that does not exist yet may be created later in the session: ask again next time.
        .catch(() => {
          this.#columns.delete(location);
          return [];
        });
      this.#columns.set(location, cached);
    }
    return cached;
  }

  functions(): Promise<readonly string[]> {
    this.#functions ??= this.#backend
      .query('SELECT DISTINCT function_name FROM duckdb_functions() ORDER BY 1')
      .then((r) => r.rows.map((row) => String(row[0])).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)))
      .catch(() => []);
    return this.#functions;
  }
}
