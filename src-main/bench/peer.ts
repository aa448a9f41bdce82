import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import sharp from 'sharp';
import { OnnxEmbedder } from '../engine/embedder.js';
import { FAMILIES } from '../engine/families.js';
import { SMALL_TOWER_BYTES, defaultThreads } from '../engine/providers.js';
import { decodeToRgb, imageSpec } from '../engine/preprocess.js';
import { appRoot } from '../shared/paths.js';
import { underLoad } from './load.js';
import { benchImages, benchTexts, rate, round } from './models.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';
import { PEER_DIR, cliHome, interleavedStarts, median, peerVersion, timeCli, timePeerEmbed } from './processes.js';
import { benchRegistry } from './registry.js';

/**
 * `lookalike bench --only peer`: Lookalike against Transformers.js (the JavaScript library a
 * developer would pick instead) on the same pack folders and images: fidelity to the PIL-style
 * reference, speed with equal threads and at each one's defaults, idle and under a competing CPU
 * job, and cold start. Transformers.js runs in its own process from tools/peer (installed apart:
 * `npm install --prefix tools/peer`), never a dependency of the app.
 */
export interface PeerSpeedRow {
  pack: string;
  what: 'images' | 'texts';
  batch: number;
  /** "equal": both at Lookalike's default thread count; "defaults": each library's own default. */
  threads: 'equal' | 'defaults';
  load: 'idle' | 'loaded';
  lookalike: number;
  peer: number;
  /** lookalike / peer (> 1: Lookalike faster). */
  ratio: number;
}

export interface PeerFidelityRow {
  pack: string;
  /** What is compared with the reference. */
  check: string;
  lookalike: number;
  peer: number;
}

export interface PeerBench {
  peer: string;
  threads: { lookalikeDefault: number; equal: number };
  secondsPerFigure: number;
  fidelity: PeerFidelityRow[];
  speed: PeerSpeedRow[];
  coldStart: Array<{ pack: string; lookalike: number; peer: number; ratio: number }>;
  errors: Array<{ id: string; error: string }>;
}

