// The product's names, once: the three executables (also the prefix of every message they
// print, and the directory name under the user's cache and config dirs), and the text that
// marks a credential.helper value as one configure wrote.
export const credentialTool = 'git-credential-artifacts';
export const remoteTool = 'git-remote-artifacts';
export const emulatorTool = 'artifacts-emulator';

declare const __VERSION__: string | undefined;
/** package.json's version, put in by the build (install/lazy-bundle.mjs); `dev` when run from src/. */
export const version = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

/** Part of every helper command configure writes (gitconfig/helper-command.ts). */
export const helperMarker = 'in get|erase) exec ';
