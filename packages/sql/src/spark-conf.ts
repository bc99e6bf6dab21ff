// The Spark session configuration of one SQL session: what `spark.conf.set(...)` and `SET key = value`
// hold in a Databricks notebook. Any `spark.*` key is accepted and kept (notebooks set shuffle
// partitions and the like; refusing them would break scripts that run unchanged elsewhere), but only
// the keys in KNOWN change what Loch does. Boolean keys are validated when set, so a typo in a value
// fails at the SET rather than being silently ignored later.
import { type SessionOverrides, SPARK_MAX_FILE_SIZE_KEY, SPARK_MIN_NUM_FILES_KEY } from '@loch/table';
import { SqlError } from './errors.js';

export const RETENTION_CHECK = 'spark.databricks.delta.retentionDurationCheck.enabled';
export const AUTO_MERGE = 'spark.databricks.delta.schema.autoMerge.enabled';
export const OPTIMIZE_WRITE = 'spark.databricks.delta.optimizeWrite.enabled';
export const AUTO_COMPACT = 'spark.databricks.delta.autoCompact.enabled';
/** `<prefix><conf>` is the default of table property `delta.<conf>` for tables created afterwards. */
export const TABLE_DEFAULTS_PREFIX = 'spark.databricks.delta.properties.defaults.';

interface KnownKey {
  readonly key: string;
  readonly kind: 'boolean';
  readonly default: string;
  readonly meaning: string;
}

export const KNOWN: readonly KnownKey[] = [
  {
    key: RETENTION_CHECK,
    kind: 'boolean',
    default: 'true',
    meaning: 'VACUUM refuses a retention shorter than delta.deletedFileRetentionDuration',
  },
  {
    key: AUTO_MERGE,
    kind: 'boolean',
    default: 'false',
    meaning: 'MERGE and writes add new source columns to the target schema',
  },
  {
    key: OPTIMIZE_WRITE,
    kind: 'boolean',
    default: '',
    meaning: 'optimized writes for every table (overrides delta.autoOptimize.optimizeWrite)',
  },
  {
    key: AUTO_COMPACT,
    kind: 'boolean',
    default: '',
    meaning: 'auto compaction for every table (overrides delta.autoOptimize.autoCompact)',
  },
];

const known = new Map(KNOWN.map((k) => [k.key.toLowerCase(), k]));

/** True for the keys the SQL layer keeps itself; every other SET goes to DuckDB. */
export const isSparkConfKey = (key: string): boolean => key.toLowerCase().startsWith('spark.');

/** The stored form of `raw` for `key`; throws for a known boolean key given anything else. */
export function confValue(key: string, raw: string): string {
  const k = known.get(key.toLowerCase());
  const value = raw.trim();
  if (k?.kind !== 'boolean') return value;
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') {
    throw new SqlError('INVALID_ARGUMENT', `${k.key} must be true or false, not '${raw}'`, {
      setting: k.key,
      value: raw,
    });
  }
  return v;
}

export class SparkConf {
  /** Lower-cased key -> the key as first written and its value (Spark keys are case-sensitive in
   * Spark, but Databricks users write them in any case and expect them to work). */
  readonly #values = new Map<string, { readonly key: string; readonly value: string }>();

  set(key: string, raw: string): void {
    const k = known.get(key.toLowerCase());
    this.#values.set(key.toLowerCase(), { key: k?.key ?? key, value: confValue(key, raw) });
  }

  reset(key?: string): void {
    if (key === undefined) this.#values.clear();
    else this.#values.delete(key.toLowerCase());
  }

  /** The value SET in this session, or undefined. */
  get(key: string): string | undefined {
    return this.#values.get(key.toLowerCase())?.value;
  }

  /** A boolean key's value, or `fallback` when it was never set. */
  flag(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    return v === undefined ? fallback : v === 'true';
  }

  /** A boolean key's value, or undefined when it was never set (the table property decides). */
  override(key: string): boolean | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : v === 'true';
  }

  /** Every key set in this session, sorted, for `SET` with no argument. */
  entries(): readonly (readonly [string, string])[] {
    return [...this.#values.values()]
      .map((e) => [e.key, e.value] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** `SET` (every key set) or `SET key` (its value, the default, or `<undefined>` as Spark shows). */
  show(key?: string): readonly (readonly [string, string])[] {
    if (key === undefined) return this.entries();
    const k = known.get(key.toLowerCase());
    const value = this.get(key) ?? (k?.default ? k.default : '<undefined>');
    return [[k?.key ?? key, value]];
  }

  /**
   * Table properties a new table gets from `spark.databricks.delta.properties.defaults.<conf>`:
   * `delta.<conf>`, unless the CREATE statement sets that property itself (Delta's rule: session
   * defaults apply to new tables only and never override what the statement says).
   */
  tableDefaults(explicit: Readonly<Record<string, string>> = {}): Record<string, string> {
    const given = new Set(Object.keys(explicit).map((k) => k.toLowerCase()));
    const out: Record<string, string> = {};
    for (const { key, value } of this.#values.values()) {
      if (!key.toLowerCase().startsWith(TABLE_DEFAULTS_PREFIX)) continue;
      const conf = key.slice(TABLE_DEFAULTS_PREFIX.length);
      const property = conf.toLowerCase().startsWith('delta.') ? conf : `delta.${conf}`;
      if (!given.has(property.toLowerCase())) out[property] = value;
    }
    return { ...out, ...explicit };
  }

  /** Session-level overrides the table layer applies over table properties. */
  tableOverrides(): SessionOverrides {
    const optimizeWrite = this.override(OPTIMIZE_WRITE);
    const autoCompact = this.override(AUTO_COMPACT);
    const minNumFiles = this.get(SPARK_MIN_NUM_FILES_KEY);
    const maxFileSize = this.get(SPARK_MAX_FILE_SIZE_KEY);
    return {
      ...(optimizeWrite === undefined ? {} : { optimizeWrite }),
      ...(autoCompact === undefined ? {} : { autoCompact }),
      ...(minNumFiles === undefined ? {} : { autoCompactMinNumFiles: minNumFiles }),
      ...(maxFileSize === undefined ? {} : { autoCompactMaxFileSize: maxFileSize }),
    };
  }
}
