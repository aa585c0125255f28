// The captured output of a child of src/child-process.ts's run(), bounded in size so a
// command printing without end cannot fill our memory. Part of child-process.ts, which alone
// imports it.

/** What run() does when a stream passes its bound. */
export interface OverflowHandlers {
  /** `truncate` keeps the first `max` bytes and drops the rest; anything else fails. */
  overflow: 'fail' | 'truncate' | undefined;
  /** Truncating: called once, when the bound is reached. */
  onTruncated: () => void;
  /** Failing: called for every chunk past the bound. */
  onTooMuch: () => void;
}

/** Collects `stream`'s chunks up to `max` bytes; the returned function gives them joined. */
export function captureOutput(stream: NodeJS.ReadableStream | null, max: number, h: OverflowHandlers): () => Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  let full = false;
  stream?.on('data', (chunk: Buffer) => {
    if (full) return;
    if (size + chunk.length <= max) {
      chunks.push(chunk);
      size += chunk.length;
    } else if (h.overflow === 'truncate') {
      chunks.push(chunk.subarray(0, max - size));
      size = max;
      full = true;
      h.onTruncated();
    } else {
      h.onTooMuch();
    }
  });
  return () => Buffer.concat(chunks);
}
