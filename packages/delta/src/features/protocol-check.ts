// Reader/writer protocol checks and the minimal protocol for a new table.
import type { Protocol } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { columnMappingMode } from '../schema/column-mapping.js';
import type { DataType, StructType } from '../schema/types.js';
import { findTableFeature, TABLE_FEATURES } from './table-features.js';

export const MAX_READER_VERSION = 3;
export const MAX_WRITER_VERSION = 7;

/** Features a protocol turns on: the listed ones, or the legacy ones its versions imply. */
export function protocolFeatures(protocol: Protocol): { reader: string[]; writer: string[] } {
  const reader =
    protocol.minReaderVersion >= 3
      ? [...(protocol.readerFeatures ?? [])]
      : protocol.minReaderVersion === 2
        ? ['columnMapping']
        : [];
  const writer =
    protocol.minWriterVersion >= 7
      ? [...(protocol.writerFeatures ?? [])]
      : TABLE_FEATURES.filter((t) => t.legacy && t.minWriterVersion <= protocol.minWriterVersion).map(
          (t) => t.name,
        );
  return { reader, writer };
}

export const hasFeature = (protocol: Protocol, name: string): boolean => {
  const { reader, writer } = protocolFeatures(protocol);
  return reader.includes(name) || writer.includes(name);
};

/** Throws unless we can read a table with this protocol. Call before reading any data. */
export function checkReadSupport(protocol: Protocol): void {
  const v = protocol.minReaderVersion;
  if (!Number.isInteger(v) || v < 1 || v > MAX_READER_VERSION) {
    throw new DeltaError(
      'UNSUPPORTED_PROTOCOL_VERSION',
      `table requires reader version ${v}; Loch reads versions 1 to ${MAX_READER_VERSION}`,
      { minReaderVersion: v },
    );
  }
  for (const name of protocolFeatures(protocol).reader) {
    const feature = findTableFeature(name);
    if (feature === undefined || !feature.supportedOnRead) {
      throw new DeltaError(
        'UNSUPPORTED_READER_FEATURE',
        `table requires reader feature '${name}', which Loch ${feature ? 'does not support yet' : 'does not know'}`,
        { feature: name },
      );
    }
  }
}

/** Throws unless we can write to a table with this protocol (reading must work too). */
export function checkWriteSupport(protocol: Protocol): void {
  checkReadSupport(protocol);
  const v = protocol.minWriterVersion;
  if (!Number.isInteger(v) || v < 1 || v > MAX_WRITER_VERSION) {
    throw new DeltaError(
      'UNSUPPORTED_PROTOCOL_VERSION',
      `table requires writer version ${v}; Loch writes versions 1 to ${MAX_WRITER_VERSION}`,
      { minWriterVersion: v },
    );
  }
  // Legacy-implied features only bind when used; Spark's own legacy writers behave the same.
  if (v < 7) return;
  for (const name of [...(protocol.writerFeatures ?? []), ...(protocol.readerFeatures ?? [])]) {
    const feature = findTableFeature(name);
    if (feature === undefined || !feature.supportedOnWrite) {
      throw new DeltaError(
        'UNSUPPORTED_WRITER_FEATURE',
        `table requires writer feature '${name}', which Loch ${feature ? 'cannot write yet' : 'does not know'}`,
        { feature: name },
      );
    }
  }
}

const usesType = (t: DataType, name: string): boolean => {
  switch (t.kind) {
    case 'primitive':
      return t.name === name;
    case 'struct':
      return t.fields.some((f) => usesType(f.type, name));
    case 'array':
      return usesType(t.elementType, name);
    case 'map':
      return usesType(t.keyType, name) || usesType(t.valueType, name);
    default:
      return false;
  }
};

const usesMetadata = (t: DataType, key: string): boolean =>
  t.kind === 'struct'
    ? t.fields.some((f) => f.metadata[key] !== undefined || usesMetadata(f.type, key))
    : t.kind === 'array'
      ? usesMetadata(t.elementType, key)
      : t.kind === 'map'
        ? usesMetadata(t.keyType, key) || usesMetadata(t.valueType, key)
        : false;

/** Features a new table with this configuration and schema needs. */
export function requiredFeatures(
  configuration: Readonly<Record<string, string>>,
  schema: StructType,
): string[] {
  const names = new Set<string>();
  for (const t of TABLE_FEATURES) {
    if (t.enabledBy && configuration[t.enabledBy.key]?.toLowerCase() === t.enabledBy.value) names.add(t.name);
  }
  for (const key of Object.keys(configuration)) {
    if (key.startsWith('delta.feature.') && configuration[key]?.toLowerCase() === 'supported') {
      names.add(key.slice('delta.feature.'.length));
    }
    if (key.startsWith('delta.constraints.')) names.add('checkConstraints');
  }
  if (columnMappingMode(configuration) !== 'none') names.add('columnMapping');
  if (usesType(schema, 'timestamp_ntz')) names.add('timestampNtz');
  if (usesType(schema, 'variant')) names.add('variantType');
  if (usesMetadata(schema, 'delta.invariants')) names.add('invariants');
  if (usesMetadata(schema, 'delta.generationExpression')) names.add('generatedColumns');
  if (usesMetadata(schema, 'delta.identity.start')) names.add('identityColumns');
  if (names.has('rowTracking') || names.has('clustering')) names.add('domainMetadata');
  if (names.has('icebergCompatV2') || names.has('icebergCompatV1')) names.add('columnMapping');
  return [...names].sort();
}

/**
 * The smallest protocol for a new table: legacy versions when every needed feature is a legacy
 * one (e.g. columnMapping alone -> (2,5)), otherwise (3,7) or (1,7) with explicit lists.
 */
export function protocolFor(configuration: Readonly<Record<string, string>>, schema: StructType): Protocol {
  const names = requiredFeatures(configuration, schema);
  const features = names.map((n) => {
    const t = findTableFeature(n);
    if (t === undefined) {
      throw new DeltaError('UNSUPPORTED_WRITER_FEATURE', `unknown table feature '${n}' in table properties`, {
        feature: n,
      });
    }
    return t;
  });
  if (features.every((t) => t.legacy)) {
    let reader = 1;
    let writer = 2;
    for (const t of features) {
      reader = Math.max(reader, t.minReaderVersion);
      writer = Math.max(writer, t.minWriterVersion);
    }
    return { kind: 'protocol', minReaderVersion: reader, minWriterVersion: writer };
  }
  // Explicit lists must also name what the legacy baseline (1,2) implied.
  const writerFeatures = new Set(['appendOnly', 'invariants', ...names]);
  const readerFeatures = features.filter((t) => t.type === 'readerWriter').map((t) => t.name);
  if (readerFeatures.length === 0) {
    return {
      kind: 'protocol',
      minReaderVersion: 1,
      minWriterVersion: 7,
      writerFeatures: [...writerFeatures].sort(),
    };
  }
  return {
    kind: 'protocol',
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: readerFeatures.sort(),
    writerFeatures: [...writerFeatures].sort(),
  };
}
