// Types for sums.mjs.
export interface SumRow { name: string; sha256: string }
export function sha256File(file: string): Promise<string>;
export function formatSums(rows: SumRow[]): string;
export function parseSums(text: string): SumRow[];
