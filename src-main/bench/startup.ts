import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { appRoot } from '../shared/paths.js';
import { round } from './models.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';
import { benchRegistry } from './registry.js';

/** Process start to exit of one CLI command, seconds (median of the runs). */
export interface StartupRow {
  id: string;
  /** `--help`, `embed --image`, `embed --text`. */
  command: string;
  runs: number[];
  median: number;
}

export interface StartupBench {
  cli: string;
  rows: StartupRow[];
  errors: Array<{ id: string; error: string }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall seconds from spawning `node ARGS` to its exit (an error with its last stderr line if it fails). */
export async function timeNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? '')} ${args.slice(1).join(' ')} exited ${code}: ${stderr.trim().split('\n').pop()}`))));
  });
  return (performance.now() - t0) / 1000;
}

/** Runs the CLI as a user would (`node bin/lookalike.js ...`) and returns wall seconds from spawn to exit. */
export function timeCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return timeNode([path.join(appRoot, 'bin', 'lookalike.js'), ...args], env);
}

/**
 * A LOOKALIKE_HOME under `dir` whose models folder links to the given packs, so that a CLI
 * process finds packs kept elsewhere (real-size packs in --models-dir); bundled ones it finds anyway.
 */
export async function cliHome(packs: Array<{ id: string; path: string; source: string }>, dir: string): Promise<string> {
  const home = path.join(dir, 'home');
  await fs.mkdir(path.join(home, 'models'), { recursive: true });
  for (const m of packs) if (m.source !== 'bundled') await fs.symlink(m.path, path.join(home, 'models', m.id));
  return home;
}

/**
 * Cold start: a new process per run, from spawn to the first vector printed, for an image
 * (`embed --image`: the vision tower only) and a text (`embed --text`: the text tower only), per
 * pack. The packs are linked into a temporary LOOKALIKE_HOME so the CLI finds the real-size ones;
 * each pack is embedded once before timing so the score constants are cached as they would be
 * after the first use (the OS file cache is warm: this is the second start of the day, not the first).
 */
export async function runStartupBench(ctx: BenchContext): Promise<StartupBench> {
  const registry = benchRegistry(ctx);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-startup-'));
  const rows: StartupRow[] = [];
  const errors: StartupBench['errors'] = [];
  const runs = ctx.quick ? 1 : 3;
  try {
    const { models } = await registry.list();
    const wanted = models.filter((m) => m.status === 'ok' && (ctx.modelIds.length ? ctx.modelIds.includes(m.id) : m.demo || m.source === 'extra'));
    const home = await cliHome(wanted, tmp);
    const image = path.join(tmp, 'photo.jpg');
    await sharp({ create: { width: 1024, height: 768, channels: 3, background: { r: 180, g: 60, b: 40 } } }).jpeg({ quality: 85 }).toFile(image);
    const env = { ...process.env, LOOKALIKE_HOME: home, ...(ctx.config.engine.provider ? { LOOKALIKE_PROVIDER: ctx.config.engine.provider } : {}) };
    const commands: Array<{ id: string; command: string; args: string[] }> = [{ id: '-', command: '--help', args: ['--help'] }];
    for (const m of wanted) {
      commands.push({ id: m.id, command: 'embed --image', args: ['embed', '--model', m.id, '--image', image] });
      commands.push({ id: m.id, command: 'embed --text', args: ['embed', '--model', m.id, '--text', 'red striped ceramic mug'] });
    }
    for (const c of commands) {
      ctx.signal.throwIfAborted();
      try {
        await timeCli(c.args, env); // first start: caches, score constants
        const times: number[] = [];
        for (let r = 0; r < runs; r++) times.push(round(await timeCli(c.args, env), 3));
        rows.push({ id: c.id, command: c.command, runs: times, median: median(times) });
        ctx.log(`bench startup: ${c.id} ${c.command}: ${median(times)} s`);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        errors.push({ id: `${c.id} ${c.command}`, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { cli: 'node bin/lookalike.js (compiled JavaScript when current, else tsx)', rows, errors };
  } finally {
    await registry.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export const startupSection: BenchSection = {
  name: 'startup',
  run: runStartupBench,
  table(result) {
    const r = result as StartupBench;
    const rows = [['pack', 'command', 'median s', 'runs'], ...r.rows.map((x) => [x.id, x.command, x.median.toFixed(3), x.runs.map((t) => t.toFixed(2)).join(' ')])];
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    return [`process start to exit (first vector printed); ${r.cli}`, formatTable(rows), ...(errs.length ? ['failed:', ...errs] : [])].join('\n');
  },
};
