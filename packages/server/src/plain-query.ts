// Which statements are plain queries: the server runs those as the session's rewrite of them on
// the engine (streaming them when they read from something), and hands the rest to the session.
import { parseStatement, splitStatements, type Token } from '@loch/sql';
import { commandInfo } from './command-info.js';
import { answersEmpty } from './pg-catalog-compat.js';

const QUERY_VERBS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE']);

/**
 * Whether `sql` is a plain row-returning query, not one of Loch's statements: the server runs it
 * as the session's rewrite of it (named and path tables replaced by their scans) on the engine.
 * EXPLAIN stays with the session, which adds the pruning it did.
 */
export const isPlainQuery = (sql: string, tokens: readonly Token[]): boolean => {
  // Only query verbs: SHOW, DESCRIBE and the like may be the catalog's statements, which the
  // session's execute answers from the metastore.
  if (!QUERY_VERBS.has(commandInfo(sql, tokens).verb) || answersEmpty(sql)) return false;
  try {
    const [text] = splitStatements(sql);
    return text !== undefined && parseStatement(text, sql).kind === 'query';
  } catch {
    // Let the regular path report the syntax error.
    return false;
  }
};
