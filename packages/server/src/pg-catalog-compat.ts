// PostgreSQL-only syntax in the catalog queries psql and drivers send (`OPERATOR(pg_catalog.~)`,
// `COLLATE pg_catalog.default`, pg_catalog functions DuckDB lacks), rewritten so DuckDB's own
// pg_catalog emulation can answer them. Only statements that mention pg_catalog are touched.
import { type Token, tokenize } from '@loch/sql';

/** Functions DuckDB's pg_catalog lacks, created once in the engine as macros. */
export const PG_COMPAT_MACROS: readonly (readonly [string, string])[] = [
  ['pg_get_userbyid', "CREATE OR REPLACE MACRO pg_get_userbyid(id) AS 'admin'"],
  ['pg_encoding_to_char', "CREATE OR REPLACE MACRO pg_encoding_to_char(e) AS 'UTF8'"],
  ['pg_relation_is_publishable', 'CREATE OR REPLACE MACRO pg_relation_is_publishable(r) AS false'],
  ['pg_get_statisticsobjdef_columns', 'CREATE OR REPLACE MACRO pg_get_statisticsobjdef_columns(r) AS NULL'],
  ['array_upper', 'CREATE OR REPLACE MACRO array_upper(a, d) AS len(a)'],
];

/** Functions whose DuckDB version takes other arguments: renamed to a compatible macro. */
const RENAMED: Readonly<Record<string, string>> = { pg_get_expr: 'loch_pg_get_expr' };
const RENAMED_SETUP =
  'CREATE OR REPLACE MACRO loch_pg_get_expr(expr, rel, pretty := false) AS CAST(expr AS VARCHAR)';

/** pg_class/pg_attribute columns DuckDB lacks, with the value PostgreSQL has for a plain table. */
const MISSING_COLUMNS: Readonly<Record<string, string>> = { relforcerowsecurity: 'false' };

/**
 * Catalogs of features Loch has none of (policies, publications, inheritance, extended
 * statistics, triggers, rules): queries over them are answered with no rows.
 */
const EMPTY_CATALOGS = new Set([
  'pg_policy',
  'pg_statistic_ext',
  'pg_publication',
  'pg_publication_rel',
  'pg_publication_namespace',
  'pg_inherits',
  'pg_trigger',
  'pg_rewrite',
  'pg_event_trigger',
  'pg_foreign_table',
]);

/** True for a catalog query over catalogs that are empty in Loch (psql's \d asks for policies...). */
export const answersEmpty = (sql: string): boolean => {
  if (!/pg_catalog/i.test(sql)) return false;
  const tokens = tokenize(sql);
  return tokens.some(
    (t, i) =>
      t.kind === 'word' &&
      EMPTY_CATALOGS.has(t.text.toLowerCase()) &&
      tokens[i - 1]?.text === '.' &&
      tokens[i - 2]?.text.toLowerCase() === 'pg_catalog',
  );
};

const MACRO_NAMES = new Set(PG_COMPAT_MACROS.map(([name]) => name));

/** The SQL that creates the compatibility macros. */
export const compatSetupSql = (): string =>
  [...PG_COMPAT_MACROS.map(([, sql]) => sql), RENAMED_SETUP].map((sql) => `${sql};`).join('\n');

const isSpace = (t: Token | undefined) => t !== undefined && (t.kind === 'space' || t.kind === 'comment');

/** Index of the next significant token at or after `i`. */
const nextSig = (tokens: readonly Token[], i: number): number => {
  let j = i;
  while (isSpace(tokens[j])) j++;
  return j;
};

export const needsCompatRewrite = (sql: string): boolean => /pg_catalog|OPERATOR\s*\(/i.test(sql);

export const rewriteCatalogQuery = (sql: string): string => {
  if (!needsCompatRewrite(sql)) return sql;
  const tokens = tokenize(sql);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const upper = t.kind === 'word' ? t.text.toUpperCase() : '';
    // OPERATOR(pg_catalog.~) -> ~
    if (upper === 'OPERATOR') {
      const open = nextSig(tokens, i + 1);
      if (tokens[open]?.text === '(') {
        const close = tokens.findIndex((x, k) => k > open && x.text === ')');
        if (close > 0) {
          const inner = tokens.slice(open + 1, close).filter((x) => !isSpace(x));
          const dot = inner.findIndex((x) => x.text === '.');
          out += ` ${inner
            .slice(dot + 1)
            .map((x) => x.text)
            .join('')} `;
          i = close;
          continue;
        }
      }
    }
    // COLLATE pg_catalog.default / COLLATE "default" -> nothing
    if (upper === 'COLLATE') {
      const a = nextSig(tokens, i + 1);
      if (tokens[a]?.value.toLowerCase() === 'pg_catalog' && tokens[a + 1]?.text === '.') {
        i = a + 2;
        continue;
      }
      if (tokens[a]?.value.toLowerCase() === 'default') {
        i = a;
        continue;
      }
    }
    // pg_catalog.<macro>( -> <macro>(: the macros live in DuckDB's main schema.
    if (t.kind === 'word' && t.text.toLowerCase() === 'pg_catalog' && tokens[i + 1]?.text === '.') {
      const name = tokens[i + 2];
      if (name !== undefined && MACRO_NAMES.has(name.text.toLowerCase())) {
        i++;
        continue;
      }
      const renamed = name === undefined ? undefined : RENAMED[name.text.toLowerCase()];
      if (renamed !== undefined) {
        out += renamed;
        i += 2;
        continue;
      }
    }
    if (t.kind === 'word' && MISSING_COLUMNS[t.text.toLowerCase()] !== undefined) {
      // Drop a `c.` qualifier already written out.
      if (tokens[i - 1]?.text === '.' && out.endsWith(`${tokens[i - 2]?.text ?? ''}.`)) {
        out = out.slice(0, out.length - (tokens[i - 2]!.text.length + 1));
      }
      out += MISSING_COLUMNS[t.text.toLowerCase()];
      continue;
    }
    // ::pg_catalog.text -> ::text; reg* types (OID aliases DuckDB lacks) print as text.
    if (t.text === ':' && tokens[i + 1]?.text === ':') {
      let j = i + 2;
      if (tokens[j]?.value.toLowerCase() === 'pg_catalog' && tokens[j + 1]?.text === '.') j += 2;
      const type = tokens[j];
      if (type?.kind === 'word') {
        out += `::${/^reg(type|class|proc|namespace|role|oper)$/i.test(type.text) ? 'VARCHAR' : type.text}`;
        i = j;
        continue;
      }
    }
    out += t.text;
  }
  return out;
};
