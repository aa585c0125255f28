// The emulator's persistent store: namespaces, repos and tokens as one JSON document under
// --data, rewritten atomically (temp file, fsync, rename; 0600 in a 0700 dir) after every
// change. Bare repos live beside it in git/<repo id>.git, named by id so names never reach paths.
// The clock is injected (plus a test-settable offset) so expiry can be tested.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from './atomic.js';

export type Scope = 'read' | 'write';
export type Jurisdiction = 'unrestricted' | 'eu' | 'us' | 'fedramp';

export interface NamespaceRecord {
  name: string;
  jurisdiction: Jurisdiction;
  created_at: string;
  updated_at: string;
}

export interface RepoRecord {
  id: string;
  namespace: string;
  name: string;
  description: string;
  default_branch: string;
  created_at: string;
  updated_at: string;
  last_push_at: string | null;
  source: string | null;
  read_only: boolean;
  /**
   * `importing` answers 409 10302 and `forking` 409 10303 until done; `failed` keeps the import's
   * error. Reported as the repo's `status` (wrangler's `creating | ready | importing | forking`,
   * plus `failed`: docs/emulator-api.md).
   */
  status: 'ready' | 'importing' | 'forking' | 'failed';
  failure?: { code: number; message: string };
}

export interface TokenRecord {
  id: string;
  repo_id: string;
  namespace: string;
  repo: string;
  scope: Scope;
  /** sha256 of the secret; the plaintext is never stored. */
  secret_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

interface Document {
  version: 1;
  namespaces: NamespaceRecord[];
  repos: RepoRecord[];
  tokens: TokenRecord[];
}

export type TokenState = 'active' | 'expired' | 'revoked';

export class EmulatorState {
  private namespaces = new Map<string, NamespaceRecord>();
  private repos = new Map<string, RepoRecord>(); // key: ns/name
  private tokens = new Map<string, TokenRecord>(); // key: id
  private byHash = new Map<string, TokenRecord>();
  private clockOffsetMs = 0;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    private readonly clock: () => number,
  ) {}

  static async open(dataDir: string, clock: () => number): Promise<EmulatorState> {
    const store = new EmulatorState(dataDir, clock);
    await mkdir(path.join(dataDir, 'git'), { recursive: true, mode: 0o700 });
    await mkdir(path.join(dataDir, 'tmp'), { recursive: true, mode: 0o700 });
    await chmod(dataDir, 0o700);
    let text: string | undefined;
    try {
      text = await readFile(store.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== undefined) {
      const doc = JSON.parse(text) as Document;
      for (const ns of doc.namespaces) store.namespaces.set(ns.name, ns);
      for (const repo of doc.repos) {
        // An import or fork cut short by a restart can't resume: mark it failed.
        if (repo.status === 'importing' || repo.status === 'forking') Object.assign(repo, { status: 'failed', failure: interrupted });
        store.repos.set(key(repo.namespace, repo.name), repo);
      }
      for (const t of doc.tokens) store.indexToken(t);
    }
    return store;
  }

  get file(): string {
    return path.join(this.dataDir, 'state.json');
  }
  get gitRoot(): string {
    return path.join(this.dataDir, 'git');
  }
  get tmpDir(): string {
    return path.join(this.dataDir, 'tmp');
  }
  repoDir(repo: Pick<RepoRecord, 'id'>): string {
    return path.join(this.gitRoot, `${repo.id}.git`);
  }

  now(): number {
    return this.clock() + this.clockOffsetMs;
  }
  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }
  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
  }

  namespace(name: string): NamespaceRecord | undefined {
    return this.namespaces.get(name);
  }
  allNamespaces(): NamespaceRecord[] {
    return [...this.namespaces.values()];
  }
  addNamespace(name: string, jurisdiction: Jurisdiction): NamespaceRecord {
    const at = this.iso();
    const record = { name, jurisdiction, created_at: at, updated_at: at };
    this.namespaces.set(name, record);
    return record;
  }
  /** Forgets a namespace (the caller checked that it holds no repos). */
  removeNamespace(name: string): void {
    this.namespaces.delete(name);
  }
  repoCount(ns: string): number {
    return this.reposIn(ns).length;
  }

  repo(ns: string, name: string): RepoRecord | undefined {
    return this.repos.get(key(ns, name));
  }
  repoById(id: string): RepoRecord | undefined {
    for (const r of this.repos.values()) if (r.id === id) return r;
    return undefined;
  }
  reposIn(ns: string): RepoRecord[] {
    return [...this.repos.values()].filter((r) => r.namespace === ns);
  }
  /**
   * Adds a repo, creating its namespace implicitly (docs/git-and-artifacts-behaviour.md,
   * "REST routes").
   */
  addRepo(fields: Omit<RepoRecord, 'created_at' | 'updated_at' | 'last_push_at'>): RepoRecord {
    if (!this.namespaces.has(fields.namespace)) this.addNamespace(fields.namespace, 'unrestricted');
    const at = this.iso();
    const repo: RepoRecord = { created_at: at, updated_at: at, last_push_at: null, ...fields };
    this.repos.set(key(repo.namespace, repo.name), repo);
    return repo;
  }
  /** Removes a repo and every token of it. */
  removeRepo(repo: RepoRecord): void {
    this.repos.delete(key(repo.namespace, repo.name));
    for (const t of [...this.tokens.values()]) {
      if (t.repo_id === repo.id) {
        this.tokens.delete(t.id);
        this.byHash.delete(t.secret_hash);
      }
    }
  }

  addToken(t: TokenRecord): void {
    this.indexToken(t);
  }
  tokenById(id: string): TokenRecord | undefined {
    return this.tokens.get(id);
  }
  tokenByHash(hash: string): TokenRecord | undefined {
    return this.byHash.get(hash);
  }
  tokensOf(repo: RepoRecord): TokenRecord[] {
    return [...this.tokens.values()].filter((t) => t.repo_id === repo.id);
  }
  tokenState(t: TokenRecord): TokenState {
    if (t.revoked_at !== null) return 'revoked';
    return Date.parse(t.expires_at) <= this.now() ? 'expired' : 'active';
  }

  /** Persists the current document; writes are serialised and each one is atomic. */
  save(): Promise<void> {
    const doc: Document = {
      version: 1,
      namespaces: [...this.namespaces.values()],
      repos: [...this.repos.values()],
      tokens: [...this.tokens.values()],
    };
    const text = JSON.stringify(doc, null, 1);
    this.saving = this.saving.catch(() => undefined).then(() => writeAtomic(this.file, text));
    return this.saving;
  }

  private indexToken(t: TokenRecord): void {
    this.tokens.set(t.id, t);
    this.byHash.set(t.secret_hash, t);
  }
}

export function newRepoId(): string {
  return randomBytes(16).toString('hex');
}

const interrupted = { code: 10401, message: 'interrupted by an emulator restart' };

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}
