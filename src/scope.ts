/** What a repo token may do: `read` for clone and fetch, `write` for push (docs/git-and-artifacts-behaviour.md, "Scopes"). */
export type Scope = 'read' | 'write';
