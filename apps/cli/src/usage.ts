// Help text and the usage error the CLI exits with code 2 for.

export const USAGE = `loch - a lakehouse on Delta Lake and DuckDB

Usage:
  loch sql [--format table|ndjson|csv|json] [--warehouse DIR] [--metrics] "<statements>"
  loch sql [--format ...] [--warehouse DIR] -      (statements from stdin)
  loch sql [--format ...] [--warehouse DIR] [-i]   (interactive shell; \\? inside for help)
  loch demo [--warehouse DIR]
  loch serve [--warehouse DIR] [--port N] [--host H] [--auth-cleartext] [--max-concurrent-queries N]
             [--tls-cert FILE --tls-key FILE]
  loch --help | --version

Commands:
  sql    Run SQL statements (separated by ';'): tables print every result that has rows,
         ndjson/csv/json the last one. Tables are named (catalog.schema.table, USE CATALOG,
         USE SCHEMA; default main.default) or addressed by path: delta.\`/path/to/table\`
         (relative paths resolve against the warehouse). Queries are DuckDB SQL plus the
         Databricks statements: CREATE CATALOG|SCHEMA|TABLE|VIEW|FUNCTION, INSERT, DELETE,
         UPDATE, MERGE, time travel, DESCRIBE HISTORY|DETAIL, RESTORE, ALTER TABLE,
         OPTIMIZE, VACUUM, COPY INTO, CONVERT TO DELTA, table_changes(), SHOW ..., and
         SET spark.<conf> = <value>. Queries skip files by partition values and stats;
         EXPLAIN <query> shows how. Long statements show a progress bar on a terminal.
  serve  Serve the warehouse over the PostgreSQL wire protocol (psql, BI tools, drivers)
         on --host (default 127.0.0.1) and --port (default 15432). Users authenticate
         with SCRAM-SHA-256; --auth-cleartext asks for a password or personal access
         token instead (use it with TLS: --tls-cert/--tls-key PEM files). A fresh
         warehouse prints the generated admin password once. Up to
         --max-concurrent-queries statements (default 16) run at once; more wait. Ctrl-C stops it.
  demo   Build a small bronze/silver/gold example under the warehouse directory
         (default ./warehouse, or $LOCH_WAREHOUSE) and show its history and time travel.

Options:
  -f, --format FORMAT   Output format of 'sql': table (default), ndjson, csv, json
  -w, --warehouse DIR   Warehouse directory (default ./warehouse, or $LOCH_WAREHOUSE)
  -i, --interactive     Open the SQL shell ('loch sql' does on a terminal) even on piped input
      --metrics         'sql': print one JSON line per query to stderr (filesTotal,
                        filesScanned, bytesScanned, planningMs, executionMs, tables)
  -h, --help            Show this help
  -v, --version         Show the version

Environment:
  LOCH_WAREHOUSE   Default warehouse directory
  LOCH_HISTORY     The SQL shell's history file (default ~/.loch_history; empty: no history)
  LOCH_DEBUG=1     Print stack traces on errors
`;

export const FORMATS = ['table', 'ndjson', 'csv', 'json'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const isOutputFormat = (s: string): s is OutputFormat => (FORMATS as readonly string[]).includes(s);

/** A command-line mistake: reported with a hint to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
