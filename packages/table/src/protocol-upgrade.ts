// Protocol upgrades never drop a feature: the result supports everything either input did.
import { type Protocol, protocolFeatures } from '@loch/delta';

const usesLists = (p: Protocol): boolean => p.minReaderVersion >= 3 || p.minWriterVersion >= 7;

/** The smallest protocol that supports everything `current` and `required` do. */
export function mergeProtocols(current: Protocol, required: Protocol): Protocol {
  const reader = Math.max(current.minReaderVersion, required.minReaderVersion);
  if (!usesLists(current) && !usesLists(required)) {
    return {
      kind: 'protocol',
      minReaderVersion: reader,
      minWriterVersion: Math.max(current.minWriterVersion, required.minWriterVersion),
    };
  }
  const a = protocolFeatures(current);
  const b = protocolFeatures(required);
  const readerFeatures = [...new Set([...a.reader, ...b.reader])].sort();
  const writerFeatures = [...new Set([...a.writer, ...b.writer, ...readerFeatures])].sort();
  if (reader >= 3) {
    return { kind: 'protocol', minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
  }
  return { kind: 'protocol', minReaderVersion: reader, minWriterVersion: 7, writerFeatures };
}

export const sameProtocol = (a: Protocol, b: Protocol): boolean =>
  a.minReaderVersion === b.minReaderVersion &&
  a.minWriterVersion === b.minWriterVersion &&
  JSON.stringify([...(a.readerFeatures ?? [])].sort()) ===
    JSON.stringify([...(b.readerFeatures ?? [])].sort()) &&
  JSON.stringify([...(a.writerFeatures ?? [])].sort()) ===
    JSON.stringify([...(b.writerFeatures ?? [])].sort());
