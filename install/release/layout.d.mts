// Types for layout.mjs (the release scripts are plain Node; the tests are TypeScript).
export interface Entry { path: string; type: 'dir' | 'file' | 'symlink'; mode?: number; target?: string; from?: string }
export const PLATFORMS: string[];
export const TOOL: string;
export const SIBLINGS: string[];
export function isWindows(platform: string): boolean;
export function extOf(platform: string): 'zip' | 'tar.gz';
export function topFolder(version: string, platform: string): string;
export function archiveName(version: string, platform: string): string;
export function bunTarget(platform: string): string;
export function parseOnly(arg: string | undefined): string[];
export function expectedEntries(version: string, platform: string): Entry[];