/** The Transformers.js process: JSON commands in, one JSON answer per line out. */
class PeerProcess {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcess) {
    this.lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  static start(): PeerProcess {
    return new PeerProcess(spawn(process.execPath, [path.join(PEER_DIR, 'peer.mjs'), 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  async call<T>(msg: Record<string, unknown>): Promise<T> {
    this.child.stdin!.write(`${JSON.stringify(msg)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error('the Transformers.js process ended');
    const reply = JSON.parse(value) as T & { error?: string };
    if (reply.error) throw new Error(`Transformers.js: ${reply.error}`);
    return reply;
  }

  async close(): Promise<void> {
    await this.call({ cmd: 'close' }).catch(() => undefined);
    this.child.kill();
  }
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const cosStats = (xs: Array<ArrayLike<number>>, refs: Array<ArrayLike<number>>) => {
  const c = xs.map((v, i) => dot(v, refs[i]!) / Math.sqrt(dot(v, v) * dot(refs[i]!, refs[i]!)));
  return Math.min(...c);
};

interface Fixture {
  images: Array<{ path: string; embedding_normalized: number[] }>;
  texts: Array<{ text: string; embedding_normalized: number[] }>;
}

async function fidelity(id: string, e: OnnxEmbedder, peer: PeerProcess): Promise<PeerFidelityRow[]> {
  const rows: PeerFidelityRow[] = [];
  const fixture = await fs.readFile(path.join(appRoot, 'test', 'fixtures', 'parity', `${id}.json`), 'utf8').catch(() => null);
  if (fixture) {
    // Against the PyTorch + PIL reference (tools/demo-models/export.py): images (crops, RGBA, ...) and texts.
    const fx = JSON.parse(fixture) as Fixture;
    const files = fx.images.map((i) => path.join(appRoot, i.path));
    const ours = await e.embedImages(await Promise.all(files.map((f) => fs.readFile(f))));
    const theirs = (await peer.call<{ vectors: number[][] }>({ cmd: 'embedImages', files, batch: 8 })).vectors;
    const refs = fx.images.map((i) => i.embedding_normalized);
    rows.push({ pack: id, check: `image vectors vs PyTorch reference, min cosine (${files.length} images)`, lookalike: cosStats(ours, refs), peer: cosStats(theirs, refs) });
    const texts = fx.texts.map((t) => t.text);
    const oursT = await e.embedTexts(texts);
    const theirsT = (await peer.call<{ vectors: number[][] }>({ cmd: 'embedTexts', texts })).vectors;
    const refsT = fx.texts.map((t) => t.embedding_normalized);
    rows.push({ pack: id, check: `text vectors vs PyTorch reference, min cosine (${texts.length} texts)`, lookalike: cosStats(oursT, refsT), peer: cosStats(theirsT, refsT) });
  }
  // A profile-less CMYK JPEG against Pillow's conversion (test/fixtures/cmyk, tools/cmyk-fixtures.py).
  const cmyk = path.join(appRoot, 'test', 'fixtures', 'cmyk', 'photo-cmyk.jpg');
  const pil = path.join(appRoot, 'test', 'fixtures', 'cmyk', 'photo-cmyk.pil.png');
  const [ourVec, ourRef] = await e.embedImages([await fs.readFile(cmyk), await fs.readFile(pil)]);
  const [peerVec, peerRef] = (await peer.call<{ vectors: number[][] }>({ cmd: 'embedImages', files: [cmyk, pil], batch: 2 })).vectors;
  rows.push({ pack: id, check: 'CMYK JPEG vs its Pillow conversion, cosine', lookalike: dot(ourVec!, ourRef!), peer: dot(peerVec!, peerRef!) });
  return rows;
}

/** Decoded pixels of the CMYK fixture against Pillow's, mean absolute difference in levels (pack-independent). */
async function cmykPixels(peer: PeerProcess): Promise<PeerFidelityRow> {
  const cmyk = path.join(appRoot, 'test', 'fixtures', 'cmyk', 'photo-cmyk.jpg');
  const ref = await sharp(path.join(appRoot, 'test', 'fixtures', 'cmyk', 'photo-cmyk.pil.png')).removeAlpha().raw().toBuffer();
  const ours = await decodeToRgb(await fs.readFile(cmyk), imageSpec({ size: { height: 192, width: 256 } }, FAMILIES.siglip));
  const theirs = Buffer.from((await peer.call<{ data: string }>({ cmd: 'pixels', file: cmyk })).data, 'base64');
  const mad = (a: Uint8Array) => (a.length === ref.length ? a.reduce((s, x, i) => s + Math.abs(x - ref[i]!), 0) / a.length : Number.NaN);
  return { pack: '-', check: 'CMYK JPEG pixels vs Pillow, mean |difference| (levels)', lookalike: mad(ours), peer: mad(theirs) };
}

export async function runPeerBench(ctx: BenchContext): Promise<PeerBench> {
  const version = await peerVersion();
  if (!version) throw new Error(`Transformers.js is not installed for the peer bench: run "npm install --prefix tools/peer" (it stays out of the app's dependencies)`);
  const registry = benchRegistry(ctx);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-peer-'));
  const seconds = ctx.quick ? 1 : 3;
  const equal = defaultThreads();
  const result: PeerBench = { peer: version, threads: { lookalikeDefault: defaultThreads(), equal }, secondsPerFigure: seconds, fidelity: [], speed: [], coldStart: [], errors: [] };
  try {
    const { models } = await registry.list();
    const packs = models.filter((m) => m.status === 'ok' && m.variants.includes('fp32') && (ctx.modelIds.length ? ctx.modelIds.includes(m.id) : m.demo || m.source === 'extra'));
    const { files } = await benchImages(8, tmp);
    const texts = benchTexts(8);
    const home = await cliHome(packs, tmp);
    let pixelsDone = false;
    for (const m of packs) {
      ctx.signal.throwIfAborted();
      const pack = await registry.resolve(m.id);
      try {
        // Fidelity with the defaults of each.
        let peer = PeerProcess.start();
        let e = await OnnxEmbedder.load(pack, { variant: 'fp32', provider: ctx.config.engine.provider, log: ctx.log });
        try {
          await peer.call({ cmd: 'load', dir: pack.dir, threads: null });
          if (!pixelsDone) {
            result.fidelity.push(await cmykPixels(peer));
            pixelsDone = true;
          }
          result.fidelity.push(...(await fidelity(m.id, e, peer)));
        } finally {
          await e.close();
          await peer.close();
        }
        // Speed: files to vectors (read, decode, preprocess, model) and texts, interleaved A B B A.
        for (const threads of ['equal', 'defaults'] as const) {
          peer = PeerProcess.start();
          e = await OnnxEmbedder.load(pack, { variant: 'fp32', provider: ctx.config.engine.provider, log: ctx.log, ...(threads === 'equal' ? { threads: equal } : {}) });
          try {
            await peer.call({ cmd: 'load', dir: pack.dir, threads: threads === 'equal' ? equal : null, warm: true });
            await e.ready();
            const measure = async (load: 'idle' | 'loaded') => {
              for (const what of ['images', 'texts'] as const) {
                for (const batch of [1, 8]) {
                  ctx.signal.throwIfAborted();
                  const ours = () =>
                    what === 'images'
                      ? rate(async () => e.embedImages(await Promise.all(files.slice(0, batch).map((f) => fs.readFile(f))), { batchSize: batch }), batch, seconds)
                      : rate(() => e.embedTexts(texts.slice(0, batch)), batch, seconds);
                  const theirs = async () =>
                    (await peer.call<{ perSecond: number }>(what === 'images' ? { cmd: 'rateImages', files, batch, seconds } : { cmd: 'rateTexts', texts, batch, seconds })).perSecond;
                  await ours(); // warm-up of this batch size on both sides
                  await theirs();
                  const a1 = await ours();
                  const b1 = await theirs();
                  const b2 = await theirs();
                  const a2 = await ours();
                  const lookalike = round((a1 + a2) / 2, 2);
                  const peerRate = round((b1 + b2) / 2, 2);
                  result.speed.push({ pack: m.id, what, batch, threads, load, lookalike, peer: peerRate, ratio: round(lookalike / peerRate, 2) });
                  ctx.log(`bench peer: ${m.id} ${what}@${batch} ${threads} ${load}: ${lookalike} vs ${peerRate}/s`);
                }
              }
            };
            await measure('idle');
            await underLoad(() => measure('loaded'), { maxSeconds: 600 });
          } finally {
            await e.close();
            await peer.close();
          }
        }
        // Cold start: process start to the first image vector printed, interleaved.
        const image = files[0]!;
        const env = { ...process.env, LOOKALIKE_HOME: home, ...(ctx.config.engine.provider ? { LOOKALIKE_PROVIDER: ctx.config.engine.provider } : {}) };
        const t = await interleavedStarts(() => timeCli(['embed', '--model', m.id, '--image', image], env), () => timePeerEmbed(pack.dir, image), ctx.quick ? 2 : 4);
        const lookalike = median(t.a);
        const peerSeconds = median(t.b);
        result.coldStart.push({ pack: m.id, lookalike, peer: peerSeconds, ratio: round(peerSeconds / lookalike, 2) });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        result.errors.push({ id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return result;
  } finally {
    await registry.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export const peerSection: BenchSection = {
  name: 'peer',
  run: runPeerBench,
  table(result) {
    const r = result as PeerBench;
    const f = (x: number) => (Math.abs(x) < 10 ? x.toFixed(6) : x.toFixed(1));
    const fid = formatTable([['pack', 'fidelity check', 'Lookalike', 'Transformers.js'], ...r.fidelity.map((x) => [x.pack, x.check, f(x.lookalike), f(x.peer)])]);
    const speed = formatTable([
      ['pack', 'what', 'batch', 'threads', 'load', 'Lookalike/s', 'Transformers.js/s', 'ratio'],
      ...r.speed.map((x) => [x.pack, x.what, String(x.batch), x.threads, x.load, x.lookalike.toFixed(1), x.peer.toFixed(1), x.ratio.toFixed(2)]),
    ]);
    const cold = formatTable([['pack', 'Lookalike s', 'Transformers.js s', 'peer/Lookalike'], ...r.coldStart.map((x) => [x.pack, x.lookalike.toFixed(2), x.peer.toFixed(2), x.ratio.toFixed(2)])]);
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    return [
      `peer: ${r.peer}; equal threads = both allowed ${r.threads.equal} (Lookalike's default; it runs towers under ${SMALL_TOWER_BYTES / 1024 / 1024} MB on one); ${r.secondsPerFigure} s per figure, A B B A`,
      fid,
      speed,
      'cold start (process start to first image vector):',
      cold,
      ...(errs.length ? ['not benchmarked:', ...errs] : []),
    ].join('\n');
  },
};
