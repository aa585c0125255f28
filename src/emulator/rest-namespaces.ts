// Namespace routes (docs/git-and-artifacts-behaviour.md, "REST routes"); namespaces also appear
// implicitly with their first repo (EmulatorState.addRepo).
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, invalid, notFound, RestError } from './envelope.js';
import { namespaceError } from './validation.js';
import { listPage, listPaging } from './pagination.js';
import type { Jurisdiction, NamespaceRecord } from './state.js';

const jurisdictions: readonly Jurisdiction[] = ['unrestricted', 'eu', 'us', 'fedramp'];

function view(emu: EmulatorContext, ns: NamespaceRecord): object {
  return { namespace: ns.name, jurisdiction: ns.jurisdiction, repo_count: emu.store.repoCount(ns.name), created_at: ns.created_at, updated_at: ns.updated_at };
}

/** POST /namespaces {namespace, jurisdiction?} */
export async function createNamespace(ctx: RouteContext): Promise<Reply> {
  const { emu, body } = ctx;
  if (body.namespace === undefined || body.namespace === null) throw invalid('namespace is required');
  if (typeof body.namespace !== 'string') throw invalid('namespace must be a string');
  const problem = namespaceError(body.namespace);
  if (problem) throw invalid(problem);
  const jurisdiction = body.jurisdiction ?? 'unrestricted';
  if (!jurisdictions.includes(jurisdiction as Jurisdiction)) throw invalid(`jurisdiction must be one of: ${jurisdictions.join(', ')}`);
  if (emu.store.namespace(body.namespace)) throw new RestError(409, codes.alreadyExists, `namespace ${body.namespace} already exists`);
  const ns = emu.store.addNamespace(body.namespace, jurisdiction as Jurisdiction);
  await emu.store.save();
  return { status: 201, result: view(emu, ns) };
}

/** GET /namespaces?limit=&cursor= (default 100, max 200), or ?page=&per_page=; oldest first. */
export async function listNamespaces(ctx: RouteContext): Promise<Reply> {
  const paging = listPaging(ctx.query, 100, 200);
  const all = ctx.emu.store.allNamespaces().sort((a, b) => (a.created_at === b.created_at ? (a.name < b.name ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
  const { page, info } = listPage(all, paging);
  return { status: 200, result: page.map((ns) => view(ctx.emu, ns)), resultInfo: info };
}

/** GET /namespaces/:ns */
export async function getNamespace(ctx: RouteContext): Promise<Reply> {
  const ns = ctx.emu.store.namespace(ctx.ns);
  if (!ns) throw notFound(`namespace ${ctx.ns} not found`);
  return { status: 200, result: view(ctx.emu, ns) };
}

/**
 * DELETE /namespaces/:ns: 204 with no body, for an empty namespace only; 409 while it holds a
 * repo (in any state) or one is being created in it. No error code is documented for this; it
 * answers 10100 INVALID_INPUT (docs/emulator-api.md).
 */
export async function deleteNamespace(ctx: RouteContext): Promise<Reply> {
  const { emu } = ctx;
  if (!emu.store.namespace(ctx.ns)) throw notFound(`namespace ${ctx.ns} not found`);
  const busy = [...emu.busy].some((key) => key.startsWith(`${ctx.ns}/`));
  const count = emu.store.repoCount(ctx.ns);
  if (count > 0 || busy) {
    throw new RestError(409, codes.invalidInput, `namespace ${ctx.ns} is not empty (${count} repos); delete its repos first`);
  }
  emu.store.removeNamespace(ctx.ns);
  await emu.store.save();
  return { status: 204, result: null };
}
