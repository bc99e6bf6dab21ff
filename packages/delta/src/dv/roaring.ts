// RoaringBitmapArray codec: the bitmap inside every deletion vector (PROTOCOL.md "Deletion Vector
// Format"). Layout, all little-endian: magic 1681511377 (int32), bucket count (int64), then per
// bucket a 32-bit key (the high half of the row index) and a portable 32-bit Roaring bitmap of
// the low halves (RoaringFormatSpec). Row indexes are JS numbers, so keys stop at 2^21 (2^53).

import { DeltaError } from '../errors.js';

export const ROARING_BITMAP_ARRAY_MAGIC = 1681511377;

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_MAX_CARDINALITY = 4096;
const BITMAP_BYTES = 8192;
const TWO_32 = 0x1_0000_0000;
const MAX_BUCKET_KEY = 2 ** 21 - 1;

const invalid = (message: string): DeltaError =>
  new DeltaError('INVALID_DELETION_VECTOR', `deletion vector bitmap: ${message}`);

class Reader {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number, what: string): void {
    if (this.pos + n > this.bytes.byteLength) {
      throw invalid(
        `truncated: needs ${n} more bytes for ${what} at byte ${this.pos} of ${this.bytes.byteLength}`,
      );
    }
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`${what} ${v} is out of range`);
    return Number(v);
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}

/** Decodes a RoaringBitmapArray (with its magic number) into sorted row indexes. */
export function decodeRoaringBitmapArray(bytes: Uint8Array): number[] {
  const r = new Reader(bytes);
  const magic = r.u32('magic number');
  if (magic !== ROARING_BITMAP_ARRAY_MAGIC) {
    throw invalid(
      `magic number is ${magic}, expected ${ROARING_BITMAP_ARRAY_MAGIC} (portable RoaringBitmapArray)`,
    );
  }
  const buckets = r.u64('bucket count');
  const out: number[] = [];
  let previousKey = -1;
  for (let b = 0; b < buckets; b++) {
    const key = r.u32('bucket key');
    if (key <= previousKey) throw invalid(`bucket keys are not ascending (${key} after ${previousKey})`);
    if (key > MAX_BUCKET_KEY)
      throw invalid(`bucket key ${key} means row indexes beyond 2^53, which are not supported`);
    previousKey = key;
    readRoaring32(r, key * TWO_32, out);
  }
  if (r.pos !== bytes.byteLength)
    throw invalid(`${bytes.byteLength - r.pos} trailing bytes after the last bucket`);
  return out;
}

function readRoaring32(r: Reader, base: number, out: number[]): void {
  const cookie = r.u32('cookie');
  let size: number;
  let runFlags: Uint8Array | undefined;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    const flagBytes = Math.ceil(size / 8);
    r.skip(flagBytes, 'run-container flags');
    runFlags = r.bytes.subarray(r.pos - flagBytes, r.pos);
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    size = r.u32('container count');
  } else {
    throw invalid(`unknown Roaring cookie ${cookie}`);
  }
  if (size > 65536) throw invalid(`container count ${size} exceeds 65536`);
  const keys = new Array<number>(size);
  const cards = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    keys[i] = r.u16('container key');
    cards[i] = r.u16('container cardinality') + 1;
    if (i > 0 && keys[i]! <= keys[i - 1]!) throw invalid(`container keys are not ascending at ${i}`);
  }
  // Offsets only help random access; containers follow each other, so read them in order.
  if (runFlags === undefined || size >= NO_OFFSET_THRESHOLD) r.skip(4 * size, 'container offsets');
  for (let i = 0; i < size; i++) {
    const high = base + keys[i]! * 0x10000;
    const isRun = runFlags !== undefined && (runFlags[i >>> 3]! & (1 << (i & 7))) !== 0;
    if (isRun) {
      const runs = r.u16('run count');
      let last = -1;
      for (let k = 0; k < runs; k++) {
        const start = r.u16('run start');
        const end = start + r.u16('run length');
        if (end > 0xffff || start <= last)
          throw invalid(`run ${start}..${end} overlaps or overflows its container`);
        for (let v = start; v <= end; v++) out.push(high + v);
        last = end;
      }
    } else if (cards[i]! <= ARRAY_MAX_CARDINALITY) {
      let last = -1;
      for (let k = 0; k < cards[i]!; k++) {
        const v = r.u16('array value');
        if (v <= last) throw invalid('array container values are not ascending');
        out.push(high + v);
        last = v;
      }
    } else {
      const start = r.pos;
      r.skip(BITMAP_BYTES, 'bitmap container');
      const view = new DataView(r.bytes.buffer, r.bytes.byteOffset + start, BITMAP_BYTES);
      for (let w = 0; w < BITMAP_BYTES / 4; w++) {
        let word = view.getUint32(w * 4, true);
        while (word !== 0) {
          const bit = 31 - Math.clz32(word & -word);
          out.push(high + w * 32 + bit);
          word &= word - 1;
        }
      }
    }
  }
}

/**
 * Encodes row indexes (any order, duplicates allowed) as a RoaringBitmapArray with its magic
 * number, choosing per container the smallest of array, bitmap and run encodings.
 */
export function encodeRoaringBitmapArray(rows: Iterable<number>): Uint8Array {
  return encodeRoaringBitmapArrayCounted(rows).bytes;
}

