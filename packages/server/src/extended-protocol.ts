// The extended query protocol: prepared statements (Parse), portals (Bind), Describe, Execute with
// row limits, Close, and PostgreSQL's error rule: after an error every message up to Sync is skipped.
import type { Engine } from '@loch/engine-duckdb';
import {
  type BackendWriter,
  type Bind,
  type Close,
  type Describe,
  decodeBindParameters,
  type Execute,
  type FormatCode,
  type Parse,
  PgOid,
} from '@loch/pgwire';
import { type SqlSession, tokenize } from '@loch/sql';
import {
  duckTypeOfOid,
  findPlaceholders,
  isUntypedLiteralError,
  numericFallback,
  type Placeholder,
  parameterCount,
  sqlLiteral,
  substitute,
} from './bind-sql.js';
import { commandInfo } from './command-info.js';
import { pgColumns } from './pg-values.js';
import { columnFormats, type ResultSink, sendResult, writeRowDescription } from './result-writer.js';
import type { SessionSettings } from './session-settings.js';
import { type ExecResult, statementsOf, WireError } from './statement-runner.js';

interface Prepared {
  readonly sql: string;
  readonly placeholders: readonly Placeholder[];
  /** Declared type per parameter, 0 where the client left it to the server. */
  readonly parameterTypes: readonly number[];
}

interface Portal {
  readonly statement: Prepared;
  readonly sql: string;
  /** `sql` with untyped number-like parameters as numbers, for DuckDB's overload resolution. */
  readonly numericSql: string | undefined;
  readonly resultFormats: readonly FormatCode[];
  result: ExecResult | undefined;
  offset: number;
}

/** What the protocol needs from its connection. */
export interface ExtendedHost extends ResultSink {
  readonly out: BackendWriter;
  readonly session: SqlSession;
  readonly settings: SessionSettings;
  run(sql: string): Promise<ExecResult>;
}

/** Parameter types reported in ParameterDescription: unspecified ones are sent as text. */
const reportedType = (oid: number): number => (oid === 0 ? PgOid.text : oid);

export class ExtendedProtocol {
  readonly #host: ExtendedHost;
  readonly #engine: Pick<Engine, 'describe'>;
  readonly #statements = new Map<string, Prepared>();
  readonly #portals = new Map<string, Portal>();
  #skipping = false;
  #inBatch = false;

  constructor(host: ExtendedHost, engine: Pick<Engine, 'describe'>) {
    this.#host = host;
    this.#engine = engine;
  }

  /** True between an extended-protocol message and the next Sync. */
  get inBatch(): boolean {
    return this.#inBatch;
  }

  /** After an error: ignore messages until Sync. */
  fail(): void {
    this.#skipping = true;
    this.#inBatch = true;
  }

  sync(): void {
    this.#skipping = false;
    this.#inBatch = false;
    // Sync ends the implicit transaction, and with it the unnamed portal (named ones too, as
    // PostgreSQL closes non-holdable portals at commit).
    this.#portals.clear();
  }

  deallocate(name: string | undefined): void {
    if (name === undefined) this.#statements.clear();
    else this.#statements.delete(name);
  }

  async handle(m: Parse | Bind | Describe | Execute | Close): Promise<void> {
    this.#inBatch = true;
    if (this.#skipping) return;
    switch (m.type) {
      case 'Parse':
        return this.#parse(m);
      case 'Bind':
        return this.#bind(m);
      case 'Describe':
        return this.#describe(m);
      case 'Execute':
        return this.#execute(m);
      case 'Close':
        if (m.target === 'S') this.#statements.delete(m.name);
        else this.#portals.delete(m.name);
        this.#host.out.closeComplete();
        return;
    }
  }

  #parse(m: Parse): void {
    if (m.statement !== '' && this.#statements.has(m.statement)) {
      throw new WireError('42P05', `prepared statement "${m.statement}" already exists`);
    }
    if (statementsOf(m.sql).length > 1) {
      throw new WireError('42601', 'cannot insert multiple commands into a prepared statement');
    }
    const placeholders = findPlaceholders(m.sql, tokenize(m.sql));
    const n = parameterCount(placeholders, m.parameterTypes.length);
    const parameterTypes = Array.from({ length: n }, (_, i) => m.parameterTypes[i] ?? 0);
    this.#statements.set(m.statement, { sql: m.sql, placeholders, parameterTypes });
    this.#host.out.parseComplete();
  }

