// The keychain store against a real Secret Service (gnome-keyring on a private D-Bus session:
// test/support/secret-service.ts), and against the keychains that fail: none, locked, hung.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeychainStore } from '../../../src/store/keychain-store.js';
import { storeKey } from '../../../src/store/token-store.js';
import { keychainChildForTests, secretServiceMissing, skipWithoutSecretService, startBus, startSecretService, type SecretService } from '../../support/secret-service.js';
import { storeContract } from './contract.js';

let command: string[];
let service: SecretService;
let n = 0;

// Without dbus-daemon and gnome-keyring (and not required by ARTIFACTS_TEST_REQUIRE_KEYRING=1),
// the tests that need them are skipped with one note, and nothing is started.
beforeAll(async () => {
  if (secretServiceMissing()) return;
  command = await keychainChildForTests();
  service = await startSecretService();
}, 30_000);
afterAll(() => service?.stop());

describe('keychain store: a real Secret Service', () => {
  beforeEach(skipWithoutSecretService);
  storeContract('keychain (gnome-keyring Secret Service)', async () => {
    // A service name per test: entries of one test never meet another's.
    const store = new KeychainStore({ env: { ...process.env, ...service.env }, command, service: `gca-test-${process.pid}-${n++}` });
    return {
      store,
      cleanup: async () => {
        for (const key of await store.list()) await store.delete(key);
      },
    };
  });
});

describe('keychain store: where there is no usable keychain', () => {
  const key = storeKey('https://api.cloudflare.com/client/v4');

  it('no D-Bus session on Linux: unavailable at once, without starting a child', async () => {
    const store = new KeychainStore({ env: {}, command: ['/nonexistent'], platform: 'linux' });
    expect(store.unavailableReason()).toMatch(/no D-Bus session/);
    await expect(store.set(key, 'tok')).rejects.toMatchObject({ code: 'store.unavailable', message: expect.stringMatching(/D-Bus/) });
  });

  it('a session bus whose daemon hangs: given up at the time bound, the child killed', async (ctx) => {
    skipWithoutSecretService(ctx);
    const bus = startBus();
    process.kill(bus.pid, 'SIGSTOP'); // connects, then never answers: a stuck session
    try {
      let slow = 0;
      const store = new KeychainStore({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address }, command, timeoutMs: 1_500, slowAfterMs: 100, onSlow: () => slow++ });
      await expect(store.get(key)).rejects.toMatchObject({ code: 'store.unavailable', message: expect.stringMatching(/did not answer within 1.5 s/) });
      // A person at a terminal is told why they wait (deps.ts), once.
      expect(slow).toBe(1);
    } finally {
      bus.stop();
    }
  });

  it('a bus with no unlocked keyring (activation starts one that cannot prompt): unavailable, not a hang', async (ctx) => {
    skipWithoutSecretService(ctx);
    const bus = startBus();
    try {
      const store = new KeychainStore({ env: { ...process.env, HOME: bus.home, DBUS_SESSION_BUS_ADDRESS: bus.address, DISPLAY: '' }, command });
      await expect(store.set(key, 'tok')).rejects.toMatchObject({ code: 'store.unavailable' });
    } finally {
      bus.stop();
    }
  });

  it('a child that does not start is reported, not thrown raw', async () => {
    const store = new KeychainStore({ env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }, command: ['/nonexistent/child'] });
    await expect(store.get(key)).rejects.toMatchObject({ code: 'store.unavailable', message: expect.stringMatching(/did not start \(ENOENT\)/) });
  });
});