/** The bitmap and its cardinality (the number of distinct row indexes). */
export function encodeRoaringBitmapArrayCounted(rows: Iterable<number>): {
  readonly bytes: Uint8Array;
  readonly cardinality: number;
} {
  const sorted = sortedUnique(rows);
  const chunks: Uint8Array[] = [];
  const head = new DataView(new ArrayBuffer(12));
  head.setUint32(0, ROARING_BITMAP_ARRAY_MAGIC, true);
  chunks.push(new Uint8Array(head.buffer));
  let buckets = 0;
  let i = 0;
  while (i < sorted.length) {
    const key = Math.floor(sorted[i]! / TWO_32);
    const base = key * TWO_32;
    let j = i;
    while (j < sorted.length && sorted[j]! - base < TWO_32) j++;
    const keyBytes = new Uint8Array(4);
    new DataView(keyBytes.buffer).setUint32(0, key, true);
    chunks.push(keyBytes, encodeRoaring32(sorted, i, j, base));
    buckets++;
    i = j;
  }
  head.setBigUint64(4, BigInt(buckets), true);
  return { bytes: concat(chunks), cardinality: sorted.length };
}

/** A container: the low 16 bits of sorted[from, to) under one high key, and its encoding. */
interface Container {
  readonly key: number;
  readonly from: number;
  readonly to: number;
  readonly kind: 'array' | 'bitmap' | 'run';
  readonly runs: number;
}

const containerBytes = (c: Container): number =>
  c.kind === 'array' ? 2 * (c.to - c.from) : c.kind === 'bitmap' ? BITMAP_BYTES : 2 + 4 * c.runs;

// Works on index ranges of one sorted typed array (no per-container copies): a DELETE or MERGE
// hands over hundreds of thousands of row indexes at once.
function encodeRoaring32(sorted: Float64Array, from: number, to: number, base: number): Uint8Array {
  const containers: Container[] = [];
  let i = from;
  while (i < to) {
    const key = Math.floor((sorted[i]! - base) / 0x10000);
    const limit = base + (key + 1) * 0x10000;
    const start = i;
    let runs = 1;
    i++;
    while (i < to && sorted[i]! < limit) {
      if (sorted[i]! !== sorted[i - 1]! + 1) runs++;
      i++;
    }
    const card = i - start;
    const plainBytes = card <= ARRAY_MAX_CARDINALITY ? 2 * card : BITMAP_BYTES;
    const kind = 2 + 4 * runs < plainBytes ? 'run' : card <= ARRAY_MAX_CARDINALITY ? 'array' : 'bitmap';
    containers.push({ key, from: start, to: i, kind, runs });
  }
  const size = containers.length;
  const hasRun = containers.some((c) => c.kind === 'run');
  const withOffsets = !hasRun || size >= NO_OFFSET_THRESHOLD;
  const headerBytes = 4 + (hasRun ? Math.ceil(size / 8) : 4) + 4 * size + (withOffsets ? 4 * size : 0);
  const total = headerBytes + containers.reduce((n, c) => n + containerBytes(c), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  if (hasRun) {
    view.setUint32(pos, SERIAL_COOKIE | ((size - 1) << 16), true);
    pos += 4;
    containers.forEach((c, idx) => {
      if (c.kind === 'run') out[pos + (idx >>> 3)]! |= 1 << (idx & 7);
    });
    pos += Math.ceil(size / 8);
  } else {
    view.setUint32(pos, SERIAL_COOKIE_NO_RUNCONTAINER, true);
    view.setUint32(pos + 4, size, true);
    pos += 8;
  }
  for (const c of containers) {
    view.setUint16(pos, c.key, true);
    view.setUint16(pos + 2, c.to - c.from - 1, true);
    pos += 4;
  }
  if (withOffsets) {
    let offset = headerBytes;
    for (const c of containers) {
      view.setUint32(pos, offset, true);
      pos += 4;
      offset += containerBytes(c);
    }
  }
  for (const c of containers) {
    const low = (k: number): number => (sorted[k]! - base) & 0xffff;
    if (c.kind === 'run') {
      view.setUint16(pos, c.runs, true);
      pos += 2;
      // Each run as [start, length - 1].
      let k = c.from;
      while (k < c.to) {
        let e = k;
        while (e + 1 < c.to && sorted[e + 1]! === sorted[e]! + 1) e++;
        view.setUint16(pos, low(k), true);
        view.setUint16(pos + 2, e - k, true);
        pos += 4;
        k = e + 1;
      }
    } else if (c.kind === 'array') {
      for (let k = c.from; k < c.to; k++) {
        view.setUint16(pos, low(k), true);
        pos += 2;
      }
    } else {
      for (let k = c.from; k < c.to; k++) {
        const v = low(k);
        out[pos + (v >>> 3)]! |= 1 << (v & 7);
      }
      pos += BITMAP_BYTES;
    }
  }
  return out;
}

/** Sorted distinct row indexes; a typed-array sort is several times faster than Array#sort. */
function sortedUnique(rows: Iterable<number>): Float64Array {
  const all = Float64Array.from(rows);
  for (const v of all) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new DeltaError('INVALID_ARGUMENT', `row index ${v} must be a non-negative integer below 2^53`, {
        row: v,
      });
    }
  }
  let ascending = true;
  for (let k = 1; k < all.length && ascending; k++) ascending = all[k - 1]! <= all[k]!;
  if (!ascending) all.sort();
  let n = 0;
  for (let k = 0; k < all.length; k++) if (n === 0 || all[n - 1] !== all[k]) all[n++] = all[k]!;
  return all.subarray(0, n);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
