// Types for archive.mjs.
import type { Entry } from './layout.mjs';
export interface Sources { root: string; exe: string; keyring: string }
export function sourceOf(entry: Entry, sources: Sources): string;
export function commitTime(root: string): number;
export function writeArchive(o: { version: string; platform: string; sources: Sources; out: string; work: string; mtime: number }): void;
