import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CommandGate, pumpCommands } from '../../../src/remote/relay.js';

function gate() {
  const decisions: [string | undefined, string][] = [];
  const g = new CommandGate((scope, command) => decisions.push([scope, command]));
  return { g, decisions };
}

describe('CommandGate', () => {
  it('forwards preamble lines as soon as they are complete, and holds partial lines', () => {
    const { g, decisions } = gate();
    expect(g.feed(Buffer.from('capabilities\n')).toString()).toBe('capabilities\n');
    expect(g.feed(Buffer.from('option progress tr')).toString()).toBe('');
    expect(g.feed(Buffer.from('ue\noption verb')).toString()).toBe('option progress true\n');
    expect(decisions).toEqual([]);
    expect(g.feed(Buffer.from('osity 1\n')).toString()).toBe('option verbosity 1\n');
  });

  it('decides before releasing the first real command, once', () => {
    const order: string[] = [];
    const g = new CommandGate((scope) => order.push(`decide ${scope}`));
    const out = g.feed(Buffer.from('capabilities\nlist for-push\n'));
    order.push(`forward ${JSON.stringify(out.toString())}`);
    g.feed(Buffer.from('push refs/heads/main:refs/heads/main\n\n'));
    expect(order).toEqual(['decide write', 'forward "capabilities\\nlist for-push\\n"']);
  });

  it('passes bytes through untouched after the decision (binary pkt-lines)', () => {
    const { g, decisions } = gate();
    g.feed(Buffer.from('stateless-connect git-upload-pack\n'));
    const binary = Buffer.from([0x30, 0x30, 0x30, 0x30, 0x00, 0xff, 0x0a, 0x0d, 0x0a]);
    expect(g.feed(binary)).toBe(binary);
    expect(decisions).toEqual([['read', 'stateless-connect git-upload-pack']]);
  });

  it('forwards whatever followed the decisive line in the same chunk', () => {
    const { g } = gate();
    const chunk = Buffer.from('list for-push\npush a:b\n\n');
    expect(g.feed(chunk).toString()).toBe('list for-push\npush a:b\n\n');
  });

  it('an unknown first command decides undefined (the helper then defaults to read)', () => {
    const { g, decisions } = gate();
    g.feed(Buffer.from('capabilities\nfrobnicate\n'));
    expect(decisions).toEqual([[undefined, 'frobnicate']]);
  });

  it('gives up waiting for an end of line after 64 KiB', () => {
    const { g, decisions } = gate();
    const big = Buffer.alloc(70 * 1024, 0x61);
    expect(g.feed(big).length).toBe(big.length);
    expect(decisions).toEqual([[undefined, '(overlong line)']]);
  });

  it('flush returns an unterminated last line', () => {
    const { g } = gate();
    g.feed(Buffer.from('capabilities\nlis'));
    expect(g.flush().toString()).toBe('lis');
  });
});

describe('pumpCommands', () => {
  it('copies input to output through the gate and ends output at end of input', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const { g, decisions } = gate();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => output.on('end', r));
    pumpCommands(input, output, g, () => {});
    input.write('capabilities\n');
    input.write('option progress false\nstateless-connect git-upload-pack\n0014command=ls-refs\n0000');
    input.end('tail');
    await ended;
    expect(Buffer.concat(chunks).toString()).toBe('capabilities\noption progress false\nstateless-connect git-upload-pack\n0014command=ls-refs\n0000tail');
    expect(decisions).toEqual([['read', 'stateless-connect git-upload-pack']]);
  });

  it('forwards nothing more and reports when the decision cannot be recorded', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const g = new CommandGate(() => {
      throw new Error('disk full');
    });
    const failed = new Promise<unknown>((resolve) => pumpCommands(input, output, g, resolve));
    input.write('capabilities\n');
    input.write('list for-push\n');
    expect(String(await failed)).toMatch(/disk full/);
    expect(Buffer.concat(chunks).toString()).toBe('capabilities\n');
  });
});

describe('CommandGate next', () => {
  it('runs once, on the first chunk after the deciding one, never before', () => {
    const order: string[] = [];
    const g = new CommandGate(
      (scope) => order.push(`decide ${scope}`),
      () => order.push('next'),
    );
    g.feed(Buffer.from('capabilities\n'));
    g.feed(Buffer.from('list for-push\n'));
    expect(order).toEqual(['decide write']);
    g.feed(Buffer.from('push refs/heads/main:refs/heads/main\n'));
    g.feed(Buffer.from('\n'));
    expect(order).toEqual(['decide write', 'next']);
  });
});
