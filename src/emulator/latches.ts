// TEST AIDS ONLY: points where a request or a background job waits until a test releases it, so
// a test sees "in progress" for exactly as long as it needs, never for a timed window that a slow
// runner could miss (issue 22). Every hold has a bound, so a test that forgets to release cannot
// hang the emulator.

/** How long a hold lasts at most before it lets go by itself. */
export const holdBoundMs = 120_000;

interface Watch {
  count: number;
  wake: () => void;
}

export class Latches {
  private readonly held = new Map<string, (() => void)[]>();
  private watches = new Map<string, Watch[]>();

  /** Waits at `name` until released, or for boundMs. */
  hold(name: string, boundMs = holdBoundMs): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.drop(name, go), boundMs);
      const go = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.held.set(name, [...(this.held.get(name) ?? []), go]);
      this.notify(name);
    });
  }

  /** Lets go of everything held at `name` (every latch when no name); how many it let go. */
  release(name?: string): number {
    const names = name === undefined ? [...this.held.keys()] : [name];
    let released = 0;
    for (const n of names) {
      const waiting = this.held.get(n) ?? [];
      this.held.delete(n);
      for (const go of waiting) go();
      released += waiting.length;
    }
    return released;
  }

  /** How many wait at `name` now. */
  count(name: string): number {
    return this.held.get(name)?.length ?? 0;
  }

  /** Resolves true once at least `count` wait at `name`, or false after boundMs. */
  whenHeld(name: string, count: number, boundMs: number): Promise<boolean> {
    if (this.count(name) >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const watch: Watch = { count, wake: () => finish(true) };
      const timer = setTimeout(() => finish(false), boundMs);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.watches.set(name, (this.watches.get(name) ?? []).filter((w) => w !== watch));
        resolve(ok);
      };
      this.watches.set(name, [...(this.watches.get(name) ?? []), watch]);
    });
  }

  private notify(name: string): void {
    for (const w of this.watches.get(name) ?? []) if (this.count(name) >= w.count) w.wake();
  }

  private drop(name: string, go: () => void): void {
    const left = (this.held.get(name) ?? []).filter((g) => g !== go);
    if (left.length > 0) this.held.set(name, left);
    else this.held.delete(name);
    go();
  }
}
