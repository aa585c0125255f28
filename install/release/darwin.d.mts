// Types for darwin.mjs.
export interface Verdict { ok: boolean; problems: string[]; [k: string]: unknown }
export interface Signer { signAdHoc(buf: Buffer, identifier: string): Buffer; verifyAdHoc(buf: Buffer): Verdict }
export const IDENTIFIER: string;
export function machoSign(): Promise<Signer>;
export function checkSigned(sign: Signer, buf: Buffer, what: string): Verdict;
export function signDarwin(file: string): Promise<Verdict>;
