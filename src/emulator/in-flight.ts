// A bound on how many requests of one kind run at once; the rest wait their turn, first come
// first served. The content routes hold a slot for as long as they read git objects and stream
// them out (issue 21, L4: 48 parallel reads of a 31 MB blob took an unbounded emulator from
// 69 MB to 1.17 GB). Waiting, not refusing: the schema gives these routes no 429 or 503.

export class InFlightLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most that ever ran at once (the test aid's figure). */
  peak = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`in-flight limit must be a positive integer, not ${max}`);
  }

  /** Resolves with the slot's release once one is free; call release exactly once (later calls do nothing). */
  async acquire(): Promise<() => void> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Runs f in a slot. */
  async run<T>(f: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await f();
    } finally {
      release();
    }
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so running stays as it is.
    if (next) next();
    else this.running--;
  }
}
