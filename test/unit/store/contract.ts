// The TokenStore contract: every store (keychain, file) passes the same table. Each store is
// made fresh per test (its own service name or directory), so tests share nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { storeKey, type TokenStore } from '../../../src/store/token-store.js';

export interface MadeStore {
  store: TokenStore;
  cleanup(): Promise<void> | void;
}

const api = 'https://api.cloudflare.com/client/v4';
const emulator = 'http://127.0.0.1:8787/client/v4';
const account = '0123456789abcdef0123456789abcdef';
const token = 'cfut_' + 'A1b2C3d4'.repeat(5);

export function storeContract(name: string, make: () => Promise<MadeStore>): void {
  describe(`TokenStore contract: ${name}`, () => {
    let made: MadeStore | undefined;
    const open = async (): Promise<TokenStore> => (made = await make()).store;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('an empty store has no entries and answers undefined', async () => {
      const s = await open();
      expect(await s.get(storeKey(api))).toBeUndefined();
      expect(await s.list()).toEqual([]);
      expect(await s.delete(storeKey(api))).toBe(false);
    });

    it('set then get returns the token; list names the key and never the token', async () => {
      const s = await open();
      await s.set(storeKey(api, account), token);
      expect(await s.get(storeKey(api, account))).toBe(token);
      const listed = await s.list();
      expect(listed).toEqual([{ apiUrl: api, account }]);
      expect(JSON.stringify(listed)).not.toContain(token);
    });

    it('keys are distinct: API URL alone, with an account, another API URL', async () => {
      const s = await open();
      await s.set(storeKey(api), 'tok-all');
      await s.set(storeKey(api, account), 'tok-account');
      await s.set(storeKey(emulator, 'acct_1'), 'tok-emulator');
      expect(await s.get(storeKey(api))).toBe('tok-all');
      expect(await s.get(storeKey(api, account))).toBe('tok-account');
      expect(await s.get(storeKey(emulator, 'acct_1'))).toBe('tok-emulator');
      expect(await s.get(storeKey(emulator))).toBeUndefined();
      expect(await s.get(storeKey(api, 'ffffffffffffffffffffffffffffffff'))).toBeUndefined();
      const keys = (await s.list()).map((k) => `${k.account ?? '-'} ${k.apiUrl}`).sort();
      expect(keys).toEqual([`- ${api}`, `${account} ${api}`, `acct_1 ${emulator}`].sort());
    });

    it('a trailing slash names the same key (login and mint agree)', async () => {
      const s = await open();
      await s.set(storeKey(`${api}/`), token);
      expect(await s.get(storeKey(api))).toBe(token);
    });

    it('set again replaces, it does not add', async () => {
      const s = await open();
      await s.set(storeKey(api), 'first');
      await s.set(storeKey(api), 'second');
      expect(await s.get(storeKey(api))).toBe('second');
      expect(await s.list()).toHaveLength(1);
    });

    it('delete removes exactly that key, once', async () => {
      const s = await open();
      await s.set(storeKey(api), 'tok-all');
      await s.set(storeKey(api, account), 'tok-account');
      expect(await s.delete(storeKey(api, account))).toBe(true);
      expect(await s.delete(storeKey(api, account))).toBe(false);
      expect(await s.get(storeKey(api, account))).toBeUndefined();
      expect(await s.get(storeKey(api))).toBe('tok-all');
    });
  });
}
