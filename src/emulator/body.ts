// Reading REST request bodies: bounded (413 past the limit), JSON objects only.
import type { IncomingMessage } from 'node:http';
import { codes, invalid, RestError } from './envelope.js';

export const maxBodyBytes = 64 * 1024;

/** The body as a JSON object; an empty body is `{}` so "missing field" errors stay precise. */
export async function readJsonObject(req: IncomingMessage, limit = maxBodyBytes): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit * 256) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit keep draining (up to a hard cap) so the client reads our 413 instead of a reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit * 256) throw tooLarge(limit);
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw tooLarge(limit);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function tooLarge(limit: number): RestError {
  return new RestError(413, codes.invalidInput, `request body exceeds ${limit} bytes`, { Connection: 'close' });
}

/** Typed field readers: each throws a 400 naming the field and what is valid. */
export function optionalString(body: Record<string, unknown>, field: string, max = 1024): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  if (value.length > max) throw invalid(`${field} must be at most ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value) && field !== 'description') throw invalid(`${field} must not contain control characters`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${field} must be true or false`);
  return value;
}
