import { describe, expect, it } from 'vitest';
import { numberOption, stringList } from '../../src-main/cli/command.js';
import { formatProgress, progressPrinter } from '../../src-main/cli/progress.js';
import { cli } from '../helpers/cli.js';

describe('lookalike CLI', () => {
  it('lists the subcommands in --help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['serve']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('exits 2 with a one-line message on an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('exits 2 with no arguments and prints the help', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage: lookalike <command>/);
  });

  it('exits 2 on an unknown option, naming it', async () => {
    const r = await cli(['serve', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bogus/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
  });

  it('exits 2 on a malformed number', async () => {
    const r = await cli(['serve', '--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port expects an integer >= 0 and <= 65535, got "70000"/);
  });

  it('finds the command after a global --db option', async () => {
    const r = await cli(['--db', '/tmp/x.db', 'serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: lookalike serve/);
  });

  it('prints the version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('option helpers', () => {
  it('parses numbers within bounds', () => {
    expect(numberOption({ k: '5' }, 'k', { min: 1, integer: true })).toBe(5);
    expect(numberOption({}, 'k')).toBeUndefined();
    expect(() => numberOption({ k: '' }, 'k')).toThrow(/--k/);
    expect(() => numberOption({ k: '1.5' }, 'k', { integer: true })).toThrow(/integer/);
    expect(() => numberOption({ w: '2' }, 'w', { max: 1 })).toThrow(/<= 1/);
  });

  it('collects repeated string options', () => {
    expect(stringList({ model: ['a', 'b'] }, 'model')).toEqual(['a', 'b']);
    expect(stringList({ model: 'a' }, 'model')).toEqual(['a']);
    expect(stringList({}, 'model')).toEqual([]);
  });

  it('prints a log line every 2 s, but the first report of each phase and the end of a count at once', () => {
    const lines: string[] = [];
    let now = 10_000;
    const printer = progressPrinter({ write: (s: string) => (lines.push(s.trim()), true) }, () => now);
    printer.update({ phase: 'sampling', done: 0 });
    now += 50;
    printer.update({ phase: 'measuring', done: 0, total: 2, message: 'fp32' });
    now += 50;
    printer.update({ phase: 'measuring', done: 1, total: 3, message: 'quantized' }); // same phase, 50 ms later: skipped
    now += 50;
    printer.update({ phase: 'measuring', done: 3, total: 3 }); // finished: shown
    now += 2_500;
    printer.update({ phase: 'measuring', done: 3, total: 4 }); // 2.5 s later: shown
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['sampling 0', 'measuring [------------------------]', 'measuring [########################]', 'measuring [##################------]']);
  });

  it('formats progress with rate and ETA', () => {
    const line = formatProgress({ phase: 'indexing', done: 5, total: 10, failed: 1, ratePerSecond: 2.5, etaSeconds: 2.1 });
    expect(line).toContain('5/10');
    expect(line).toContain('failed 1');
    expect(line).toContain('2.5/s');
    expect(line).toContain('ETA 3s');
  });
});
