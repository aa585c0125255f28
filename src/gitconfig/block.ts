// What configure adds to the global gitconfig, as one marked block per endpoint, and how
// unconfigure takes exactly that back out (pure text in, text out). Writing our own block
// lets unconfigure restore the file byte for byte, which `git config --unset` cannot: it
// leaves empty section headers, and cannot target one of several empty `helper =` lines.
//
// What a block is, exactly:
// - A marker line is a whole line (without its line end, LF or CRLF) that is exactly
//   `# >>> git-credential-artifacts <id> >>>` (a begin marker; it may end in " (newline added)")
//   or `# <<< git-credential-artifacts <id> <<<` (an end marker). Indented or trailing text
//   makes it an ordinary line; we never write markers that way.
// - A block is a begin marker whose next marker line is the end marker with the same id.
//   Everything between them is inside; blocks never nest or overlap. Any other marker line
//   (an end marker with no begin before it, a begin marker followed by another begin, a
//   copy the user pasted elsewhere) is an ordinary user line and is never touched.
// - Inside a block, only lines configure writes (isOurs: exact key, format and section) are
//   ours. Everything else (lines git or the user put there: git appends a new key to the
//   last section with that name, which may be ours) is kept, under its section header.
//
// Lines are split on LF only; a CR before the LF is part of the line end, so CRLF files
// match and round-trip byte for byte, and our lines are written with the file's line end.
import { ArtifactsError } from '../errors.js';
import { configValue } from './helper-command.js';
import { fileEol, joinLines, splitLines, type Line } from './lines.js';
import { credentialTool } from '../names.js';

export interface Entry {
  section: string; // e.g. credential "https://*.artifacts.cloudflare.net"
  key: string;
  value: string;
}

/** Whether a line inside a block (in section, the text between its header's brackets) is ours. */
export type IsOurs = (section: string, line: string) => boolean;

export const blockTag = credentialTool;
const addedNewline = ' (newline added)';
const begin = (id: string) => `# >>> ${blockTag} ${id} >>>`;
const end = (id: string) => `# <<< ${blockTag} ${id} <<<`;
const beginRe = new RegExp(`^# >>> ${blockTag} (.+?) >>>(${addedNewline.replace(/[()]/g, '\\$&')})?$`);
const endRe = new RegExp(`^# <<< ${blockTag} (.+?) <<<$`);

export function renderBlock(id: string, entries: readonly Entry[]): string[] {
  if (/[\r\n\0]/.test(id)) throw new ArtifactsError('internal', `block id ${JSON.stringify(id)} holds a line break`);
  const lines = [begin(id)];
  for (const group of groups(entries)) lines.push(`[${group.section}]`, ...group.lines);
  lines.push(end(id));
  return lines;
}

interface Group {
  section: string;
  lines: string[];
}

/** Consecutive entries of one section, rendered as `\tkey = value` lines. */
function groups(entries: readonly Entry[]): Group[] {
  const out: Group[] = [];
  for (const e of entries) {
    if (/[\r\n\0\]]/.test(e.section)) throw new ArtifactsError('internal', `section ${JSON.stringify(e.section)} cannot be written`);
    const line = e.value === '' ? `\t${e.key} =` : `\t${e.key} = ${configValue(e.value)}`;
    const last = out[out.length - 1];
    if (last?.section === e.section) last.lines.push(line);
    else out.push({ section: e.section, lines: [line] });
  }
  return out;
}

// ---- finding blocks -----------------------------------------------------------------------

interface Block {
  id: string;
  start: number; // index of the begin line
  end: number; // index of the end line
  newlineAdded: boolean;
}

function findBlocks(lines: readonly Line[]): Block[] {
  const blocks: Block[] = [];
  let open: { id: string; start: number; newlineAdded: boolean } | undefined;
  lines.forEach((line, i) => {
    const b = beginRe.exec(line.body);
    if (b) {
      // A begin marker right after another one: the earlier one was not a block.
      open = { id: b[1]!, start: i, newlineAdded: b[2] !== undefined };
      return;
    }
    const e = endRe.exec(line.body);
    if (!e) return;
    if (open && open.id === e[1]) blocks.push({ ...open, end: i });
    open = undefined;
  });
  return blocks;
}

/** The ids of the blocks in text, in file order, each once. */
export function blockIds(text: string): string[] {
  return [...new Set(findBlocks(splitLines(text)).map((b) => b.id))];
}

// ---- what is inside a block ---------------------------------------------------------------

interface Run {
  header: Line;
  /** The section name between the brackets; undefined when we cannot parse the header. */
  section: string | undefined;
  lines: { line: Line; ours: boolean }[];
}

