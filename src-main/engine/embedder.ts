import fs from 'node:fs/promises';
import path from 'node:path';
import { ort } from './ort.js';
import { type PackInfo, PackError, packRevision } from './pack.js';
import { DecodePool } from './decode-pool.js';
import { type DecodeLimits, DEFAULT_DECODE_LIMITS, ImagePreprocessor, imageSpec } from './preprocess.js';
import { embeddingOutput, embeddingRows } from './pooling.js';
import { type ProviderReport, type SessionSettings, createSession, sessionSettings, towerThreads } from './providers.js';
import { type ScoringCache, type ScoringSource, resolveScoring } from './scoring.js';
import { TextEncoder } from './text.js';
import type { FamilyName } from '../shared/families.js';
import type { Pooling } from './families.js';
import type { Embedder, Scoring } from './types.js';
import { type Variant, pickVariant, towerFile } from './variants.js';

export interface EmbedderOptions {
  /** Weight variant ("fp32", "quantized", ...); default: the best installed for CPU. */
  variant?: string;
  /** Forced provider or order ("cpu", "webgpu,cpu"; config LOOKALIKE_PROVIDER); default: the platform order. */
  provider?: string;
  /** Intra-op threads per session (config LOOKALIKE_THREADS); default one per physical core. */
  threads?: number;
  /** Let idle intra-op threads spin (ORT's default; config LOOKALIKE_SPIN=1); default off. */
  spinning?: boolean;
  /**
   * Decode and preprocess on a worker thread when a call has more than one batch, so the next
   * batch is ready when the model finishes one (default on; config LOOKALIKE_DECODE_WORKER=0 turns it off).
   */
  decodeWorker?: boolean;
  /** Images per model run (default 8). */
  batchSize?: number;
  /** Texts per model run (default 32). */
  textBatchSize?: number;
  /** Batches decoded while the model runs one (the bounded queue between sharp and ORT; default 1, min 1). */
  prefetch?: number;
  decode?: Partial<DecodeLimits>;
  scoringCache?: ScoringCache | null;
  log?: (line: string) => void;
  /** Called when a tower turns out to be unusable (bad file, wrong inputs): the registry lists the pack as broken. */
  onBroken?: (err: PackError) => void;
}

export type TowerName = 'vision' | 'text';

