// Types for binfmt.mjs.
export function platformOf(buf: Buffer): string;