  #statement(name: string): Prepared {
    const s = this.#statements.get(name);
    if (s === undefined) {
      throw new WireError('26000', `prepared statement "${name}" does not exist`);
    }
    return s;
  }

  #bind(m: Bind): void {
    const statement = this.#statement(m.statement);
    if (m.portal !== '' && this.#portals.has(m.portal)) {
      throw new WireError('42P03', `cursor "${m.portal}" already exists`);
    }
    const binary = (i: number): boolean =>
      m.parameterFormats.length === 1 ? m.parameterFormats[0] === 1 : m.parameterFormats[i] === 1;
    // Unspecified types decode as text, or as bytes when the client sent them in binary.
    const decodeTypes = statement.parameterTypes.map((oid, i) =>
      oid !== 0 ? oid : binary(i) ? PgOid.bytea : PgOid.text,
    );
    const decoded = decodeBindParameters(m, decodeTypes);
    if (!decoded.ok) {
      const e = decoded.error;
      throw new WireError(
        e.sqlstate,
        e.parameter > 0 ? `${e.message} (parameter $${e.parameter})` : e.message,
      );
    }
    const literals = decoded.values.map((v, i) => {
      const declared = statement.parameterTypes[i]!;
      return sqlLiteral(declared === 0 && decodeTypes[i] === PgOid.bytea ? PgOid.bytea : declared, v);
    });
    const sql = substitute(statement.sql, statement.placeholders, literals);
    const numeric = numericFallback(statement.parameterTypes, decoded.values, literals);
    this.#portals.set(m.portal, {
      statement,
      sql,
      numericSql:
        numeric === undefined ? undefined : substitute(statement.sql, statement.placeholders, numeric),
      resultFormats: m.resultFormats,
      result: undefined,
      offset: 0,
    });
    this.#host.out.bindComplete();
  }

  async #describe(m: Describe): Promise<void> {
    const { out } = this.#host;
    if (m.target === 'S') {
      const statement = this.#statement(m.name);
      out.parameterDescription(statement.parameterTypes.map(reportedType));
      const columns = await this.#statementColumns(statement);
      if (columns === undefined) out.noData();
      else
        writeRowDescription(
          out,
          columns,
          columns.map(() => 0),
        );
      return;
    }
    const portal = this.#portal(m.name);
    // Running the portal here (not at Execute) is what gives exact result columns for every kind
    // of statement, Loch's own ones included; Execute then sends the stored rows.
    portal.result ??= await this.#run(portal);
    const result = portal.result;
    if (result.kind !== 'rows') {
      out.noData();
      return;
    }
    writeRowDescription(out, result.columns, columnFormats(portal.resultFormats, result.columns));
  }

  /** Result columns of a statement before binding: parameters are described as NULLs. */
  async #statementColumns(statement: Prepared) {
    const info = commandInfo(statement.sql);
    if (!info.returnsRows) return undefined;
    const withNulls = (nullOf: (oid: number) => string) =>
      substitute(statement.sql, statement.placeholders, statement.parameterTypes.map(nullOf));
    const sql = withNulls((oid) => sqlLiteral(oid, null));
    const local = this.#host.settings.handle(sql);
    if (local?.kind === 'rows') {
      return local.columns.map((c) => ({
        name: c.name,
        typeOid: c.typeOid,
        typeModifier: -1,
        convert: (v: unknown) => v as string,
      }));
    }
    if (local !== undefined) return undefined;
    // An untyped parameter is bound as a string literal, which PostgreSQL resolves to text where
    // nothing else decides (`SELECT $1 AS t`): describe it as a text NULL first, and as an untyped
    // NULL where that does not type-check (`$1 + 1`).
    const textNull = (oid: number) =>
      duckTypeOfOid(oid) === undefined ? 'CAST(NULL AS VARCHAR)' : sqlLiteral(oid, null);
    const candidates = [withNulls(textNull), sql];
    for (const candidate of new Set(candidates)) {
      try {
        const rewritten = await this.#host.session.rewriteQuery(candidate);
        return pgColumns(await this.#engine.describe(rewritten));
      } catch {
        // Try the next form.
      }
    }
    // Statements DuckDB cannot prepare (Loch's own SHOW/DESCRIBE forms): run them with NULL
    // parameters for their columns; these have no side effects, and real errors surface here.
    const result = await this.#host.run(sql);
    return result.kind === 'rows' ? result.columns : undefined;
  }

  /** Runs the portal's statement, retrying untyped numbers as numbers where DuckDB needs that. */
  async #run(portal: Portal): Promise<ExecResult> {
    try {
      return await this.#host.run(portal.sql);
    } catch (e) {
      // A binder error happens before anything runs, so the second try has no first to undo.
      if (portal.numericSql === undefined || !isUntypedLiteralError(e)) throw e;
      try {
        return await this.#host.run(portal.numericSql);
      } catch {
        throw e;
      }
    }
  }

  #portal(name: string): Portal {
    const p = this.#portals.get(name);
    if (p === undefined) throw new WireError('34000', `portal "${name}" does not exist`);
    return p;
  }

  async #execute(m: Execute): Promise<void> {
    const portal = this.#portal(m.portal);
    portal.result ??= await this.#run(portal);
    const result = portal.result;
    if (result.kind === 'rows' && portal.offset >= result.rows.length && portal.offset > 0) {
      // A finished portal executed again returns no more rows.
      this.#host.out.commandComplete('SELECT 0');
      return;
    }
    const sent = await sendResult(this.#host, result, {
      describe: false,
      formats: portal.resultFormats,
      maxRows: m.maxRows,
      offset: portal.offset,
    });
    portal.offset = sent.offset;
  }
}