// A header alone on its line: [section] or [section "subsection"] (git-config(1), "Syntax").
// Anything else that starts with `[` (a header followed by a comment or a key on the same
// line, say) still opens a section for git; we keep such a line and treat the section as
// unknown, so no line under it is ever taken for ours.
const headerRe = /^[ \t]*\[((?:[^\]"\\]|"(?:[^"\\]|\\.)*")*)\][ \t]*$/;

function parseInside(inner: readonly Line[], isOurs: IsOurs): { pre: Line[]; runs: Run[] } {
  const pre: Line[] = [];
  const runs: Run[] = [];
  for (const line of inner) {
    const h = headerRe.exec(line.body);
    if (h || /^[ \t]*\[/.test(line.body)) {
      runs.push({ header: line, section: h?.[1], lines: [] });
      continue;
    }
    const run = runs[runs.length - 1];
    // Lines before the first header belong to the section open before the block: not ours.
    if (!run) pre.push(line);
    else run.lines.push({ line, ours: run.section !== undefined && isOurs(run.section, line.body) });
  }
  return { pre, runs };
}

/** What is left of a run without our lines: its header stays if anything of the user's is under it, or it never had ours. */
function userPart(run: Run): Line[] {
  const user = run.lines.filter((l) => !l.ours).map((l) => l.line);
  const hadOurs = run.lines.some((l) => l.ours);
  return user.length > 0 || !hadOurs ? [run.header, ...user] : [];
}

/**
 * The new inside of a block: our sections in our order, with every user line kept in its
 * section and in its order. A run of one of our sections gets our new lines, with the user's
 * lines that stood before our first line still before them and the rest after (where git
 * appends); runs of other sections stay where they were relative to ours.
 */
function mergeInside(inner: readonly Line[], entries: readonly Entry[], isOurs: IsOurs, eol: Line['eol']): Line[] {
  const ours = groups(entries);
  const { pre, runs } = parseInside(inner, isOurs);
  const out: Line[] = [...pre];
  const emit = (g: Group) => out.push({ body: `[${g.section}]`, eol }, ...g.lines.map((body) => ({ body, eol })));
  let next = 0;
  for (const run of runs) {
    const j = ours.findIndex((g, k) => k >= next && g.section === run.section);
    if (j === -1) {
      out.push(...userPart(run));
      continue;
    }
    for (; next < j; next++) emit(ours[next]!);
    const firstOurs = run.lines.findIndex((l) => l.ours);
    const user = run.lines.map((l, k) => ({ ...l, before: k < firstOurs })).filter((l) => !l.ours);
    const g = ours[j]!;
    out.push({ body: `[${g.section}]`, eol });
    out.push(...user.filter((l) => l.before).map((l) => l.line));
    out.push(...g.lines.map((body) => ({ body, eol })));
    out.push(...user.filter((l) => !l.before).map((l) => l.line));
    next = j + 1;
  }
  for (; next < ours.length; next++) emit(ours[next]!);
  return out;
}

export type Change = 'added' | 'replaced' | 'unchanged' | 'removed' | 'absent';

/**
 * Adds the block for id, or rewrites the blocks `same` picks (blocks for the same hosts under
 * another id, e.g. before an --account was given) into one block with id, in place of the
 * first, keeping every line that is not ours. Appends at the end, as `git config --add` would.
 */
export function upsertBlock(
  text: string,
  id: string,
  entries: readonly Entry[],
  isOurs: IsOurs,
  same: (blockId: string) => boolean = (b) => b === id,
): { text: string; change: Change } {
  const rendered = renderBlock(id, entries);
  const eol = fileEol(text);
  const lines = splitLines(text);
  const found = findBlocks(lines).filter((b) => same(b.id));
  const first = found[0];
  if (!first) {
    let newlineAdded = false;
    const last = lines[lines.length - 1];
    if (last && last.eol === '') {
      // A file without a final newline: add one, and note it so unconfigure can take it back.
      // After a lone CR, LF alone would turn it into a CRLF line end; CRLF keeps the CR.
      last.eol = last.body.endsWith('\r') ? '\r\n' : eol;
      newlineAdded = true;
    }
    const [head, ...rest] = rendered;
    lines.push({ body: head + (newlineAdded ? addedNewline : ''), eol }, ...rest.map((body) => ({ body, eol })));
    return { text: joinLines(lines), change: 'added' };
  }
  const newlineAdded = found.some((b) => b.newlineAdded);
  // Later duplicates go first, so the indices of earlier blocks stay valid.
  for (const b of found.slice(1).reverse()) lines.splice(b.start, b.end - b.start + 1, ...removedInside(lines, b, isOurs));
  const inside = mergeInside(lines.slice(first.start + 1, first.end), entries, isOurs, eol);
  const block: Line[] = [
    { body: rendered[0]! + (newlineAdded ? addedNewline : ''), eol },
    ...inside,
    { body: rendered[rendered.length - 1]!, eol },
  ];
  lines.splice(first.start, first.end - first.start + 1, ...block);
  const out = joinLines(lines);
  return { text: out, change: out === text ? 'unchanged' : 'replaced' };
}

function removedInside(lines: readonly Line[], b: Block, isOurs: IsOurs): Line[] {
  const { pre, runs } = parseInside(lines.slice(b.start + 1, b.end), isOurs);
  return [...pre, ...runs.flatMap(userPart)];
}

/**
 * Removes the blocks `same` picks (by default: those with this id). Lines someone else put
 * inside (git appends a new key to the last section of that name, which may be ours) are
 * kept, under their section header.
 */
export function removeBlock(
  text: string,
  id: string,
  isOurs: IsOurs,
  same: (blockId: string) => boolean = (b) => b === id,
): { text: string; change: Change } {
  const lines = splitLines(text);
  const found = findBlocks(lines).filter((b) => same(b.id));
  if (found.length === 0) return { text, change: 'absent' };
  for (const b of found.reverse()) {
    const kept = removedInside(lines, b, isOurs);
    lines.splice(b.start, b.end - b.start + 1, ...kept);
    // Undo the newline we added before the block when the file had no final newline.
    if (b.newlineAdded && kept.length === 0 && b.start === lines.length && b.start > 0) lines[b.start - 1]!.eol = '';
  }
  return { text: joinLines(lines), change: 'removed' };
}
