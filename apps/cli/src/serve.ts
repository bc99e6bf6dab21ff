// `loch serve`: the PostgreSQL-protocol server over the warehouse, until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { CatalogMirror, MirroredSqlSession, PgServer } from '@loch/server';
import { openLoch } from './api.js';

export interface ServeOptions {
  readonly warehouse: string;
  readonly host: string;
  readonly port: number;
  /** Ask for a cleartext password (or personal access token) instead of SCRAM-SHA-256. */
  readonly authCleartext: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** DuckDB statements running at once across all sessions (the engine's connections). */
  readonly maxConcurrentQueries?: number;
}

export interface Serving {
  readonly server: PgServer;
  /** Stops the server and releases the engine and metastore. */
  close(): Promise<void>;
}

/** Opens the warehouse and starts listening; prints the address (and a fresh admin password once). */
export async function startServe(options: ServeOptions, out: (text: string) => void): Promise<Serving> {
  // One warehouse handle: the engine, the tables and the metastore that authenticates users and
  // resolves catalog names for every pg-wire session.
  const opened = await openLoch({
    warehouse: options.warehouse,
    ...(options.maxConcurrentQueries === undefined ? {} : { connections: options.maxConcurrentQueries }),
  });
  try {
    const { metastore, bootstrap } = opened;
    if (metastore === undefined) throw new Error(`no metastore could be opened in ${options.warehouse}`);
    const tls =
      options.tlsCert !== undefined && options.tlsKey !== undefined
        ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
        : undefined;
    // psql's \dt and \d read DuckDB's pg_catalog: named tables are mirrored there on demand.
    const mirror = new CatalogMirror(opened.engine);
    const server = await PgServer.start({
      host: options.host,
      port: options.port,
      engine: opened.engine,
      auth: metastore,
      authMode: options.authCleartext ? 'cleartext' : 'scram',
      // The authenticated user owns what the session creates.
      newSession: (user) =>
        new MirroredSqlSession({
          ...(user === undefined ? {} : { user }),
          engine: opened.engine,
          openTable: (l) => opened.table(l),
          baseDir: opened.warehouse,
          metastore,
          mirror,
          schemaOf: async (t) => (await opened.table(t.location).snapshot()).schema,
        }),
      ...(tls === undefined ? {} : { tls }),
    });
    if (bootstrap.fresh && bootstrap.generatedPassword !== undefined) {
      out(
        `Created user admin with password: ${bootstrap.generatedPassword}\n(shown once; set LOCH_ADMIN_PASSWORD to choose it)\n`,
      );
    }
    const { host, port } = server.address;
    out(`Loch is listening on ${host}:${port} (PostgreSQL protocol${tls === undefined ? '' : ', TLS'})\n`);
    out(`Connect with: psql -h ${host} -p ${port} -U admin\n`);
    return {
      server,
      close: async () => {
        await server.close();
        await opened.close();
      },
    };
  } catch (e) {
    await opened.close();
    throw e;
  }
}

/** Serves until SIGINT or SIGTERM, then closes cleanly. */
export async function runServe(options: ServeOptions, out: (text: string) => void): Promise<number> {
  const serving = await startServe(options, out);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out('Shutting down\n');
  await serving.close();
  return 0;
}
