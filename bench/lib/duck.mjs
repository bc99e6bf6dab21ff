// The DuckDB baseline: a raw @duckdb/node-api instance with the same settings as Loch's engine,
// so a ratio measures what Loch adds on top of DuckDB and nothing else.
import { DuckDBInstance } from '@duckdb/node-api';

/** Settings copied from Loch's engine onto the baseline (and recorded in the result). */
export const MATCHED_SETTINGS = [
  'threads',
  'memory_limit',
  'preserve_insertion_order',
  'enable_object_cache',
  'parquet_metadata_cache',
  'TimeZone',
];

export async function openDuck(settings = {}) {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const duck = {
    instance,
    conn,
    async run(sql) {
      await conn.run(sql);
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowsJS();
    },
    async objects(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS();
    },
    async settings(names = MATCHED_SETTINGS) {
      return readSettings((sql) => duck.objects(sql), names);
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
  for (const [name, value] of Object.entries(settings)) {
    await duck.run(`SET ${name} = ${sqlLiteral(value)}`);
  }
  return duck;
}

/** Reads DuckDB settings through any query function returning row objects. */
export async function readSettings(queryObjects, names = MATCHED_SETTINGS) {
  const list = names.map(sqlLiteral).join(', ');
  const rows = await queryObjects(
    `SELECT name, value FROM duckdb_settings() WHERE name IN (${list}) ORDER BY name`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.name), String(r.value)]));
}

export async function extensions(duck) {
  const rows = await duck.objects(
    'SELECT extension_name, loaded, installed FROM duckdb_extensions() WHERE loaded OR installed',
  );
  return rows.map((r) => String(r.extension_name));
}

export function sqlLiteral(value) {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function parquetList(files) {
  return `[${files.map(sqlLiteral).join(', ')}]`;
}
