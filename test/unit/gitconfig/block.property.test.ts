// Properties of configure's block editor over arbitrary config text: LF and CRLF, with and
// without a final newline, with lines that look like our markers (a copy of a begin marker,
// an end marker with no begin, markers of other endpoints, indented or with trailing text).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockIds, removeBlock, upsertBlock, type Entry } from '../../../src/gitconfig/block.js';
import { blockId, isOurLine, planEntries, sameHosts } from '../../../src/gitconfig/plan.js';
import { cloudflareEndpoint, customEndpoint, type Endpoint } from '../../../src/endpoint/endpoint.js';

const acct1 = '0123456789abcdef0123456789abcdef';
const acct2 = 'fedcba9876543210fedcba9876543210';
const cf = cloudflareEndpoint();
const emu = customEndpoint('http://127.0.0.1:8787', 'http://127.0.0.1:8787/client/v4', 'local');

interface Setup {
  endpoint: Endpoint;
  account: string | undefined;
  id: string;
  entries: Entry[];
}

function setup(endpoint: Endpoint, account: string | undefined, self: string[], settingArgs: string[] = []): Setup {
  return { endpoint, account, id: blockId(endpoint, account), entries: planEntries({ endpoint, account, self, settingArgs }) };
}

const setups: Setup[] = [
  setup(cf, undefined, ['/usr/bin/node', '/opt/a/git-credential-artifacts.cjs']),
  setup(cf, acct1, ['/usr/bin/node', "/opt/it's \"here\"\\/git-credential-artifacts.cjs"]),
  setup(cf, acct2, ['/new/git-credential-artifacts'], ['--read-ttl', '60']),
  setup(emu, 'local', ['/usr/bin/node', '/opt/a/git-credential-artifacts.cjs']),
];
const cfSetups = setups.filter((s) => s.endpoint.kind === 'cloudflare');

const configure = (text: string, s: Setup) => upsertBlock(text, s.id, s.entries, isOurLine, sameHosts(s.endpoint));
const unconfigure = (text: string, s: Setup) => removeBlock(text, s.id, isOurLine);

const markerIds = ['https://*.artifacts.cloudflare.net', `https://*.artifacts.cloudflare.net account ${acct1}`, 'http://127.0.0.1:8787', 'http://other:1'];
const markerLike = markerIds.flatMap((id) => [
  `# >>> git-credential-artifacts ${id} >>>`,
  `# >>> git-credential-artifacts ${id} >>> (newline added)`,
  `# <<< git-credential-artifacts ${id} <<<`,
  `  # >>> git-credential-artifacts ${id} >>>`,
  `# <<< git-credential-artifacts ${id} <<< trailing`,
  `# >>> git-credential-artifacts ${id} >>>\r`,
]);
const configLike = [
  '',
  '[user]',
  '\tname = Me',
  '[credential]',
  '\thelper = store',
  '[credential "https://*.artifacts.cloudflare.net"]',
  '\thelper =',
  '\tuseHttpPath = true',
  '[http "https://*.artifacts.cloudflare.net"]',
  '\tproactiveAuth = basic',
  '[artifacts]',
  '\taccount = x',
  '[alias] co = checkout',
  '; a comment',
  '\r',
];

const lineArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...markerLike) },
  { weight: 3, arbitrary: fc.constantFrom(...configLike) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).map((s) => s.replace(/\n/g, '')) },
);

