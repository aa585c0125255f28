// InFlightLimit (src/emulator/in-flight.ts): the content routes' slots, first come first served.
import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../../src/emulator/in-flight.js';

/** A task that runs until released by hand, so no test waits on the clock. */
function held(): { promise: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('InFlightLimit', () => {
  it.each([
    [1, 5],
    [2, 10],
    [8, 48],
    [4, 3],
  ])('max %i with %i tasks: never more than max at once, all finish, in the order they came', async (max, tasks) => {
    const limit = new InFlightLimit(max);
    const gates = Array.from({ length: tasks }, held);
    const started: number[] = [];
    const all = gates.map((g, i) => limit.run(async () => {
      started.push(i);
      expect(limit.inFlight).toBeLessThanOrEqual(max);
      await g.promise;
    }));
    await turn();
    expect(limit.inFlight).toBe(Math.min(max, tasks));
    expect(limit.queued).toBe(Math.max(0, tasks - max));
    for (const g of gates) {
      g.release();
      await turn();
    }
    await Promise.all(all);
    expect(started).toEqual(gates.map((_, i) => i));
    expect(limit.peak).toBe(Math.min(max, tasks));
    expect([limit.inFlight, limit.queued]).toEqual([0, 0]);
  });

  it('a second release of the same slot does nothing', async () => {
    const limit = new InFlightLimit(1);
    const release = await limit.acquire();
    const next = limit.acquire();
    release();
    release();
    const releaseNext = await next;
    expect(limit.inFlight).toBe(1);
    releaseNext();
    expect(limit.inFlight).toBe(0);
  });

  it('a task that throws gives its slot back', async () => {
    const limit = new InFlightLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limit.inFlight).toBe(0);
    await expect(limit.run(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a max of %s', (max) => {
    expect(() => new InFlightLimit(max)).toThrow(/positive integer/);
  });
});
