import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { round } from './models.js';
import { cliHome, interleavedStarts, median, peerVersion, timeCli, timePeerEmbed } from './processes.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';
import { benchRegistry } from './registry.js';

/** Process start to exit of one CLI command, seconds (median of the runs). */
export interface StartupRow {
  id: string;
  /** `--help`, `embed --image`, `embed --text`. */
  command: string;
  runs: number[];
  median: number;
  /** `embed --image` only, when tools/peer is installed: Transformers.js's starts, interleaved with ours. */
  peer?: { runs: number[]; median: number };
}

export interface StartupBench {
  cli: string;
  /** The peer timed beside `embed --image`, or null when tools/peer is not installed. */
  peer: string | null;
  rows: StartupRow[];
  errors: Array<{ id: string; error: string }>;
}

/**
 * Cold start: a new process per run, from spawn to the first vector printed, for an image
 * (`embed --image`: the vision tower only) and a text (`embed --text`: the text tower only), per
 * pack. The packs are linked into a temporary LOOKALIKE_HOME so the CLI finds the real-size ones;
 * each pack is embedded once before timing so the score constants are cached as they would be
 * after the first use (the OS file cache is warm: this is the second start of the day, not the first).
 * With tools/peer installed, Transformers.js embeds the same image from the same pack folder in
 * turn with each `embed --image` run.
 */
export async function runStartupBench(ctx: BenchContext): Promise<StartupBench> {
  const registry = benchRegistry(ctx);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-startup-'));
  const rows: StartupRow[] = [];
  const errors: StartupBench['errors'] = [];
  const runs = ctx.quick ? 1 : 5;
  try {
    const { models } = await registry.list();
    const wanted = models.filter((m) => m.status === 'ok' && (ctx.modelIds.length ? ctx.modelIds.includes(m.id) : m.demo || m.source === 'extra'));
    const home = await cliHome(wanted, tmp);
    const image = path.join(tmp, 'photo.jpg');
    await sharp({ create: { width: 1024, height: 768, channels: 3, background: { r: 180, g: 60, b: 40 } } }).jpeg({ quality: 85 }).toFile(image);
    const env = { ...process.env, LOOKALIKE_HOME: home, ...(ctx.config.engine.provider ? { LOOKALIKE_PROVIDER: ctx.config.engine.provider } : {}) };
    const peer = await peerVersion();
    const commands: Array<{ id: string; command: string; args: string[]; packDir?: string }> = [{ id: '-', command: '--help', args: ['--help'] }];
    for (const m of wanted) {
      commands.push({ id: m.id, command: 'embed --image', args: ['embed', '--model', m.id, '--image', image], packDir: m.path });
      commands.push({ id: m.id, command: 'embed --text', args: ['embed', '--model', m.id, '--text', 'red striped ceramic mug'] });
    }
    for (const c of commands) {
      ctx.signal.throwIfAborted();
      try {
        const ours = () => timeCli(c.args, env);
        if (peer && c.packDir) {
          const { a, b } = await interleavedStarts(ours, () => timePeerEmbed(c.packDir!, image), runs);
          rows.push({ id: c.id, command: c.command, runs: a, median: median(a), peer: { runs: b, median: median(b) } });
          ctx.log(`bench startup: ${c.id} ${c.command}: ${median(a)} s (Transformers.js ${median(b)} s)`);
          continue;
        }
        await ours(); // first start: caches, score constants
        const times: number[] = [];
        for (let r = 0; r < runs; r++) times.push(round(await ours(), 3));
        rows.push({ id: c.id, command: c.command, runs: times, median: median(times) });
        ctx.log(`bench startup: ${c.id} ${c.command}: ${median(times)} s`);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        errors.push({ id: `${c.id} ${c.command}`, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { cli: 'node bin/lookalike.js (the bundle in dist/cli when current, else tsx)', peer, rows, errors };
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
    const runs = (xs: number[]) => xs.map((t) => t.toFixed(2)).join(' ');
    const rows = [
      ['pack', 'command', 'median s', 'runs', 'Transformers.js median s', 'runs'],
      ...r.rows.map((x) => [x.id, x.command, x.median.toFixed(3), runs(x.runs), x.peer?.median.toFixed(3) ?? '', x.peer ? runs(x.peer.runs) : '']),
    ];
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    const peer = r.peer ? `; beside embed --image: ${r.peer} (tools/peer), interleaved` : '; Transformers.js not installed in tools/peer';
    return [`process start to exit (first vector printed); ${r.cli}${peer}`, formatTable(rows), ...(errs.length ? ['failed:', ...errs] : [])].join('\n');
  },
};
