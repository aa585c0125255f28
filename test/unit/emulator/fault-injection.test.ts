import { describe, expect, it } from 'vitest';
import { faultCode, Faults } from '../../../src/emulator/fault-injection.js';

describe('Faults', () => {
  it('fires a fault for its count, first match first', () => {
    const f = new Faults();
    f.apply({ routes: [{ route: 'mint', status: 429, count: 2 }, { route: 'mint', status: 500 }, { route: 'git', delayMs: 5 }] });
    expect(f.take('mint')?.status).toBe(429);
    expect(f.take('mint')?.status).toBe(429);
    expect(f.take('mint')?.status).toBe(500);
    expect(f.take('mint')).toBeUndefined();
    expect(f.take('git')?.delayMs).toBe(5);
  });
  it.each([
    [{ routes: [{ route: 'nope' }] }, /route must be one of/],
    [{ routes: [{ route: 'mint', count: 0 }] }, /count/],
    [{ routes: [{ route: 'mint', status: 200 }] }, /status/],
    [{ routes: 'x' }, /array/],
    [{ tokenLifetimeSeconds: -1 }, /tokenLifetimeSeconds/],
    [{ tokenPrefix: 'BAD PREFIX' }, /tokenPrefix/],
    [{ holdImports: 'yes' }, /holdImports must be true or false/],
    [{ forkDelayMs: 600_001 }, /forkDelayMs must be an integer 0..600000/],
    [{ routes: [{ route: 'mint', hold: 1 }] }, /hold must be true or false/],
  ])('rejects %j', (settings, message) => {
    expect(() => new Faults().apply(settings as Record<string, unknown>)).toThrow(message);
  });
  it('token settings apply and clear', () => {
    const f = new Faults();
    f.apply({ tokenLifetimeSeconds: 3, tokenPrefix: 'art_v2_e_', importDelayMs: 100 });
    expect(f.snapshot()).toMatchObject({ tokenLifetimeSeconds: 3, tokenPrefix: 'art_v2_e_', importDelayMs: 100 });
    f.clear();
    expect(f.snapshot()).toMatchObject({ tokenLifetimeSeconds: null, tokenPrefix: null, importDelayMs: 0, routes: [] });
  });
  it('applies all settings or none', () => {
    const f = new Faults();
    expect(() => f.apply({ tokenLifetimeSeconds: 3, importDelayMs: -1 })).toThrow(/importDelayMs/);
    expect(f.snapshot()).toMatchObject({ tokenLifetimeSeconds: null, importDelayMs: 0 });
  });
  it('clear lets go of everything held', async () => {
    const f = new Faults();
    const held = f.latches.hold('import');
    expect(f.latches.count('import')).toBe(1);
    f.clear();
    await held;
    expect(f.latches.count('import')).toBe(0);
  });
  it.each([
    [{ route: 'mint' as const, status: 409 }, 10302],
    [{ route: 'revoke' as const, status: 404 }, 10200],
    [{ route: 'mint' as const, status: 503 }, 10400],
    [{ route: 'mint' as const, status: 409, code: 10303 }, 10303],
  ])('faultCode(%j) = %d', (fault, code) => expect(faultCode(fault)).toBe(code));
});
