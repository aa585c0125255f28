// What the attack suites share: who "someone else" is, a FIFO unblocker, and a lying control plane.
import { closeSync, constants, openSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const isRoot = process.getuid?.() === 0;
/** Another local user: files "planted by someone else" are chowned to it (needs root). */
export const nobody = 65534;

/**
 * Unblocks any process stuck opening a FIFO for writing (so a failed test leaves no hung
 * helper): a writer blocked in open(2) returns once a reader has opened, even if it has closed
 * again by the time the writer runs (Linux fifo_open waits for the reader count to change).
 */
export async function drainFifo(fifo: string): Promise<void> {
  closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
}

/** A fake control plane on loopback that answers every request with `answer`. */
export async function fakeApi(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; stop(): void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

export const envelope = (result: unknown) => JSON.stringify({ success: true, errors: [], messages: [], result });
