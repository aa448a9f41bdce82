import fs from 'node:fs/promises';
import path from 'node:path';
import { ort } from './ort.js';
import type { PackInfo } from './pack.js';
import type { TextEncoder } from './text.js';
import { type FamilyTraits, unhandled } from './families.js';
import type { Scoring } from './types.js';
import { towerFile } from './variants.js';

/** Where a pack's score constants came from, for logs and the Models page. */
export type ScoringSource = 'model.onnx' | 'config.json' | 'default';

export interface DerivedScoring {
  scoring: Scoring;
  source: ScoringSource;
  warning?: string;
}

const PROBE_TEXTS = ['a photo of a cat', 'a red running shoe', 'a blue ceramic mug', 'a wooden chair'];

/** Least squares fit of y = a*x + b. */
export function fitLine(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (sxx < 1e-12) throw new Error('probe texts gave identical similarities; cannot solve for the score constants');
  const a = sxy / sxx;
  return { a, b: my - a * mx };
}

function l2(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

/**
 * Runs the combined onnx/model*.onnx once (one synthetic image, several texts) and solves
 * logits_per_image = a*cos + b, where a = exp(logit_scale) and b = logit_bias. This reads the
 * trained constants from the graph without trusting model cards or initialiser names.
 */
export async function scoringFromCombinedModel(pack: PackInfo, text: TextEncoder, pixels: { height: number; width: number }): Promise<Scoring> {
  // Scalars are not quantized, so the smallest combined variant gives the same constants fastest.
  const bySize = await Promise.all(
    pack.combinedVariants.map(async (v) => ({ v, size: (await fs.stat(path.join(pack.dir, towerFile('combined', v)))).size })),
  );
  bySize.sort((x, y) => x.size - y.size);
  const variant = bySize[0]?.v;
  if (!variant) throw new Error('no combined onnx/model*.onnx in the pack');
  const session = await ort.InferenceSession.create(path.join(pack.dir, towerFile('combined', variant)), { intraOpNumThreads: 1 });
  try {
    const { height, width } = pixels;
    const image = new Float32Array(3 * height * width);
    for (let i = 0; i < image.length; i++) image[i] = Math.sin(i * 0.013) * 0.8;
    const tokens = text.encode(PROBE_TEXTS);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === 'pixel_values') feeds[name] = new ort.Tensor('float32', image, [1, 3, height, width]);
      else if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', tokens.ids, [tokens.batch, tokens.length]);
      else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', tokens.mask, [tokens.batch, tokens.length]);
      else throw new Error(`combined model needs an input "${name}" Lookalike does not provide`);
    }
    const out = await session.run(feeds);
    const imageEmbeds = out.image_embeds;
    const textEmbeds = out.text_embeds;
    const logits = out.logits_per_image;
    if (!imageEmbeds || !textEmbeds || !logits) throw new Error('combined model lacks image_embeds/text_embeds/logits_per_image outputs');
    const dim = imageEmbeds.dims[1]!;
    const img = l2((imageEmbeds.data as Float32Array).slice(0, dim));
    const cos: number[] = [];
    for (let t = 0; t < tokens.batch; t++) {
      const txt = l2((textEmbeds.data as Float32Array).slice(t * dim, (t + 1) * dim));
      cos.push(img.reduce((s, x, i) => s + x * txt[i]!, 0));
    }
    const { a, b } = fitLine(cos, Array.from(logits.data as Float32Array).slice(0, tokens.batch));
    return headScoring(pack.traits, a, b)!;
  } finally {
    await session.release();
  }
}

/** The family's head with these constants: logit = scale*cos (+ bias: a sigmoid head without one is unknown, null). */
function headScoring(traits: FamilyTraits, scale: number, bias: number | undefined): Scoring | null {
  const kind = traits.scoring.defaults.kind;
  switch (kind) {
    case 'sigmoid':
      return bias === undefined ? null : { kind, scale, bias };
    case 'softmax':
      return { kind, scale };
    default:
      return unhandled(kind);
  }
}

/** Values a pack may carry in config.json: `logit_scale` (log-space, as in the weights) and `logit_bias` (a sigmoid head needs it). */
export function scoringFromConfig(config: Record<string, unknown>, traits: FamilyTraits): Scoring | null {
  const lookalike = (config.lookalike ?? {}) as Record<string, unknown>;
  const scale = [lookalike.logit_scale, config.logit_scale].find((v): v is number => typeof v === 'number');
  const bias = [lookalike.logit_bias, config.logit_bias].find((v): v is number => typeof v === 'number');
  if (scale === undefined) return null;
  return headScoring(traits, Math.exp(scale), bias);
}

/** A small JSON file of derived constants keyed by pack folder + revision, so the graph runs once. */
export class ScoringCache {
  constructor(private readonly file: string) {}

  private async read(): Promise<Record<string, DerivedScoring>> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as Record<string, DerivedScoring>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<DerivedScoring | undefined> {
    return (await this.read())[key];
  }

  async set(key: string, value: DerivedScoring): Promise<void> {
    const all = await this.read();
    all[key] = value;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(all, null, 1)}\n`);
    await fs.rename(tmp, this.file);
  }
}

export async function resolveScoring(
  pack: PackInfo,
  revision: string,
  text: TextEncoder,
  pixels: { height: number; width: number },
  cache: ScoringCache | null,
  log: (line: string) => void,
): Promise<DerivedScoring> {
  const key = `${path.resolve(pack.dir)}#${revision}`;
  const cached = await cache?.get(key);
  if (cached) return cached;
  let result: DerivedScoring;
  let graphError = 'no combined onnx/model*.onnx in the pack';
  if (pack.combinedVariants.length > 0) {
    try {
      result = { scoring: await scoringFromCombinedModel(pack, text, pixels), source: 'model.onnx' };
      await cache?.set(key, result).catch(() => undefined);
      return result;
    } catch (err) {
      graphError = err instanceof Error ? err.message : String(err);
    }
  }
  const fromConfig = scoringFromConfig(pack.config, pack.traits);
  if (fromConfig) result = { scoring: fromConfig, source: 'config.json' };
  else {
    const warning = `model pack "${pack.id}": score constants unknown (${graphError}; none in config.json); using published ${pack.traits.scoring.publishedAs} defaults`;
    log(`warning: ${warning}`);
    result = { scoring: { ...pack.traits.scoring.defaults }, source: 'default', warning };
  }
  await cache?.set(key, result).catch(() => undefined);
  return result;
}
