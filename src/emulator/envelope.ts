// The Cloudflare API v4 envelope (docs/git-and-artifacts-behaviour.md, "Envelope and
// pagination") and the one error type REST handlers throw. Every REST answer, success or
// failure, goes through send().
import type { ServerResponse } from 'node:http';

export interface ApiError {
  code: number;
  message: string;
}

export interface CursorInfo {
  cursor: string;
  per_page: number;
  count: number;
}

export interface OffsetInfo {
  page: number;
  per_page: number;
  total_pages: number;
  count: number;
  total_count: number;
}

export interface Envelope {
  success: boolean;
  errors: ApiError[];
  messages: ApiError[];
  result: unknown;
  result_info?: CursorInfo | OffsetInfo;
}

/**
 * Documented codes (docs/git-and-artifacts-behaviour.md, "Error codes"), plus 10000 for a
 * missing/invalid API token (Cloudflare's own).
 */
export const codes = {
  authentication: 10000,
  invalidInput: 10100,
  invalidRepoName: 10101,
  invalidTtl: 10103,
  invalidUrl: 10104,
  notFound: 10200,
  alreadyExists: 10201,
  importInProgress: 10302,
  forkInProgress: 10303,
  internal: 10400,
  upstreamUnavailable: 10401,
} as const;

/** A REST failure: HTTP status, a documented code and a message that says what is valid. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string): RestError => new RestError(400, codes.invalidInput, message);
export const notFound = (message: string): RestError => new RestError(404, codes.notFound, message);

export function success(result: unknown, resultInfo?: CursorInfo | OffsetInfo): Envelope {
  return { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) };
}

export function failure(error: RestError): Envelope {
  return { success: false, errors: [{ code: error.code, message: error.message }], messages: [], result: null };
}

export function send(res: ServerResponse, status: number, body: Envelope, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** A success answered with raw bytes (the blob, file and raw routes); `headers` name the type. */
export function sendBytes(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    'Content-Type': 'application/octet-stream',
    ...headers,
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: RestError): void {
  send(res, error.status, failure(error), error.headers);
}

/** 204 No Content (namespace delete): no body, so no Content-Type or Content-Length either (RFC 9110 §15.3.5). */
export function sendNoContent(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(204, { 'Cache-Control': 'no-store' });
  res.end();
}
