// PostgreSQL session settings and the statements the server answers itself instead of DuckDB:
// SET/SHOW/RESET of PostgreSQL parameters, transaction control, DISCARD/DEALLOCATE and version().
// Drivers send these on connect and expect PostgreSQL's answers, not DuckDB's.
import { PgOid } from '@loch/pgwire';
import { type Token, tokenize } from '@loch/sql';
import { words } from './command-info.js';

export const SERVER_VERSION = '16.0 (Loch 0.1.0)';
export const VERSION_TEXT = 'PostgreSQL 16.0 (Loch 0.1.0, Delta Lake on DuckDB)';

/** Settings clients are told about through ParameterStatus when they change (GUC_REPORT). */
const REPORTED: Readonly<Record<string, string>> = {
  application_name: 'application_name',
  client_encoding: 'client_encoding',
  datestyle: 'DateStyle',
  intervalstyle: 'IntervalStyle',
  timezone: 'TimeZone',
  standard_conforming_strings: 'standard_conforming_strings',
};

const DEFAULTS: Readonly<Record<string, string>> = {
  application_name: '',
  client_encoding: 'UTF8',
  server_encoding: 'UTF8',
  datestyle: 'ISO, MDY',
  intervalstyle: 'postgres',
  timezone: 'UTC',
  integer_datetimes: 'on',
  standard_conforming_strings: 'on',
  server_version: SERVER_VERSION,
  server_version_num: '160000',
  extra_float_digits: '1',
  search_path: '"$user", public',
  transaction_isolation: 'read committed',
  default_transaction_isolation: 'read committed',
  default_transaction_read_only: 'off',
  transaction_read_only: 'off',
  statement_timeout: '0',
  lock_timeout: '0',
  idle_in_transaction_session_timeout: '0',
  client_min_messages: 'notice',
  bytea_output: 'hex',
  max_identifier_length: '63',
  lc_messages: 'C',
  lc_monetary: 'C',
  lc_numeric: 'C',
  lc_time: 'C',
  row_security: 'on',
  jit: 'off',
  is_superuser: 'off',
};

const UTC_NAMES = new Set([
  'utc',
  'etc/utc',
  'gmt',
  'etc/gmt',
  'z',
  'zulu',
  'universal',
  '0',
  '+00',
  '+00:00',
]);
const UTF8_NAMES = new Set(['utf8', 'utf-8', 'unicode']);

/** Outcome of a statement the server handles itself. */
export type LocalResult =
  | { readonly kind: 'command'; readonly tag: string; readonly report?: readonly [string, string] }
  | {
      readonly kind: 'rows';
      readonly columns: readonly { readonly name: string; readonly typeOid: number }[];
      readonly rows: readonly (readonly (string | null)[])[];
    }
  | { readonly kind: 'error'; readonly sqlstate: string; readonly message: string }
  | { readonly kind: 'transaction'; readonly tag: 'BEGIN' | 'COMMIT' | 'ROLLBACK' }
  | { readonly kind: 'deallocate'; readonly name: string | undefined }
  | { readonly kind: 'discard' };

export class SessionSettings {
  readonly #values = new Map<string, string>(Object.entries(DEFAULTS));

  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  /** Startup parameters: known ones are applied when valid, the rest ignored as PostgreSQL-only. */
  applyStartup(settings: ReadonlyMap<string, string>): void {
    for (const [name, value] of settings) {
      if (DEFAULTS[name] !== undefined && validate(name, value) === undefined) this.#values.set(name, value);
    }
  }

  /** Extra float digits for the text encoders. */
  get extraFloatDigits(): number {
    const n = Number(this.get('extra_float_digits'));
    return Number.isInteger(n) ? n : 1;
  }

  /** `statement_timeout` in milliseconds; 0 = none. */
  get statementTimeoutMs(): number {
    return durationMs(this.get('statement_timeout') ?? '0') ?? 0;
  }

  /**
   * Handles the statement when it is one the server answers itself; undefined sends it to the
   * SQL session. `SET x = y` for a name PostgreSQL does not know goes on to DuckDB/Databricks SQL.
   */
  handle(sql: string, tokens: readonly Token[] = tokenize(sql)): LocalResult | undefined {
    const ws = words(tokens, 4);
    const verb = ws[0];
    if (verb === 'BEGIN' || verb === 'START') return { kind: 'transaction', tag: 'BEGIN' };
    if (verb === 'COMMIT' || verb === 'END') return { kind: 'transaction', tag: 'COMMIT' };
    if (verb === 'ROLLBACK' || verb === 'ABORT') return { kind: 'transaction', tag: 'ROLLBACK' };
    if (verb === 'SAVEPOINT' || verb === 'RELEASE') return { kind: 'command', tag: verb };
    if (verb === 'DISCARD') return { kind: 'discard' };
    if (verb === 'DEALLOCATE') {
      const rest = significantAfter(tokens, ws[1] === 'PREPARE' ? 2 : 1);
      const name = rest[0];
      if (name === undefined)
        return { kind: 'error', sqlstate: '42601', message: 'DEALLOCATE needs a name or ALL' };
      return {
        kind: 'deallocate',
        name: name.kind === 'word' && name.text.toUpperCase() === 'ALL' ? undefined : name.value,
      };
    }
    if (/^\s*select\s+(pg_catalog\s*\.\s*)?version\s*\(\s*\)\s*;?\s*$/i.test(sql)) {
      return { kind: 'rows', columns: [{ name: 'version', typeOid: PgOid.text }], rows: [[VERSION_TEXT]] };
    }
    if (verb === 'SHOW') return this.#show(tokens);
    if (verb === 'SET') return this.#set(tokens);
    if (verb === 'RESET') {
      const name = significantAfter(tokens, 1)[0]?.value.toLowerCase();
      if (name === 'all') {
        for (const [k, v] of Object.entries(DEFAULTS)) this.#values.set(k, v);
        return { kind: 'command', tag: 'RESET' };
      }
      if (name === undefined || DEFAULTS[name] === undefined) return undefined;
      this.#values.set(name, DEFAULTS[name]);
      return { kind: 'command', tag: 'RESET', ...reportOf(name, DEFAULTS[name]) };
    }
    return undefined;
  }

