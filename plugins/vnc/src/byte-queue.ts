/**
 * Bytes arriving in chunks (a TCP socket, WebSocket frames) read back by exact counts or whole messages: the
 * RFB handshakes read "12 bytes", "1 byte", "one client message" regardless of how the bytes were split.
 */
export class ByteQueue {
  private buf: Buffer = Buffer.alloc(0);
  private closedWith: Error | null = null;
  private wake: (() => void) | null = null;

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.notify();
  }

  /** No more bytes will come: pending and later reads fail with `why`. */
  close(why = 'connection closed'): void {
    if (!this.closedWith) this.closedWith = new Error(why);
    this.notify();
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Exactly n bytes; rejects if the stream ends first. */
  read(n: number): Promise<Buffer> {
    return this.readMessage((b) => (b.length >= n ? { msg: Buffer.from(b.subarray(0, n)), length: n } : null));
  }

  /** The first message `parse` finds in the buffered bytes (null: needs more); its bytes are consumed. */
  async readMessage<T>(parse: (b: Buffer) => { msg: T; length: number } | null): Promise<T> {
    for (;;) {
      const r = parse(this.buf);
      if (r) {
        this.buf = this.buf.subarray(r.length);
        return r.msg;
      }
      if (this.closedWith) throw this.closedWith;
      await new Promise<void>((res) => (this.wake = res));
    }
  }

  /** Everything buffered and not yet read (then empty). */
  take(): Buffer {
    const b = this.buf;
    this.buf = Buffer.alloc(0);
    return b;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
