// The single executable (install/sea.mjs): one binary, three tools, picked by the name it was
// started as (siblings are symlinks); the credential helper's hot path stays a static import.
import path from 'node:path';
import { credentialExecutable } from '../src/cli/entry.js';
import { nodeIo } from '../src/io.js';
import { emulatorTool, remoteTool } from '../src/names.js';
import { runKeychainChild } from '../src/store/keychain-entry.js';
import { keychainChildEnv } from '../src/store/keychain-protocol.js';

const name = path.basename(process.argv0).replace(/\.exe$/i, '');
// The keychain store's child (src/store/keychain-store.ts) is this executable again.
if (process.env[keychainChildEnv] === '1') void runKeychainChild().then((code) => (process.exitCode = code));
else if (name === remoteTool) void import('./git-remote-artifacts.js');
else if (name === emulatorTool) void import('./artifacts-emulator.js');
else if (process.argv[2] === '--sea-check') void import('../install/sea-check.js').then(async (m) => (process.exitCode = await m.seaCheck()));
else void credentialExecutable(nodeIo()).then((code) => (process.exitCode = code));
