import { decodeUtf8Strict } from './text.js';

/**
 * A cursor over one message body that never throws: reading past the end or hitting invalid
 * UTF-8 latches `failed`, returns a harmless zero value, and the caller checks `ok` once at the
 * end. Hostile input therefore costs one branch, not a try/catch per field.
 */
export class ByteReader {
  private readonly view: DataView;
  pos = 0;
  failed = false;
  invalidUtf8 = false;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** True when every read succeeded and the body was consumed exactly. */
  get ok(): boolean {
    return !this.failed && this.pos === this.buf.length;
  }

  private take(n: number): boolean {
    if (this.failed || n < 0 || this.pos + n > this.buf.length) {
      this.failed = true;
      return false;
    }
    return true;
  }

  u8(): number {
    if (!this.take(1)) return 0;
    return this.buf[this.pos++]!;
  }

  i16(): number {
    if (!this.take(2)) return 0;
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  u16(): number {
    if (!this.take(2)) return 0;
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    if (!this.take(4)) return 0;
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  u32(): number {
    if (!this.take(4)) return 0;
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i64(): bigint {
    if (!this.take(8)) return 0n;
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  f32(): number {
    if (!this.take(4)) return 0;
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    if (!this.take(8)) return 0;
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number): Uint8Array {
    if (!this.take(n)) return new Uint8Array(0);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    if (this.failed) return '';
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) {
      this.failed = true;
      return '';
    }
    const text = this.utf8Of(this.buf.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  /** The remaining bytes as UTF-8 (for bodies that are a bare string). */
  utf8(n: number): string {
    return this.utf8Of(this.bytes(n));
  }

  private utf8Of(bytes: Uint8Array): string {
    if (bytes.length === 0) return '';
    const text = decodeUtf8Strict(bytes);
    if (text === undefined) {
      this.failed = true;
      this.invalidUtf8 = true;
      return '';
    }
    return text;
  }
}
