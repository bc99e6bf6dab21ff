// Deletion-vector descriptors (PROTOCOL.md "Deletion Vector Descriptor Schema") and the DV file
// framing ("Deletion Vector File Storage Format"). Pure: the IO lives in load-deletion-vector.ts.

import type { DeletionVectorDescriptor } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { crc32 } from './crc32.js';
import { decodeRoaringBitmapArray, encodeRoaringBitmapArrayCounted } from './roaring.js';
import { uuidToZ85, z85Decode, z85Encode, z85ToUuid } from './z85.js';

/** The version byte every DV file starts with. */
export const DV_FILE_FORMAT_VERSION = 1;
/** Where the first (and, for our writer, only) DV of a file starts: right after the version byte. */
export const FIRST_DV_OFFSET = 1;

export type DeletionVectorLocation =
  /** A DV file inside the table, as a decoded table-relative path. */
  | { readonly kind: 'relative'; readonly path: string; readonly offset: number }
  /** A DV file anywhere, as the absolute URI or path the descriptor names. */
  | { readonly kind: 'absolute'; readonly url: string; readonly offset: number }
  /** The bitmap itself (RoaringBitmapArray with magic), carried in the log. */
  | { readonly kind: 'inline'; readonly bitmap: Uint8Array };

const invalid = (d: DeletionVectorDescriptor, what: string): DeltaError =>
  new DeltaError('INVALID_DELETION_VECTOR', `deletion vector ${uniqueId(d)}: ${what}`, { descriptor: d });

/**
 * The key log replay uses to tell DVs apart: storageType + pathOrInlineDv, plus '@offset' when
 * an offset is present (several DVs share one file).
 */
export function uniqueId(d: DeletionVectorDescriptor): string {
  const base = `${d.storageType}${d.pathOrInlineDv}`;
  return d.offset === undefined || d.offset === null ? base : `${base}@${d.offset}`;
}

/** `deletion_vector_<uuid>.bin`, below the random prefix directory when the descriptor has one. */
export function deletionVectorRelativePath(d: DeletionVectorDescriptor): string {
  if (d.storageType !== 'u') throw invalid(d, `storage type '${d.storageType}' has no table-relative path`);
  const text = d.pathOrInlineDv;
  if (text.length < 20) throw invalid(d, `'${text}' is shorter than the 20-character z85 UUID`);
  const prefix = text.slice(0, -20);
  const name = `deletion_vector_${z85ToUuid(text.slice(-20))}.bin`;
  return prefix === '' ? name : `${prefix}/${name}`;
}

export function deletionVectorLocation(d: DeletionVectorDescriptor): DeletionVectorLocation {
  // Absent offsets predate multi-DV files: the DV is the first one, after the version byte.
  const offset = d.offset ?? FIRST_DV_OFFSET;
  switch (d.storageType) {
    case 'u':
      return { kind: 'relative', path: deletionVectorRelativePath(d), offset };
    case 'p':
      return { kind: 'absolute', url: d.pathOrInlineDv, offset };
    case 'i':
      return { kind: 'inline', bitmap: z85Decode(d.pathOrInlineDv, d.sizeInBytes) };
    default:
      throw invalid(d, `unknown storage type '${String(d.storageType)}', expected 'u', 'p' or 'i'`);
  }
}

/** Bytes to read from a DV file for this descriptor: the size, the bitmap and the checksum. */
export function deletionVectorByteRange(d: DeletionVectorDescriptor): { offset: number; length: number } {
  return { offset: d.offset ?? FIRST_DV_OFFSET, length: 4 + d.sizeInBytes + 4 };
}

/**
 * Decodes one framed DV as read from `deletionVectorByteRange`: checks the stored size against
 * `sizeInBytes`, the CRC-32, and the decoded count against `cardinality`.
 */
