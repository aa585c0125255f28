/** What a repo token may do: `read` for clone and fetch, `write` for push (artifacts-api.md, tokens). */
export type Scope = 'read' | 'write';