  #show(tokens: readonly Token[]): LocalResult | undefined {
    const rest = significantAfter(tokens, 1);
    const joined = rest.map((t) => t.value.toLowerCase()).join(' ');
    const name =
      joined === 'transaction isolation level' ? 'transaction_isolation' : joined.replace(/ /g, '');
    if (name === 'time zone' || name === 'timezone') return this.#showOne('timezone', 'TimeZone');
    const value = this.#values.get(name);
    if (value === undefined) return undefined;
    return this.#showOne(name, name);
  }

  #showOne(name: string, column: string): LocalResult {
    return {
      kind: 'rows',
      columns: [{ name: column, typeOid: PgOid.text }],
      rows: [[this.#values.get(name) ?? '']],
    };
  }

  #set(tokens: readonly Token[]): LocalResult | undefined {
    let rest = significantAfter(tokens, 1);
    const first = rest[0]?.text.toUpperCase();
    if (first === 'SESSION' || first === 'LOCAL') rest = rest.slice(1);
    let name: string;
    let valueTokens: Token[];
    if (rest[0]?.text.toUpperCase() === 'TIME' && rest[1]?.text.toUpperCase() === 'ZONE') {
      name = 'timezone';
      valueTokens = rest.slice(2);
    } else {
      // Dotted names (`spark.sql.x`, `a.b`) are Databricks/DuckDB settings: not ours.
      if (rest[0]?.kind !== 'word' && rest[0]?.kind !== 'quoted') return undefined;
      name = rest[0].value.toLowerCase();
      const op = rest[1];
      if (op === undefined || !(op.text === '=' || op.text.toUpperCase() === 'TO')) return undefined;
      valueTokens = rest.slice(2);
    }
    if (DEFAULTS[name] === undefined) return undefined;
    const value = valueTokens
      .map((t) => t.value)
      .join(valueTokens.every((t) => t.kind !== 'punct') ? ', ' : '');
    if (value.toUpperCase() === 'DEFAULT' || value === '') {
      this.#values.set(name, DEFAULTS[name]);
      return { kind: 'command', tag: 'SET', ...reportOf(name, DEFAULTS[name]) };
    }
    const problem = validate(name, value);
    if (problem !== undefined) return { kind: 'error', sqlstate: '22023', message: problem };
    const stored = name === 'client_encoding' ? 'UTF8' : name === 'timezone' ? 'UTC' : value;
    this.#values.set(name, stored);
    return { kind: 'command', tag: 'SET', ...reportOf(name, stored) };
  }
}

const reportOf = (name: string, value: string): { report?: readonly [string, string] } => {
  const reported = REPORTED[name];
  return reported === undefined ? {} : { report: [reported, value] };
};

const significantAfter = (tokens: readonly Token[], skipWords: number): Token[] => {
  const sig = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  return sig.slice(skipWords).filter((t) => !(t.kind === 'punct' && (t.text === ',' || t.text === ';')));
};

/** Why a value cannot be set, or undefined when it can. */
const validate = (name: string, value: string): string | undefined => {
  if (name === 'client_encoding' && !UTF8_NAMES.has(value.toLowerCase())) {
    return `client_encoding ${JSON.stringify(value)} is not supported: Loch speaks UTF8 only`;
  }
  if (name === 'timezone' && !UTC_NAMES.has(value.toLowerCase())) {
    return `time zone ${JSON.stringify(value)} is not supported: Loch serves timestamps in UTC (SET TimeZone = 'UTC')`;
  }
  if (name === 'datestyle' && !/iso/i.test(value)) {
    return `DateStyle ${JSON.stringify(value)} is not supported: Loch writes dates in ISO style`;
  }
  if ((name === 'statement_timeout' || name === 'lock_timeout') && durationMs(value) === undefined) {
    return `invalid value for parameter "${name}": ${JSON.stringify(value)} (a number of ms, or with a unit: 500ms, 5s, 1min)`;
  }
  if (name === 'extra_float_digits' && !/^-?\d+$/.test(value)) {
    return `extra_float_digits must be an integer, got ${JSON.stringify(value)}`;
  }
  return undefined;
};

const UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A PostgreSQL time setting ('5000', '5s', '1 min') in milliseconds; no unit means ms. */
const durationMs = (value: string): number | undefined => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (m === null) return undefined;
  const unit = m[2]!.toLowerCase();
  const scale = unit === '' ? 1 : UNIT_MS[unit];
  return scale === undefined ? undefined : Math.round(Number(m[1]) * scale);
};