/** Config text: lines, each ending LF or CRLF, the last one maybe without a line end. */
const textArb = fc
  .tuple(fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n')), { maxLength: 14 }), fc.boolean())
  .map(([lines, finalNewline]) => {
    const text = lines.map(([l, eol]) => l + eol).join('');
    return finalNewline || lines.length === 0 ? text : text.slice(0, -lines[lines.length - 1]![1].length);
  });

const setupArb = fc.constantFrom(...setups);
const runs = { numRuns: 800 };

/** Texts with no block for these hosts yet (a block is a begin marker followed by its end). */
const hasBlockFor = (text: string, s: Setup) => blockIds(text).some(sameHosts(s.endpoint));

describe('configure / unconfigure properties', () => {
  it('unconfigure(configure(x)) == x, byte for byte', () => {
    fc.assert(
      fc.property(textArb, setupArb, (x, s) => {
        fc.pre(!hasBlockFor(x, s));
        const configured = configure(x, s);
        expect(configured.change).toBe('added');
        expect(blockIds(configured.text)).toContain(s.id);
        expect(unconfigure(configured.text, s).text).toBe(x);
      }),
      runs,
    );
  });

  it('configure is idempotent, whatever the file already holds', () => {
    fc.assert(
      fc.property(textArb, setupArb, (x, s) => {
        const once = configure(x, s);
        const twice = configure(once.text, s);
        expect(twice).toEqual({ text: once.text, change: 'unchanged' });
        // One block for these hosts, whatever was there before.
        expect(blockIds(once.text).filter(sameHosts(s.endpoint))).toEqual([s.id]);
      }),
      runs,
    );
  });

  it('our lines get the line end most of the file uses', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...configLike.filter((l) => !l.includes('\r'))), { minLength: 1 }), setupArb, (lines, s) => {
        const crlf = lines.map((l) => `${l}\r\n`).join('');
        const out = configure(crlf, s).text;
        expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
        expect(unconfigure(out, s).text).toBe(crlf);
      }),
      runs,
    );
  });

  const userLineArb = fc.constantFrom(
    '\tusername = me',
    '\thelper = store',
    '\tfoo = bar',
    '# a note',
    '',
    '[alias]',
    '[credential]',
    '\t[odd header',
    'key=value',
    '\tuseHttpPath = false',
  );

  it('lines the user adds inside our block survive a re-configure and an unconfigure, in their sections', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.constantFrom(...cfSetups),
        fc.constantFrom(...cfSetups),
        fc.array(fc.tuple(userLineArb, fc.nat(), fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 6 }),
        (x, a, b, added) => {
          fc.pre(!hasBlockFor(x, a));
          const lines = splitKeep(configure(x, a).text);
          const start = lines.findIndex((l) => l.startsWith(`# >>> git-credential-artifacts ${a.id} >>>`));
          let end = lines.findIndex((l, i) => i > start && l.startsWith(`# <<< git-credential-artifacts ${a.id} <<<`));
          // Each added content line is made unique, so we can find it again.
          const isAdded = lines.map(() => false);
          added.forEach(([line, at, eol], n) => {
            const unique = line.startsWith('[') ? line : `${line}${line === '' ? '' : ' '}#${n}`;
            const pos = start + 1 + (at % (end - start));
            lines.splice(pos, 0, unique + eol);
            isAdded.splice(pos, 0, true);
            end++;
          });
          const edited = lines.join('');
          const mine = bodies(edited).filter((_, i) => isAdded[i]); // in file order
          const before = sections(edited, mine);
          const again = configure(edited, b).text;
          expect(configure(again, b).change).toBe('unchanged');
          const removed = unconfigure(again, b).text;
          for (const text of [again, removed]) {
            expect(subsequence(bodies(text), mine)).toBe(true);
            expect(sections(text, mine)).toEqual(before);
          }
          expect(blockIds(removed).filter(sameHosts(b.endpoint))).toEqual([]);
        },
      ),
      runs,
    );
  });
});

function splitKeep(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function bodies(text: string): string[] {
  return splitKeep(text).map((l) => l.replace(/\r?\n$/, ''));
}

function subsequence(all: readonly string[], wanted: readonly string[]): boolean {
  let i = 0;
  for (const l of all) if (l === wanted[i]) i++;
  return i === wanted.length;
}

/** For each wanted content line, the header git reads it under (the last line opening a section). */
function sections(text: string, wanted: readonly string[]): (string | undefined)[] {
  let header: string | undefined;
  const at = new Map<string, string | undefined>();
  for (const l of bodies(text)) {
    if (/^[ \t]*\[/.test(l)) header = l.trim();
    else if (wanted.includes(l)) at.set(l, header);
  }
  return wanted.filter((w) => !w.startsWith('[')).map((w) => at.get(w));
}