export function decodeDeletionVectorFrame(
  d: DeletionVectorDescriptor,
  frame: Uint8Array,
  source: string,
): number[] {
  if (frame.length < 8)
    throw invalid(d, `${source} has only ${frame.length} bytes at offset ${d.offset ?? 1}`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const size = view.getInt32(0, false);
  if (size !== d.sizeInBytes) {
    throw invalid(
      d,
      `${source} stores a DV of ${size} bytes at offset ${d.offset ?? 1}, the log says ${d.sizeInBytes}`,
    );
  }
  if (frame.length < 8 + size)
    throw invalid(d, `${source} ends inside the DV (${frame.length} of ${8 + size} bytes)`);
  const bitmap = frame.subarray(4, 4 + size);
  const stored = view.getUint32(4 + size, false);
  const actual = crc32(bitmap);
  if (stored !== actual) {
    throw invalid(d, `checksum mismatch in ${source}: stored ${hex(stored)}, computed ${hex(actual)}`);
  }
  return decodeChecked(d, bitmap);
}

/** Decodes an inline ('i') descriptor. */
export function decodeInlineDeletionVector(d: DeletionVectorDescriptor): number[] {
  const location = deletionVectorLocation(d);
  if (location.kind !== 'inline') throw invalid(d, 'is not an inline deletion vector');
  return decodeChecked(d, location.bitmap);
}

function decodeChecked(d: DeletionVectorDescriptor, bitmap: Uint8Array): number[] {
  let rows: number[];
  try {
    rows = decodeRoaringBitmapArray(bitmap);
  } catch (e) {
    throw e instanceof DeltaError ? invalid(d, e.message) : e;
  }
  if (rows.length !== d.cardinality) {
    throw invalid(d, `decodes to ${rows.length} rows, the log says cardinality ${d.cardinality}`);
  }
  return rows;
}

export interface EncodedDeletionVectorFile {
  /** The whole DV file: version byte, size, bitmap, checksum. */
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly sizeInBytes: number;
  readonly cardinality: number;
}

/** A DV file holding one DV for `rows` (sorted or not, duplicates ignored). */
export function encodeDeletionVectorFile(rows: Iterable<number>): EncodedDeletionVectorFile {
  const { bytes: bitmap, cardinality } = encodeRoaringBitmapArrayCounted(rows);
  const bytes = new Uint8Array(1 + 4 + bitmap.length + 4);
  const view = new DataView(bytes.buffer);
  bytes[0] = DV_FILE_FORMAT_VERSION;
  view.setInt32(1, bitmap.length, false);
  bytes.set(bitmap, 5);
  view.setUint32(5 + bitmap.length, crc32(bitmap), false);
  return { bytes, offset: FIRST_DV_OFFSET, sizeInBytes: bitmap.length, cardinality };
}

/**
 * The descriptor for a DV file written at `deletion_vector_<uuid>.bin` (under `prefix/` when
 * given; Delta uses short random prefixes to spread files over object-store partitions).
 */
export function newDeletionVectorDescriptor(args: {
  readonly uuid: string;
  readonly prefix?: string;
  readonly offset: number;
  readonly sizeInBytes: number;
  readonly cardinality: number;
}): DeletionVectorDescriptor {
  const prefix = args.prefix ?? '';
  if (prefix.includes('/')) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `deletion vector prefix '${prefix}' must be one directory name`,
      {
        prefix,
      },
    );
  }
  return {
    storageType: 'u',
    pathOrInlineDv: `${prefix}${uuidToZ85(args.uuid)}`,
    offset: args.offset,
    sizeInBytes: args.sizeInBytes,
    cardinality: args.cardinality,
  };
}

/** An inline descriptor carrying the bitmap in the log; fit for small DVs only. */
export function inlineDeletionVectorDescriptor(rows: Iterable<number>): DeletionVectorDescriptor {
  const { bytes: bitmap, cardinality } = encodeRoaringBitmapArrayCounted(rows);
  return {
    storageType: 'i',
    pathOrInlineDv: z85Encode(bitmap),
    sizeInBytes: bitmap.length,
    cardinality,
  };
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
