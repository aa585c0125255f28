import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRows, FileStore, fileStorePath } from '../../../src/store/file-store.js';
import { storeKey } from '../../../src/store/token-store.js';
import { storeContract } from './contract.js';

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'file-store-'));

storeContract('file', async () => {
  const dir = tmp();
  return { store: new FileStore(path.join(dir, 'config', 'api-tokens.json')), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

describe('file store', () => {
  it('lives under the config directory of each platform', () => {
    expect(fileStorePath({ HOME: '/h' }, 'linux')).toBe('/h/.config/git-credential-artifacts/api-tokens.json');
    expect(fileStorePath({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/git-credential-artifacts/api-tokens.json');
    expect(fileStorePath({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/git-credential-artifacts/api-tokens.json');
    expect(fileStorePath({ APPDATA: 'C:\\U\\R', LOCALAPPDATA: 'C:\\U\\L' }, 'win32')).toBe('C:\\U\\L\\git-credential-artifacts\\api-tokens.json');
  });

  it.runIf(process.platform !== 'win32')('writes a 0600 file in a 0700 directory, tightening a loose one', async () => {
    const dir = tmp();
    const conf = path.join(dir, 'conf');
    mkdirSync(conf, { mode: 0o755 });
    chmodSync(conf, 0o755);
    const file = path.join(conf, 'api-tokens.json');
    await new FileStore(file).set(storeKey('https://api.cloudflare.com/client/v4'), 'tok');
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(lstatSync(conf).mode & 0o777).toBe(0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(process.platform !== 'win32')('refuses a planted symlink instead of reading or writing through it', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'elsewhere'), '{"v":1,"logins":[]}', { mode: 0o600 });
    const file = path.join(dir, 'api-tokens.json');
    symlinkSync(path.join(dir, 'elsewhere'), file);
    chmodSync(dir, 0o700);
    await expect(new FileStore(file).get(storeKey('https://api.cloudflare.com/client/v4'))).rejects.toThrow(/symlink/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the last login of a file removes the file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'api-tokens.json');
    const s = new FileStore(file);
    await s.set(storeKey('https://api.cloudflare.com/client/v4'), 'tok');
    expect(readFileSync(file, 'utf8')).toContain('"tok"');
    await s.delete(storeKey('https://api.cloudflare.com/client/v4'));
    expect(() => lstatSync(file)).toThrow();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['not json', '{', 0],
    ['wrong version', '{"v":2,"logins":[{"apiUrl":"https://a.example/client/v4","token":"t"}]}', 0],
    ['a token with a newline', '{"v":1,"logins":[{"apiUrl":"https://a.example/client/v4","token":"t\\nx"}]}', 0],
    ['an http API URL off loopback', '{"v":1,"logins":[{"apiUrl":"http://a.example/client/v4","token":"t"}]}', 0],
    ['an account with @', '{"v":1,"logins":[{"apiUrl":"https://a.example/client/v4","account":"a@b","token":"t"}]}', 0],
    ['an unnormalised URL', '{"v":1,"logins":[{"apiUrl":"https://a.example/client/v4/","token":"t"}]}', 0],
    ['one good row among bad', '{"v":1,"logins":[null,7,{"apiUrl":"https://a.example/client/v4","token":"t"}]}', 1],
  ])('a damaged file: %s', (_name, text, want) => {
    expect(decodeRows(text)).toHaveLength(want);
  });
});