/** Runs one session call at a time: ORT already uses all intra-op threads for one run. */
class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.tail.then(() => {
      signal?.throwIfAborted();
      return fn();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Tower {
  session: ort.InferenceSession;
  output: string;
  pooling: Pooling;
  report: ProviderReport;
  queue: RunQueue;
  /** Intra-op threads this tower's session was created with. */
  threads: number;
}

/** Bytes of a tower's weights: the graph file and, for graphs over 2 GB, its `<file>_data` external weights. */
async function towerBytes(file: string): Promise<number> {
  const sizes = await Promise.all([file, `${file}_data`].map((f) => fs.stat(f).then((st) => st.size, () => 0)));
  return sizes[0]! + sizes[1]!;
}

function outputDim(session: ort.InferenceSession, output: string): number | undefined {
  const meta = session.outputMetadata.find((m) => m.name === output);
  const last = meta && 'shape' in meta ? meta.shape[meta.shape.length - 1] : undefined;
  return typeof last === 'number' && last > 0 ? last : undefined;
}

/** The graph input each tower is fed. */
const TOWER_INPUT: Record<TowerName, string> = { vision: 'pixel_values', text: 'input_ids' };

/**
 * A model pack ready to embed. Each tower (ONNX session) is created on first use on the best
 * working execution provider, then kept: an image search never loads the text tower, a text
 * search never the vision tower, and `lookalike embed --image` reads only the vision weights.
 */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly family: FamilyName;
  private readonly towers: Partial<Record<TowerName, Promise<Tower>>> = {};
  private readonly loaded: Partial<Record<TowerName, Tower>> = {};
  private closed = false;
  private pool: DecodePool | null = null;

  private constructor(
    readonly pack: PackInfo,
    readonly variant: Variant,
    readonly revision: string,
    readonly dim: number,
    readonly scoring: Scoring,
    readonly scoringSource: ScoringSource,
    readonly preprocessor: ImagePreprocessor,
    readonly text: TextEncoder,
    readonly batchSize: number,
    readonly textBatchSize: number,
    readonly prefetch: number,
    private readonly settings: SessionSettings,
    private readonly onBroken?: (err: PackError) => void,
    private readonly decodeWorker = true,
  ) {
    this.id = pack.id;
    this.family = pack.family;
  }

  /**
   * The provider running this pack: that of the first tower loaded; before any tower is loaded,
   * the forced provider if exactly one was forced, else "not loaded".
   */
  get provider(): string {
    const report = this.loaded.vision?.report ?? this.loaded.text?.report;
    if (report) return report.active;
    return this.settings.order.length === 1 ? this.settings.order[0]! : 'not loaded';
  }

  /** Provider reports of the loaded towers (they can differ when a provider rejects one graph); null for a tower not loaded yet. */
  get providers(): { vision: ProviderReport | null; text: ProviderReport | null } {
    return { vision: this.loaded.vision?.report ?? null, text: this.loaded.text?.report ?? null };
  }

  /** Whether a decode worker thread has been started (by a call with more than one batch). */
  get decodesOnWorker(): boolean {
    return this.pool !== null;
  }

  /** Towers whose sessions exist in this process. */
  get loadedTowers(): TowerName[] {
    return (['vision', 'text'] as const).filter((t) => this.loaded[t]);
  }

  /** Creates the named towers' sessions now (both when none is named) instead of on first use. */
  async ready(...names: TowerName[]): Promise<void> {
    await Promise.all((names.length ? names : (['vision', 'text'] as const)).map((t) => this.tower(t)));
  }

  private tower(name: TowerName): Promise<Tower> {
    let loading = this.towers[name];
    if (!loading) {
      if (this.closed) return Promise.reject(new Error(`model pack "${this.id}" is closed`));
      const file = towerFile(name, this.variant);
      loading = OnnxEmbedder.openTower(this.pack, file, this.pack.traits.pooling[name], TOWER_INPUT[name], this.settings, this.dim).then(async (t) => {
        if (this.closed) {
          await t.session.release();
          throw new Error(`model pack "${this.id}" was closed while ${file} loaded`);
        }
        this.loaded[name] = t;
        return t;
      });
      this.towers[name] = loading;
      loading.catch((err: unknown) => {
        // A bad file stays bad: keep the failure. Anything else (a provider) may pass: try again next call.
        if (err instanceof PackError) this.onBroken?.(err);
        else delete this.towers[name];
      });
    }
    return loading;
  }

  static async load(pack: PackInfo, options: EmbedderOptions = {}): Promise<OnnxEmbedder> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const settings: SessionSettings = sessionSettings({ provider: options.provider, threads: options.threads, spinning: options.spinning });
    const variant = pickVariant(pack.variants, options.variant);
    let spec;
    try {
      spec = imageSpec(pack.preprocessor, pack.traits);
    } catch (err) {
      throw new PackError('preprocessor_config.json', `model pack "${pack.id}": ${err instanceof Error ? err.message : err}`);
    }
    // Both only read files: overlapped, a start waits for the disk once.
    const [text, revision] = await Promise.all([TextEncoder.fromPack(pack.dir, pack.traits, pack.config), packRevision(pack, variant)]);
    const { scoring, source } = await resolveScoring(pack, revision, text, spec, options.scoringCache ?? null, log);
    return new OnnxEmbedder(
      pack,
      variant,
      revision,
      pack.dim,
      scoring,
      source,
      new ImagePreprocessor(spec, { ...DEFAULT_DECODE_LIMITS, ...options.decode }),
      text,
      Math.max(1, options.batchSize ?? 8),
      Math.max(1, options.textBatchSize ?? 32),
      Math.max(1, options.prefetch ?? 1),
      settings,
      options.onBroken,
      options.decodeWorker ?? true,
    );
  }

  private static async openTower(pack: PackInfo, file: string, pooling: Pooling, mainInput: string, settings: SessionSettings, dim: number): Promise<Tower> {
    let created;
    const modelPath = path.join(pack.dir, file);
    const threads = towerThreads(settings.intraOpThreads, await towerBytes(modelPath));
    try {
      created = await createSession(modelPath, { ...settings, intraOpThreads: threads });
    } catch (err) {
      throw new PackError(file, `model pack "${pack.id}": ${err instanceof Error ? err.message : err}`);
    }
    const { session, report } = created;
    const known = new Set(['pixel_values', 'input_ids', 'attention_mask']);
    const unknown = session.inputNames.filter((n) => !known.has(n));
    if (!session.inputNames.includes(mainInput) || unknown.length > 0) {
      await session.release();
      throw new PackError(file, `${file} takes inputs [${session.inputNames.join(', ')}]; expected ${mainInput}${unknown.length ? ` (cannot provide ${unknown.join(', ')})` : ''}`);
    }
    let output: string;
    try {
      output = embeddingOutput(session.outputNames, pooling, file);
      const outDim = outputDim(session, output);
      if (outDim !== undefined && outDim !== dim) throw new PackError(file, `${file} outputs vectors of ${outDim} values; config.json says ${dim}`);
    } catch (err) {
      await session.release();
      throw err;
    }
    return { session, output, pooling, report, queue: new RunQueue(), threads };
  }

  /** The most intra-op threads a tower may use (small towers use one, see towerThreads). */
  get threads(): number {
    return this.settings.intraOpThreads;
  }

  /** Intra-op threads of each loaded tower; null for a tower not loaded yet. */
  get towerThreads(): { vision: number | null; text: number | null } {
    return { vision: this.loaded.vision?.threads ?? null, text: this.loaded.text?.threads ?? null };
  }

  /** Model only: a ready [n,3,H,W] tensor to normalised vectors (the bench's model-only figure uses this). */
  async embedPixels(pixels: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array[]> {
    const { height, width } = this.preprocessor.spec;
    const { session, output, pooling, queue } = await this.tower('vision');
    const result = await queue.run(() => session.run({ pixel_values: new ort.Tensor('float32', pixels, [n, 3, height, width]) }, [output]), signal);
    return embeddingRows(result[output] as ort.TypedTensor<'float32'>, n, this.dim, pooling);
  }

  /**
   * Decodes batch i+1 (sharp, libuv pool) while the model runs batch i (ORT, its own threads); at
   * most `prefetch` decoded batches wait, so memory stays bounded on big imports.
   */
  async embedImages(images: Uint8Array[], options: { signal?: AbortSignal; batchSize?: number } = {}): Promise<Float32Array[]> {
    const { signal } = options;
    const batchSize = Math.max(1, options.batchSize ?? this.batchSize);
    signal?.throwIfAborted();
    // On first use the session is created while the first batch decodes.
    this.tower('vision').catch(() => undefined);
    const starts: number[] = [];
    for (let i = 0; i < images.length; i += batchSize) starts.push(i);
    // One batch: nothing to overlap, decode right here (no worker start-up on a single embed).
    const pool = starts.length > 1 && this.decodeWorker && !this.closed ? (this.pool ??= new DecodePool(this.preprocessor.spec, this.preprocessor.limits)) : null;
    const prepare = (k: number) => {
      const start = starts[k]!;
      const slice = images.slice(start, start + batchSize);
      const p = pool ? pool.batch(slice, start) : this.preprocessor.batch(slice, start);
      p.catch(() => undefined); // awaited below; avoids an unhandled rejection if we stop early
      return p;
    };
    const pending: Promise<Float32Array>[] = [];
    let next = 0;
    const out: Float32Array[] = [];
    const fill = () => {
      while (next < starts.length && pending.length < this.prefetch) pending.push(prepare(next++));
    };
    fill();
    for (let k = 0; k < starts.length; k++) {
      const pixels = await pending.shift()!;
      signal?.throwIfAborted();
      fill();
      const n = Math.min(batchSize, images.length - starts[k]!);
      out.push(...(await this.embedPixels(pixels, n, signal)));
    }
    return out;
  }

  async embedTexts(texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const { signal } = options;
    const out: Float32Array[] = [];
    signal?.throwIfAborted();
    const { session, output, pooling, queue } = await this.tower('text');
    for (let start = 0; start < texts.length; start += this.textBatchSize) {
      signal?.throwIfAborted();
      const tokens = this.text.encode(texts.slice(start, start + this.textBatchSize));
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', tokens.ids, [tokens.batch, tokens.length]) };
      if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', tokens.mask, [tokens.batch, tokens.length]);
      const result = await queue.run(() => session.run(feeds, [output]), signal);
      out.push(...embeddingRows(result[output] as ort.TypedTensor<'float32'>, tokens.batch, this.dim, pooling, tokens.mask));
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
    const pending = Object.values(this.towers);
    await Promise.all(pending.map(async (p) => (await p.catch(() => null))?.session.release()));
  }
}
