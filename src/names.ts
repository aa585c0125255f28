// The product's names, once: the three executables (also the prefix of every message they
// print, and the directory name under the user's cache and config dirs), and the text that
// marks a credential.helper value as one configure wrote.
export const credentialTool = 'git-credential-artifacts';
export const remoteTool = 'git-remote-artifacts';
export const emulatorTool = 'artifacts-emulator';

/** Part of every helper command configure writes (gitconfig/helper-command.ts). */
export const helperMarker = 'in get|erase) exec ';
