// The processes the bench starts and times: the CLI as a user runs it, and the peer (Transformers.js,
// installed apart in tools/peer). Runs in the bench's (CLI) process.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appRoot } from '../shared/paths.js';
import { round } from './models.js';

export const PEER_DIR = path.join(appRoot, 'tools', 'peer');

export async function peerVersion(): Promise<string | null> {
  const pkg = await fs.readFile(path.join(PEER_DIR, 'node_modules', '@huggingface', 'transformers', 'package.json'), 'utf8').catch(() => null);
  return pkg ? `@huggingface/transformers ${(JSON.parse(pkg) as { version: string }).version}` : null;
}

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

/** Median of the runs. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Cold starts of two programs, interleaved A B B A ... after one unmeasured start each (caches,
 * score constants, files in the OS cache), so that a drift of the machine weighs on both alike.
 */
export async function interleavedStarts(a: () => Promise<number>, b: () => Promise<number>, runs: number): Promise<{ a: number[]; b: number[] }> {
  await a();
  await b();
  const times = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const k of order) times[k].push(round(await (k === 'a' ? a : b)(), 3));
  }
  return times;
}

/** Transformers.js's cold start for one image: `node tools/peer/peer.mjs embed-image PACK IMAGE`. */
export function timePeerEmbed(packDir: string, image: string): Promise<number> {
  return timeNode([path.join(PEER_DIR, 'peer.mjs'), 'embed-image', packDir, image]);
}
