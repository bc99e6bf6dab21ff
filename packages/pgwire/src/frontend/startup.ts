// Interpreting a StartupMessage: which parameters are session settings, what protocol
// negotiation reply (if any) is owed, and the ParameterStatus set clients expect after login.
import type { BackendMessage } from '../backend/messages.js';
import type { StartupMessage } from './messages.js';

/** Highest protocol 3.x minor version this codec implements. */
export const SUPPORTED_PROTOCOL_MINOR = 0;

/**
 * The NegotiateProtocolVersion message PostgreSQL sends when the client asked for a newer minor
 * version or sent `_pq_.` protocol options it does not know; undefined when none is needed.
 */
export const protocolNegotiation = (startup: StartupMessage): BackendMessage | undefined => {
  const unrecognizedOptions = [...startup.parameters.keys()].filter((k) => k.startsWith('_pq_.'));
  if (startup.protocolMinor <= SUPPORTED_PROTOCOL_MINOR && unrecognizedOptions.length === 0) return undefined;
  return {
    type: 'NegotiateProtocolVersion',
    newestMinor: Math.min(startup.protocolMinor, SUPPORTED_PROTOCOL_MINOR),
    unrecognizedOptions,
  };
};

/**
 * Settings from the `options` startup parameter ("-c name=value --name=value", backslash escapes
 * a space), as libpq's PGOPTIONS and JDBC's `options` send them.
 */
export const parseStartupOptions = (options: string): Map<string, string> => {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const c = options[i]!;
    if (c === '\\' && i + 1 < options.length) {
      cur += options[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  const out = new Map<string, string>();
  const setting = (s: string) => {
    const eq = s.indexOf('=');
    if (eq > 0) out.set(s.slice(0, eq).replace(/-/g, '_').toLowerCase(), s.slice(eq + 1));
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-c' && i + 1 < words.length) setting(words[++i]!);
    else if (w.startsWith('-c')) setting(w.slice(2));
    else if (w.startsWith('--')) setting(w.slice(2));
  }
  return out;
};

export interface SessionStartup {
  readonly user: string | undefined;
  /** Defaults to the user name, as in PostgreSQL. */
  readonly database: string | undefined;
  readonly applicationName: string | undefined;
  /** Every other parameter plus settings from `options`, lower-cased names. */
  readonly settings: ReadonlyMap<string, string>;
  readonly replication: boolean;
}

export const interpretStartup = (startup: StartupMessage): SessionStartup => {
  const p = startup.parameters;
  const settings = new Map<string, string>();
  for (const [k, v] of p) {
    if (k === 'user' || k === 'database' || k === 'options' || k === 'replication' || k.startsWith('_pq_.'))
      continue;
    settings.set(k.toLowerCase(), v);
  }
  const options = p.get('options');
  if (options !== undefined) for (const [k, v] of parseStartupOptions(options)) settings.set(k, v);
  const user = p.get('user');
  const replication = (p.get('replication') ?? 'false').toLowerCase();
  return {
    user,
    database: p.get('database') ?? user,
    applicationName: p.get('application_name'),
    settings,
    replication:
      replication !== 'false' && replication !== 'off' && replication !== '0' && replication !== 'no',
  };
};

export interface ServerParameterOptions {
  /** Reported as server_version; drivers parse the leading number (keep it >= 14). */
  readonly serverVersion?: string;
  readonly user?: string;
  readonly applicationName?: string;
  readonly timeZone?: string;
  readonly isSuperuser?: boolean;
}

/**
 * The ParameterStatus messages PostgreSQL sends after AuthenticationOk. Clients depend on several
 * of them: `pg` reads integer_datetimes, JDBC requires client_encoding UTF8 and
 * standard_conforming_strings, psql shows server_version.
 */
export const serverParameterStatus = (o: ServerParameterOptions = {}): BackendMessage[] =>
  (
    [
      ['application_name', o.applicationName ?? ''],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['default_transaction_read_only', 'off'],
      ['in_hot_standby', 'off'],
      ['integer_datetimes', 'on'],
      ['IntervalStyle', 'postgres'],
      ['is_superuser', o.isSuperuser === true ? 'on' : 'off'],
      ['server_encoding', 'UTF8'],
      ['server_version', o.serverVersion ?? '16.0'],
      ['session_authorization', o.user ?? ''],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', o.timeZone ?? 'UTC'],
    ] as const
  ).map(([name, value]) => ({ type: 'ParameterStatus', name, value }));
