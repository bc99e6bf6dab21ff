// Protocol upgrades never drop a feature a table uses: the result supports everything either
// input did. Moving a legacy protocol to explicit feature lists (writer version 7) lists the
// legacy features it implied only when they are in use, because an implied-but-unused feature
// such as checkConstraints would otherwise bind every later writer to it.
import { type Protocol, protocolFeatures } from '@loch/delta';

const usesLists = (p: Protocol): boolean => p.minReaderVersion >= 3 || p.minWriterVersion >= 7;

/** Features every protocol from writer version 2 on supports; harmless to list. */
const BASELINE = ['appendOnly', 'invariants'];

function featuresOf(
  p: Protocol,
  inUse: ReadonlySet<string> | undefined,
): { reader: string[]; writer: string[] } {
  const f = protocolFeatures(p);
  if (usesLists(p) || inUse === undefined) return f;
  // Reader features (column mapping at reader version 2) are kept: a reader version never drops.
  const keep = (name: string): boolean =>
    inUse.has(name) || BASELINE.includes(name) || f.reader.includes(name);
  return { reader: f.reader, writer: f.writer.filter(keep) };
}

/**
 * The smallest protocol that supports everything `current` and `required` do. `inUse` (the
 * features the table's configuration and schema need, e.g. from `requiredFeatures`) limits
 * which legacy-implied features are carried into explicit lists.
 */
export function mergeProtocols(current: Protocol, required: Protocol, inUse?: readonly string[]): Protocol {
  if (!usesLists(current) && !usesLists(required)) {
    return {
      kind: 'protocol',
      minReaderVersion: Math.max(current.minReaderVersion, required.minReaderVersion),
      minWriterVersion: Math.max(current.minWriterVersion, required.minWriterVersion),
    };
  }
  const used = inUse === undefined ? undefined : new Set(inUse);
  const a = featuresOf(current, used);
  const b = featuresOf(required, used);
  const readerFeatures = [...new Set([...a.reader, ...b.reader])].sort();
  const writerFeatures = [...new Set([...a.writer, ...b.writer, ...readerFeatures])].sort();
  const readerListed = current.minReaderVersion >= 3 || required.minReaderVersion >= 3;
  if (readerListed || readerFeatures.some((f) => f !== 'columnMapping')) {
    return { kind: 'protocol', minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
  }
  // Reader version 2 means exactly column mapping; 1 means no reader features.
  return {
    kind: 'protocol',
    minReaderVersion: readerFeatures.length > 0 ? 2 : 1,
    minWriterVersion: 7,
    writerFeatures,
  };
}

export const sameProtocol = (a: Protocol, b: Protocol): boolean =>
  a.minReaderVersion === b.minReaderVersion &&
  a.minWriterVersion === b.minWriterVersion &&
  JSON.stringify([...(a.readerFeatures ?? [])].sort()) ===
    JSON.stringify([...(b.readerFeatures ?? [])].sort()) &&
  JSON.stringify([...(a.writerFeatures ?? [])].sort()) ===
    JSON.stringify([...(b.writerFeatures ?? [])].sort());
