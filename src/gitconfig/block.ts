// What configure adds to the global gitconfig, as one marked block per endpoint, and how
// unconfigure takes exactly that back out (pure text in, text out). Writing our own block
// lets unconfigure restore the file byte for byte, which `git config --unset` cannot: it
// leaves empty section headers, and cannot target one of several empty `helper =` lines.
import { configValue } from './helper-command.js';

export interface Entry {
  section: string; // e.g. credential "https://*.artifacts.cloudflare.net"
  key: string;
  value: string;
}

export const blockTag = 'git-credential-artifacts';
const begin = (id: string) => `# >>> ${blockTag} ${id} >>>`;
const end = (id: string) => `# <<< ${blockTag} ${id} <<<`;
const addedNewline = ' (newline added)';

export function renderBlock(id: string, entries: readonly Entry[]): string[] {
  const lines = [begin(id)];
  let section: string | undefined;
  for (const e of entries) {
    if (e.section !== section) lines.push(`[${e.section}]`);
    section = e.section;
    lines.push(e.value === '' ? `\t${e.key} =` : `\t${e.key} = ${configValue(e.value)}`);
  }
  lines.push(end(id));
  return lines;
}

interface Found {
  start: number; // index of the begin line
  end: number; // index of the end line
  newlineAdded: boolean;
}

function findBlock(lines: readonly string[], id: string): Found | undefined {
  const b = lines.findIndex((l) => l === begin(id) || l === begin(id) + addedNewline);
  if (b === -1) return undefined;
  const e = lines.indexOf(end(id), b);
  return e === -1 ? undefined : { start: b, end: e, newlineAdded: lines[b]!.endsWith(addedNewline) };
}

export function blockIds(text: string): string[] {
  const re = new RegExp(`^# >>> ${blockTag} (.+?) >>>(?:${addedNewline.replace(/[()]/g, '\\$&')})?$`);
  return text.split('\n').flatMap((l) => {
    const m = re.exec(l);
    return m ? [m[1]!] : [];
  });
}

export type Change = 'added' | 'replaced' | 'unchanged' | 'removed' | 'absent';

/** Adds or replaces the block for id. Appends at the end, as `git config --add` would. */
export function upsertBlock(text: string, id: string, entries: readonly Entry[]): { text: string; change: Change } {
  const block = renderBlock(id, entries);
  const lines = text.split('\n');
  const found = findBlock(lines, id);
  if (found) {
    if (found.newlineAdded) block[0] += addedNewline;
    const current = lines.slice(found.start, found.end + 1);
    if (current.join('\n') === block.join('\n')) return { text, change: 'unchanged' };
    lines.splice(found.start, found.end - found.start + 1, ...block);
    return { text: lines.join('\n'), change: 'replaced' };
  }
  if (text !== '' && !text.endsWith('\n')) {
    block[0] += addedNewline;
    return { text: `${text}\n${block.join('\n')}\n`, change: 'added' };
  }
  return { text: `${text}${block.join('\n')}\n`, change: 'added' };
}

/**
 * Removes the block for id. Lines someone else put inside it (git appends a new key to the
 * last section of that name, which may be ours) are kept, under their section header.
 */
export function removeBlock(
  text: string,
  id: string,
  isOurs: (section: string, line: string) => boolean,
): { text: string; change: Change } {
  const lines = text.split('\n');
  const found = findBlock(lines, id);
  if (!found) return { text, change: 'absent' };
  const inner = lines.slice(found.start + 1, found.end);
  const kept: string[] = [];
  let header: string | undefined;
  let section = '';
  for (const line of inner) {
    const m = /^\s*\[(.*)\]\s*$/.exec(line);
    if (m) {
      header = line;
      section = m[1]!;
      continue;
    }
    if (isOurs(section, line)) continue;
    if (header !== undefined) kept.push(header);
    header = undefined;
    kept.push(line);
  }
  lines.splice(found.start, found.end - found.start + 1, ...kept);
  let out = lines.join('\n');
  // Undo the newline we added before the block when the file had no final newline.
  if (found.newlineAdded && kept.length === 0 && found.start === lines.length - 1 && out.endsWith('\n')) {
    out = out.slice(0, -1);
  }
  return { text: out, change: 'removed' };
}
