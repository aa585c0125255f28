// Types for zip-read.mjs.
export interface ReadEntry { name: string; mode: number; isDir: boolean; data: Buffer }
export function readZip(buf: Buffer): ReadEntry[];
