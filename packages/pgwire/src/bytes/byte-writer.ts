import { encodeUtf8Into, maxUtf8Length } from './text.js';

const INITIAL_CAPACITY = 4096;
/** Strings up to this length are copied code unit by code unit while they are ASCII. */
const ASCII_LOOP_MAX = 64;

/**
 * A growable big-endian buffer. Everything on the wire is big-endian, and batching many messages
 * into one buffer (one socket write) is what keeps small-result round trips cheap.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  i16(v: number): this {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** UTF-8 without terminator; returns the number of bytes written. */
  utf8(text: string): number {
    const n = text.length;
    if (n === 0) return 0;
    this.ensure(maxUtf8Length(text));
    if (n <= ASCII_LOOP_MAX) {
      // Most result values are short ASCII (numbers, dates, names): copying the code units beats
      // the encoder's call overhead and the subarray it needs. Anything else goes to the encoder.
      const buf = this.buf;
      const start = this.pos;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) {
          const { written } = encodeUtf8Into(text.slice(i), buf.subarray(start + i));
          this.pos = start + i + written;
          return i + written;
        }
        buf[start + i] = c;
      }
      this.pos = start + n;
      return n;
    }
    const { written } = encodeUtf8Into(text, this.buf.subarray(this.pos));
    this.pos += written;
    return written;
  }

  /** NUL-terminated UTF-8, the protocol's String type. */
  cstring(text: string): this {
    this.utf8(text);
    return this.u8(0);
  }

  /** Reserves an Int32 to be patched later (message and value lengths are only known afterwards). */
  reserveI32(): number {
    const at = this.pos;
    this.i32(0);
    return at;
  }

  patchI32(at: number, v: number): void {
    this.view.setInt32(at, v);
  }

  /** Copies out the written bytes and resets the writer for reuse. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** A view of the written bytes; valid only until the next write. */
  peek(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}
