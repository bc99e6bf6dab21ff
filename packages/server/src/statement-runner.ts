// Runs one statement for a connection: the server's own answers first (SET/SHOW/transactions),
// then the SQL session. Results stay as DuckDB rows and are converted while they are written, so a
// portal can hand them out in Execute-sized pieces.
import type { Engine } from '@loch/engine-duckdb';
import { commandTag, type PgValue } from '@loch/pgwire';
import { isSqlError, type SqlSession, splitStatements, toSqlError } from '@loch/sql';
import { affectedRows } from './command-info.js';
import { type PgColumn, pgColumns } from './pg-values.js';
import type { LocalResult, SessionSettings } from './session-settings.js';
import { planOf, type StatementPlan } from './statement-plan.js';

export type ExecResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'command'; readonly tag: string }
  | {
      readonly kind: 'rows';
      readonly columns: readonly PgColumn[];
      readonly rows: readonly (readonly unknown[])[];
    };

/** A failure to report as ErrorResponse; `fatal` closes the connection after it. */
export class WireError extends Error {
  constructor(
    readonly sqlstate: string,
    message: string,
    readonly fatal = false,
    /** 1-based character position in the client's query text. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export const CANCEL_REASON = 'user request';
export const TIMEOUT_REASON = 'statement timeout';

/** PostgreSQL's error for a cancelled statement; the reason is CANCEL_REASON or TIMEOUT_REASON. */
export const cancelledError = (reason: string = CANCEL_REASON): WireError =>
  new WireError('57014', `canceling statement due to ${reason}`);

/** SQLSTATE and message of anything thrown while running a statement. */
export const errorOf = (
  e: unknown,
): { sqlstate: string; message: string; fatal: boolean; position?: number } => {
  if (e instanceof WireError) {
    return {
      sqlstate: e.sqlstate,
      message: e.message,
      fatal: e.fatal,
      ...(e.position === undefined ? {} : { position: e.position }),
    };
  }
  if (isSqlError(e)) {
    // PostgreSQL's position is 1-based, in characters; SqlError's is a 0-based offset.
    const at = e.details.position;
    return {
      sqlstate: e.sqlState,
      message: e.message,
      fatal: false,
      ...(typeof at === 'number' ? { position: at + 1 } : {}),
    };
  }
  // Errors of the lower layers that carry a SQLSTATE of their own (the catalog's spells it `sqlstate`).
  const err = e as { sqlState?: unknown; sqlstate?: unknown; message?: unknown };
  const sqlstate =
    typeof err?.sqlState === 'string'
      ? err.sqlState
      : typeof err?.sqlstate === 'string'
        ? err.sqlstate
        : 'XX000';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return { sqlstate, message, fatal: false };
};

const textColumn = (name: string, typeOid: number): PgColumn => ({
  name,
  typeOid,
  typeModifier: -1,
  convert: (v) => v as PgValue,
});

/** Connection state a statement can change. */
export interface StatementHost {
  readonly session: SqlSession;
  /** Runs plain queries once the session has rewritten them. */
  readonly engine: Pick<Engine, 'query'>;
  readonly settings: SessionSettings;
  /** Applies transaction/deallocate/discard effects and reports ParameterStatus changes. */
  applyLocal(result: LocalResult): void;
  /** Throws the cancel error when a CancelRequest arrived for the running statement. */
  checkCancelled(): void;
}

const localToExec = (r: LocalResult): ExecResult => {
  switch (r.kind) {
    case 'command':
      return { kind: 'command', tag: r.tag };
    case 'transaction':
      return { kind: 'command', tag: r.tag };
    case 'deallocate':
      return { kind: 'command', tag: r.name === undefined ? 'DEALLOCATE ALL' : 'DEALLOCATE' };
    case 'discard':
      return { kind: 'command', tag: 'DISCARD ALL' };
    case 'error':
      throw new WireError(r.sqlstate, r.message);
    case 'rows':
      return { kind: 'rows', columns: r.columns.map((c) => textColumn(c.name, c.typeOid)), rows: r.rows };
  }
};

/** Runs a single statement's text (no `;`-separated list). */
export const runStatement = async (
  host: StatementHost,
  sql: string,
  plan: StatementPlan = planOf(sql, false),
): Promise<ExecResult> => {
  if (plan.blank) return { kind: 'empty' };
  const local = host.settings.handle(sql, plan.tokens);
  if (local !== undefined) {
    const out = localToExec(local);
    host.applyLocal(local);
    return out;
  }
  const { info } = plan;
  if (plan.answersEmpty) return { kind: 'rows', columns: [], rows: [] };
  const r = plan.plain
    ? await runQuery(host, plan.catalogSql)
    : ((await host.session.execute(plan.catalogSql)).at(-1) ?? { columns: [], rows: [] });
  host.checkCancelled();
  if (info.counted) {
    const n = affectedRows(r);
    if (n !== undefined) return { kind: 'command', tag: commandTag(info.verb, n) };
  } else if (!info.returnsRows && affectedRows(r) !== undefined) {
    // DuckDB answers DDL with a `Count` column; PostgreSQL sends just the tag.
    return { kind: 'command', tag: info.tag };
  }
  if (r.columns.length > 0) return { kind: 'rows', columns: pgColumns(r.columns), rows: r.rows };
  return { kind: 'command', tag: info.tag };
};

/**
 * A plain query: the session's rewrite on the engine, as the streaming path does. The session's
 * own execute would resolve the same names twice and parse the text again on every call.
 */
const runQuery = async (host: StatementHost, sql: string) => {
  const rewritten = await host.session.rewriteQuery(sql);
  try {
    return await host.engine.query(rewritten);
  } catch (e) {
    throw toSqlError(e, { keepExcerpt: rewritten === sql });
  }
};

/** The statements of a simple Query message. */
export const statementsOf = (sql: string): string[] => splitStatements(sql).map((s) => s.sql);

/** Re-points an error's position from a statement's text to the whole query text. */
export const shiftPosition = (e: unknown, offset: number): unknown => {
  const err = errorOf(e);
  if (err.position === undefined || offset === 0) return e;
  return new WireError(err.sqlstate, err.message, err.fatal, err.position + offset);
};
