// One stable category per fixture table, for the summary. Categories follow the rows of the
// fixtures README's feature table; a table tagged with several features is counted under the
// first rule below that matches, most specific first (a checkpointed DV table is a DV table).
import type { FixtureTable } from '@loch/test-utils';

export const CATEGORIES = [
  'negative',
  'log-compaction',
  'change-data-feed',
  'table-features',
  'deletion-vectors',
  'column-mapping',
  'v2-checkpoint',
  'multi-part-checkpoint',
  'schema-evolution',
  'checkpoint',
  'time-travel',
  'timestamps',
  'partitioning',
  'nested-types',
  'decimals',
  'log-replay',
  'primitives',
] as const;

export type Category = (typeof CATEGORIES)[number];

// Curated tags only: `feature:*` tags say what a protocol declares, not what a table exercises
// (many plain tables declare deletionVectors without having any).
const RULES: readonly (readonly [Category, readonly string[]])[] = [
  ['negative', ['negative']],
  ['log-compaction', ['log-compaction']],
  ['change-data-feed', ['cdf', 'change-data-files']],
  [
    'table-features',
    [
      'type-widening',
      'variant',
      'void-type',
      'materializePartitionColumns',
      'vacuumProtocolCheck',
      'clustering',
      'row-tracking',
      'domain-metadata',
      'set-transaction',
    ],
  ],
  ['deletion-vectors', ['deletion-vectors', 'inline-dv']],
  ['column-mapping', ['column-mapping-name', 'column-mapping-id']],
  ['v2-checkpoint', ['v2-checkpoint', 'sidecars']],
  ['multi-part-checkpoint', ['multi-part-checkpoint']],
  ['schema-evolution', ['add-columns', 'nullability']],
  ['checkpoint', ['checkpoint', 'last-checkpoint', 'missing-last-checkpoint', 'corrupted-last-checkpoint']],
  ['time-travel', ['time-travel', 'vacuumed-files']],
  [
    'timestamps',
    ['timestamp_ntz', 'timestamp', 'timestamp-partition', 'date', 'date-partition', 'session-timezone'],
  ],
  [
    'partitioning',
    ['partitioned', 'partition-value-types', 'null-partition-values', 'special-chars-in-paths'],
  ],
  ['nested-types', ['nested-types', 'nested-struct', 'map', 'array']],
  ['decimals', ['decimal', 'decimal-partition']],
  [
    'log-replay',
    ['log-replay', 'multiple-commits', 'removes', 'path-canonicalization', 're-add-same-path', 'stats'],
  ],
];

export function categoryOf(table: Pick<FixtureTable, 'features'>): Category {
  const tags = new Set(table.features);
  for (const [category, needles] of RULES) {
    if (needles.some((n) => tags.has(n))) return category;
  }
  return 'primitives';
}
