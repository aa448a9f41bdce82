import { AppError } from '../shared/errors.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FamilyName } from '../shared/families.js';
import { FAMILIES, type FamilyTraits, familyOfModelType, supportedModelTypes } from './families.js';
import { type Variant, VARIANT_SUFFIXES, towerFile } from './variants.js';

/** A model pack folder in the Hugging Face / Transformers.js ONNX layout, checked but not loaded. */
export interface PackInfo {
  id: string;
  dir: string;
  name: string;
  family: FamilyName;
  /** What the family does (tokenizer, preprocessing, outputs, scoring): FAMILIES[family], read once here. */
  traits: FamilyTraits;
  /** Embedding size from config.json (confirmed against the graph when loaded). */
  dim: number;
  /** Variants with both a vision and a text tower installed, in VARIANT_SUFFIXES order. */
  variants: Variant[];
  /** Variants of the combined onnx/model*.onnx (only used to read the score constants). */
  combinedVariants: Variant[];
  demo: boolean;
  sizeBytes: number;
  config: Record<string, unknown>;
  preprocessor: Record<string, unknown>;
}

export type PackCheck = { ok: true; pack: PackInfo } | { ok: false; id: string; dir: string; error: string; sizeBytes: number };

export function checkId(c: PackCheck): string {
  return c.ok ? c.pack.id : c.id;
}

/** A pack that cannot be used, with a one-line reason naming the file at fault. */
export class PackError extends AppError {
  override name = 'PackError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('unavailable', message);
  }
}

export const REQUIRED_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/** Checks a pack folder cheaply (no ONNX session, no tokenizer parse) so listing many packs stays fast. */
export async function inspectPack(dir: string, id = path.basename(dir)): Promise<PackCheck> {
  const sizeBytes = await folderSize(dir).catch(() => 0);
  try {
    return { ok: true, pack: await readPack(dir, id, sizeBytes) };
  } catch (err) {
    return { ok: false, id, dir, error: err instanceof Error ? err.message : String(err), sizeBytes };
  }
}

async function readPack(dir: string, id: string, sizeBytes: number): Promise<PackInfo> {
  for (const file of REQUIRED_FILES) {
    const stat = await fs.stat(path.join(dir, file)).catch(() => null);
    if (!stat?.isFile()) throw new PackError(file, `model pack "${id}" is incomplete: ${file} is missing`);
    if (stat.size === 0) throw new PackError(file, `model pack "${id}" is corrupt: ${file} is empty`);
  }
  const config = await readJsonFile(dir, 'config.json');
  const preprocessor = await readJsonFile(dir, 'preprocessor_config.json');
  await readJsonFile(dir, 'tokenizer_config.json');
  await checkJsonShape(dir, 'tokenizer.json');

  const modelType = config.model_type;
  const family = familyOfModelType(modelType);
  if (!family) {
    throw new PackError('config.json', `model pack "${id}": config.json model_type is ${JSON.stringify(modelType)}; supported: ${supportedModelTypes()}`);
  }
  const traits = FAMILIES[family];
  const variants: Variant[] = [];
  const combinedVariants: Variant[] = [];
  const problems: Array<{ file: string; reason: string }> = [];
  for (const variant of Object.keys(VARIANT_SUFFIXES) as Variant[]) {
    const vision = await onnxFileState(dir, towerFile('vision', variant));
    const text = await onnxFileState(dir, towerFile('text', variant));
    if (vision === 'ok' && text === 'ok') variants.push(variant);
    else if (vision !== 'missing' || text !== 'missing') {
      const [file, state] = vision !== 'ok' ? [towerFile('vision', variant), vision] : [towerFile('text', variant), text];
      problems.push({ file, reason: state === 'missing' ? `${file} is missing` : `${file} is corrupt (not an ONNX model)` });
    }
    if ((await onnxFileState(dir, towerFile('combined', variant))) === 'ok') combinedVariants.push(variant);
  }
  if (variants.length === 0) {
    const problem = problems[0] ?? { file: 'onnx/vision_model.onnx', reason: 'onnx/vision_model.onnx and onnx/text_model.onnx are missing' };
    throw new PackError(problem.file, `model pack "${id}" is unusable: ${problem.reason}`);
  }
  const lookalike = (config.lookalike ?? {}) as Record<string, unknown>;
  return {
    id,
    dir,
    name: typeof lookalike.name === 'string' ? lookalike.name : typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : id,
    family,
    traits,
    dim: configDim(config, traits),
    variants,
    combinedVariants,
    demo: lookalike.demo === true,
    sizeBytes,
    config,
    preprocessor,
  };
}

/** Embedding size as the HF configs define it (the family's config default when absent). */
export function configDim(config: Record<string, unknown>, traits: FamilyTraits): number {
  for (const field of traits.dim.fields) {
    let v: unknown = config;
    for (const key of field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'number' && v > 0) return v;
  }
  return traits.dim.fallback;
}

export async function readJsonFile(dir: string, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, file), 'utf8');
  } catch {
    throw new PackError(file, `${file} is missing in ${dir}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new PackError(file, `model pack file ${file} is corrupt: not valid JSON (${err instanceof Error ? err.message : err})`);
  }
}

/** tokenizer.json can be tens of MB: check its ends instead of parsing it for a listing. */
async function checkJsonShape(dir: string, file: string): Promise<void> {
  const handle = await fs.open(path.join(dir, file), 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(64, size));
    const tail = Buffer.alloc(Math.min(64, size));
    await handle.read(head, 0, head.length, 0);
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (!head.toString('utf8').trimStart().startsWith('{') || !tail.toString('utf8').trimEnd().endsWith('}')) {
      throw new PackError(file, `model pack file ${file} is corrupt: not a JSON object (truncated download?)`);
    }
  } finally {
    await handle.close();
  }
}

/** An ONNX ModelProto starts with field 1 (ir_version, varint): byte 0x08. Catches HTML error pages and empty files. */
async function onnxFileState(dir: string, file: string): Promise<'ok' | 'missing' | 'bad'> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path.join(dir, file), 'r');
  } catch {
    return 'missing';
  }
  try {
    const first = Buffer.alloc(1);
    const { bytesRead } = await handle.read(first, 0, 1, 0);
    return bytesRead === 1 && first[0] === 0x08 ? 'ok' : 'bad';
  } finally {
    await handle.close();
  }
}

export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * Revision of the weights a session would load: changes when any of them changes. Small files are
 * hashed whole; ONNX files by size plus their first and last MiB (hashing gigabytes at every start
 * would cost seconds, and retrained weights change both ends of the file).
 */
export async function packRevision(pack: PackInfo, variant: Variant): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...REQUIRED_FILES, 'special_tokens_map.json']) {
    const data = await fs.readFile(path.join(pack.dir, file)).catch(() => null);
    if (data) hash.update(`${file}\0`).update(data);
  }
  for (const file of [towerFile('vision', variant), towerFile('text', variant)]) {
    const handle = await fs.open(path.join(pack.dir, file), 'r');
    try {
      const { size } = await handle.stat();
      const span = Math.min(size, 1 << 20);
      const head = Buffer.alloc(span);
      const tail = Buffer.alloc(span);
      await handle.read(head, 0, span, 0);
      await handle.read(tail, 0, span, size - span);
      hash.update(`${file}\0${size}\0`).update(head).update(tail);
    } finally {
      await handle.close();
    }
  }
  return hash.digest('hex').slice(0, 16);
}
