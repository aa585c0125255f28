// Latches (src/emulator/latches.ts): test aids that hold a request until a test lets it go.
import { describe, expect, it } from 'vitest';
import { Latches } from '../../../src/emulator/latches.js';

describe('Latches', () => {
  it('holds until released, by name', async () => {
    const l = new Latches();
    const order: string[] = [];
    const a = l.hold('import').then(() => order.push('import'));
    const b = l.hold('fork').then(() => order.push('fork'));
    expect([l.count('import'), l.count('fork')]).toEqual([1, 1]);
    expect(l.release('fork')).toBe(1);
    await b;
    expect(order).toEqual(['fork']);
    expect(l.release('nothing')).toBe(0);
    expect(l.release()).toBe(1);
    await a;
    expect(order).toEqual(['fork', 'import']);
  });

  it('whenHeld answers once enough wait there, or false at its bound', async () => {
    const l = new Latches();
    const two = l.whenHeld('mint', 2, 60_000);
    void l.hold('mint');
    void l.hold('mint');
    expect(await two).toBe(true);
    expect(await l.whenHeld('mint', 1, 60_000)).toBe(true); // already there
    expect(await l.whenHeld('fork', 1, 1)).toBe(false);
    l.release();
  });

  it('a hold lets go by itself at its bound', async () => {
    const l = new Latches();
    await l.hold('git', 1);
    expect(l.count('git')).toBe(0);
  });
});
