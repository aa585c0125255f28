// TEST AIDS ONLY (not part of Cloudflare's API): /__emulator/ routes, API token required.
//   GET|POST|DELETE /__emulator/faults   read / add (FaultSettings) / clear faults
//   GET|DELETE      /__emulator/log      read / clear the request log
//   GET             /__emulator/log/settled  the log once no request is in flight (each is
//                   logged when its handler is done, after the client has its answer) and every
//                   background import has finished: tests wait on this, not on the clock; 503 if
//                   requests are still running after 30 s
//   POST            /__emulator/clock    {offsetMs}: shift the server clock
//   DELETE          /__emulator/tokens/:id  revoke a token by id, whatever its namespace
//   POST            /__emulator/release  {latch?}: let go of what waits at a latch (a route fault's
//                   `hold`, holdImports, holdForks; latches are named route, `import`, `fork`), or at all
//   GET             /__emulator/held/:latch  answers once something waits at the latch; 503 after 30 s
//   GET             /__emulator/content-reads  the content routes' slots: {max, peak, inFlight, queued}
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject } from './body.js';
import type { EmulatorContext } from './context.js';
import { codes, failure, invalid, notFound, RestError, send, success } from './envelope.js';
import { apiTokenMatches } from './bearer.js';
import { pathSegments } from './request-path.js';

async function route(emu: EmulatorContext, req: IncomingMessage, segments: string[]): Promise<unknown> {
  const method = req.method ?? 'GET';
  const [, what, id, ...more] = segments;
  const key = `${method} ${what ?? ''}${id === undefined ? '' : '/:id'}`;
  if (more.length > 0) throw notFound('no such test-aid route');
  switch (key) {
    case 'GET faults':
      return emu.faults.snapshot();
    case 'POST faults':
      emu.faults.apply(await readJsonObject(req));
      return emu.faults.snapshot();
    case 'DELETE faults':
      emu.faults.clear();
      return emu.faults.snapshot();
    case 'GET log':
      return emu.log.all();
    case 'GET log/:id':
      if (id !== 'settled') throw notFound('no such test-aid route');
      return settledLog(emu);
    case 'DELETE log':
      emu.log.clear();
      return [];
    case 'POST clock':
      return shiftClock(emu, await readJsonObject(req));
    case 'DELETE tokens/:id':
      return revokeAnyToken(emu, id ?? '');
    case 'POST release':
      return releaseLatch(emu, await readJsonObject(req));
    case 'GET held/:id':
      if (!(await emu.faults.latches.whenHeld(id ?? '', 1, 30_000))) throw new RestError(503, codes.internal, `nothing held at ${id} after 30 s`);
      return { latch: id, held: emu.faults.latches.count(id ?? '') };
    case 'GET content-reads': {
      const { max, peak, inFlight, queued } = emu.contentReads;
      return { max, peak, inFlight, queued };
    }
    default:
      throw notFound(`no test-aid route ${method} ${segments.join('/')}`);
  }
}

async function settledLog(emu: EmulatorContext): Promise<unknown> {
  while (emu.jobs.size > 0) await Promise.allSettled([...emu.jobs]);
  if (!(await emu.log.settled(30_000))) throw new RestError(503, codes.internal, 'requests still in flight after 30 s');
  return emu.log.all();
}

function shiftClock(emu: EmulatorContext, body: Record<string, unknown>): unknown {
  const offset = body.offsetMs;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw invalid('offsetMs must be an integer');
  emu.store.setClockOffset(offset);
  return { offsetMs: offset, now: emu.store.iso() };
}

function releaseLatch(emu: EmulatorContext, body: Record<string, unknown>): unknown {
  const latch = body.latch;
  if (latch !== undefined && typeof latch !== 'string') throw invalid('latch must be a string: a route, import or fork');
  return { released: emu.faults.latches.release(latch) };
}

async function revokeAnyToken(emu: EmulatorContext, id: string): Promise<unknown> {
  const token = emu.store.tokenById(id);
  if (!token) throw notFound(`token ${id} not found`);
  if (token.revoked_at === null) token.revoked_at = emu.store.iso();
  await emu.store.save();
  return { id: token.id };
}

/** Handles every request under /__emulator/. Never throws. */
export async function handleTestAid(emu: EmulatorContext, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
  try {
    if (!apiTokenMatches(req.headers.authorization, emu.apiToken)) {
      throw new RestError(401, codes.authentication, 'Authentication error: the test-aid routes need the API token');
    }
    send(res, 200, success(await route(emu, req, pathSegments(rawPath))));
  } catch (e) {
    const error = e instanceof RestError ? e : new RestError(500, codes.internal, String(e));
    send(res, error.status, failure(error), error.headers);
  }
}
