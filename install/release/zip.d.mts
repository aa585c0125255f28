// Types for zip.mjs (the release scripts are plain Node; the tests are TypeScript).
export interface ZipEntry { name: string; data?: Buffer; mode: number }
export function crc32(buf: Uint8Array): number;
export function dosDateTime(date: Date): { date: number; time: number };
export function checkName(name: string, isDir: boolean): void;
export function writeZip(file: string, entries: ZipEntry[], mtime: Date): void;
