/**
 * FIFO of received chunks. Messages are cut out without concatenating everything received so
 * far, so feeding a large message byte by byte stays linear instead of quadratic.
 */
export class ChunkQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // index of the first live chunk
  private offset = 0; // read offset inside chunks[head]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Byte at position `i` from the read position; caller guarantees i < length. */
  byteAt(i: number): number {
    let idx = this.head;
    let at = this.offset + i;
    for (;;) {
      const c = this.chunks[idx]!;
      if (at < c.length) return c[at]!;
      at -= c.length;
      idx++;
    }
  }

  /** Big-endian Int32 at position `i`; caller guarantees i + 4 <= length. */
  int32At(i: number): number {
    return (
      (this.byteAt(i) << 24) | (this.byteAt(i + 1) << 16) | (this.byteAt(i + 2) << 8) | this.byteAt(i + 3) | 0
    );
  }

  skip(n: number): void {
    this.take(n, false);
  }

  /**
   * Removes and returns the next `n` bytes (caller guarantees n <= length). Returns a view when
   * they sit in one chunk, a copy otherwise.
   */
  read(n: number): Uint8Array {
    return this.take(n, true);
  }

  private take(n: number, keep: boolean): Uint8Array {
    this.total -= n;
    const first = this.chunks[this.head];
    if (first !== undefined && first.length - this.offset >= n) {
      const out = keep ? first.subarray(this.offset, this.offset + n) : EMPTY;
      this.offset += n;
      if (this.offset === first.length) this.dropHead();
      return out;
    }
    const out = keep ? new Uint8Array(n) : EMPTY;
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[this.head]!;
      const avail = c.length - this.offset;
      const want = Math.min(avail, n - filled);
      if (keep) out.set(c.subarray(this.offset, this.offset + want), filled);
      filled += want;
      this.offset += want;
      if (this.offset === c.length) this.dropHead();
    }
    return out;
  }

  private dropHead(): void {
    this.chunks[this.head] = EMPTY;
    this.head++;
    this.offset = 0;
    // Compact occasionally so the array does not grow without bound on long connections.
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.total = 0;
  }
}

const EMPTY = new Uint8Array(0);
