import { describe, expect, it } from 'vitest';
import { maxAttempts, parseRetryAfter, retryDelay } from '../../../src/controlplane/retry.js';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('retryDelay', () => {
  it.each([
    ['network error', undefined, null, 1, 250],
    ['500', 500, null, 1, 250],
    ['503, third attempt', 503, null, 3, 1000],
    ['409 in progress', 409, null, 2, 500],
    ['429 with seconds', 429, '3', 1, 3000],
    ['429 with a date', 429, 'Thu, 01 Jan 2026 00:00:02 GMT', 1, 2000],
    ['429 without Retry-After', 429, null, 1, 500],
  ])('%s', (_name, status, retryAfter, attempt, expected) => {
    expect(retryDelay({ status, retryAfter }, attempt, now, 1)).toBe(expected);
  });
  it.each([400, 401, 403, 404, 413])('%s is final', (status) => expect(retryDelay({ status }, 1, now, 0.5)).toBeUndefined());
  it('stops after the last attempt', () => expect(retryDelay({ status: 503 }, maxAttempts, now, 0.5)).toBeUndefined());
  it('jitter stays within half to full backoff', () => {
    expect(retryDelay({ status: 503 }, 2, now, 0)).toBe(250);
    expect(retryDelay({ status: 503 }, 2, now, 0.999)).toBeLessThanOrEqual(500);
  });
  it('parseRetryAfter ignores garbage', () => expect(parseRetryAfter('soon', now)).toBeUndefined());
});
