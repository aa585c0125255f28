// Types for verify-archive.mjs.
import type { Entry } from './layout.mjs';
export function hostPlatform(): string;
export function compareListing(got: Entry[], want: Entry[]): string[];
export function checkArchive(file: string, o: { version: string; platform: string; root: string }): string[];
export function executableOf(file: string, version: string, platform: string): Buffer | undefined;
export function runExtracted(file: string, version: string, platform: string, args: string[]): string;
