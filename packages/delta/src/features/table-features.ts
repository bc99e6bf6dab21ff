// Table features as data (PROTOCOL.md "Table Features" and the appendix of valid feature names).
// The protocol checks walk this table; adding support for a feature is a one-line change here.

export type FeatureType = 'writer' | 'readerWriter';

export interface TableFeature {
  readonly name: string;
  readonly type: FeatureType;
  /** Versions a table needs for the feature without explicit feature lists (legacy protocols). */
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  /** True when the feature is part of a legacy protocol version (implied, not listed). */
  readonly legacy: boolean;
  readonly supportedOnRead: boolean;
  readonly supportedOnWrite: boolean;
  /** Table property that turns the feature on for a new table, when there is one. */
  readonly enabledBy?: { readonly key: string; readonly value: string };
}

const f = (
  name: string,
  type: FeatureType,
  minReaderVersion: number,
  minWriterVersion: number,
  legacy: boolean,
  supportedOnRead: boolean,
  supportedOnWrite: boolean,
  enabledBy?: { key: string; value: string },
): TableFeature => ({
  name,
  type,
  minReaderVersion,
  minWriterVersion,
  legacy,
  supportedOnRead,
  supportedOnWrite,
  enabledBy,
});

const on = (key: string) => ({ key, value: 'true' });

/**
 * Every feature name we know. Writer-only features are always "supported on read" because a
 * reader may ignore them. "Supported on write" means our writer keeps the feature's rules; a
 * write to a table with a feature marked false is refused instead of corrupting it. The table layer
 * enforces CHECK/NOT NULL constraints and refuses writes that would have to compute generated or
 * identity column values it cannot compute yet, so those features are safe to accept.
 */
export const TABLE_FEATURES: readonly TableFeature[] = [
  f('appendOnly', 'writer', 1, 2, true, true, true, on('delta.appendOnly')),
  f('invariants', 'writer', 1, 2, true, true, true),
  f('checkConstraints', 'writer', 1, 3, true, true, true),
  f('changeDataFeed', 'writer', 1, 4, true, true, true, on('delta.enableChangeDataFeed')),
  f('generatedColumns', 'writer', 1, 4, true, true, true),
  f('columnMapping', 'readerWriter', 2, 5, true, true, true),
  f('identityColumns', 'writer', 1, 6, true, true, true),
  f('deletionVectors', 'readerWriter', 3, 7, false, true, true, on('delta.enableDeletionVectors')),
  f('rowTracking', 'writer', 1, 7, false, true, false, on('delta.enableRowTracking')),
  f('timestampNtz', 'readerWriter', 3, 7, false, true, true),
  f('domainMetadata', 'writer', 1, 7, false, true, true),
  f('v2Checkpoint', 'readerWriter', 3, 7, false, true, false, { key: 'delta.checkpointPolicy', value: 'v2' }),
  f('icebergCompatV1', 'writer', 1, 7, false, true, false, on('delta.enableIcebergCompatV1')),
  f('icebergCompatV2', 'writer', 1, 7, false, true, false, on('delta.enableIcebergCompatV2')),
  f('icebergWriterCompatV1', 'writer', 1, 7, false, true, false, on('delta.enableIcebergWriterCompatV1')),
  f('clustering', 'writer', 1, 7, false, true, true),
  f('vacuumProtocolCheck', 'readerWriter', 3, 7, false, true, true),
  f('typeWidening', 'readerWriter', 3, 7, false, true, true, on('delta.enableTypeWidening')),
  f('typeWidening-preview', 'readerWriter', 3, 7, false, true, true),
  f('inCommitTimestamp', 'writer', 1, 7, false, true, true, on('delta.enableInCommitTimestamps')),
  f('variantType', 'readerWriter', 3, 7, false, true, false),
  f('variantType-preview', 'readerWriter', 3, 7, false, true, false),
  f('variantShredding', 'readerWriter', 3, 7, false, false, false),
  f('variantShredding-preview', 'readerWriter', 3, 7, false, false, false),
  f('materializePartitionColumns', 'writer', 1, 7, false, true, false),
  f('allowColumnDefaults', 'writer', 1, 7, false, true, false),
  f('checkpointProtection', 'writer', 1, 7, false, true, false),
  f('collations-preview', 'readerWriter', 3, 7, false, false, false),
  f('catalogManaged', 'readerWriter', 3, 7, false, false, false),
  f('catalogOwned-preview', 'readerWriter', 3, 7, false, false, false),
];

const BY_NAME = new Map(TABLE_FEATURES.map((t) => [t.name, t]));

export const findTableFeature = (name: string): TableFeature | undefined => BY_NAME.get(name);
