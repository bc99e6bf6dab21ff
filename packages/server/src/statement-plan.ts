// What the server works out about a statement's text before running it: its tokens, command tag,
// whether it is blank, answered empty, a plain query, streamable. All of it depends on the text
// alone, and clients repeat the same texts (health checks, dashboards, ORMs), so plans are kept by
// text: tokenizing, classifying and parsing a small query again each time was most of the
// server's own work on it.
import { type Token, tokenize } from '@loch/sql';
import { type CommandInfo, commandInfo } from './command-info.js';
import { answersEmpty, rewriteCatalogQuery } from './pg-catalog-compat.js';
import { isPlainQuery } from './plain-query.js';

export interface StatementPlan {
  readonly tokens: readonly Token[];
  /** Only whitespace and comments. */
  readonly blank: boolean;
  readonly info: CommandInfo;
  /** A catalog query over relations Loch has no entries in: answered with no rows. */
  readonly answersEmpty: boolean;
  /** The text with the PostgreSQL-only syntax of catalog queries rewritten for DuckDB. */
  readonly catalogSql: string;
  /** `catalogSql` is a plain query: run as the session's rewrite on the engine. */
  readonly plain: boolean;
  /** A plain query reading from something: streamed by the simple protocol. */
  readonly streamable: boolean;
}

/** Plans kept (shared by all connections: a plan holds nothing of a session). */
const MAX_PLANS = 256;
/** Longer texts are planned every time: their tokens would hold too much memory. */
const MAX_TEXT = 4096;

const plans = new Map<string, StatementPlan>();

/**
 * The plan of one statement's text. `remember: false` for texts unlikely to recur (statements
 * with bound parameter values substituted), so they do not push out the ones that do.
 */
export const planOf = (sql: string, remember = true): StatementPlan => {
  const known = plans.get(sql);
  if (known !== undefined) return known;
  const plan = analyze(sql);
  if (remember && sql.length <= MAX_TEXT) {
    plans.set(sql, plan);
    if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value as string);
  }
  return plan;
};

const analyze = (sql: string): StatementPlan => {
  const tokens = tokenize(sql);
  const catalogSql = rewriteCatalogQuery(sql);
  const catalogTokens = catalogSql === sql ? tokens : tokenize(catalogSql);
  const hasFrom = tokens.some((t) => t.kind === 'word' && t.text.toUpperCase() === 'FROM');
  return {
    tokens,
    blank: tokens.every((t) => t.kind === 'space' || t.kind === 'comment'),
    info: commandInfo(sql, tokens),
    answersEmpty: answersEmpty(sql),
    catalogSql,
    plain: isPlainQuery(catalogSql, catalogTokens),
    // Without FROM the result is a row or two (`SELECT 1` health checks): the materialized path
    // has fewer engine round trips.
    streamable: hasFrom && isPlainQuery(sql, tokens),
  };
};
