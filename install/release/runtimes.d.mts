// Types for runtimes.mjs (the release scripts are plain Node; the tests are TypeScript).
export interface Pin { name: string; version: string; integrity: string }
export const TARGETS: Record<string, { bun: string; exe: string; keyring: string }>;
export function cacheRoot(): string;
export function lockedPin(lock: unknown, name: string): Pin;
export function checkIntegrity(pin: Pin, bytes: Uint8Array): void;
export function fetchPinned(pin: Pin, cache?: string): string;
export function targetParts(root: string, target: string): Promise<{ bun: string; keyringNode: string }>;
