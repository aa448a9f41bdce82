import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CPU_VARIANT_PREFERENCE, type Variant, isVariant, towerFile } from './variants.js';

/** One file of a repository as the Hub's tree API lists it. */
export interface HubFile {
  path: string;
  size: number;
  /** Git blob sha1 of the file (for small files stored in git). */
  oid: string;
  /** sha256 of the content for files stored in LFS (all ONNX weights). */
  sha256?: string;
}

export interface DownloadProgress {
  file: string;
  doneBytes: number;
  totalBytes: number;
}

export function isHubRepoId(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(value);
}

export async function listHubFiles(repo: string, endpoint: string, signal?: AbortSignal): Promise<HubFile[]> {
  const url = `${endpoint}/api/models/${repo}/tree/main?recursive=true`;
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    throw new Error(`cannot reach the Hugging Face Hub at ${endpoint} (${err instanceof Error ? (err.cause as Error)?.message ?? err.message : err}); offline? install from a folder or .zip instead`);
  }
  if (res.status === 404 || res.status === 401) throw new Error(`model repository "${repo}" not found on ${endpoint}`);
  if (!res.ok) throw new Error(`Hub listing of ${repo} failed: HTTP ${res.status}`);
  const entries = (await res.json()) as Array<{ type: string; path: string; size: number; oid: string; lfs?: { oid: string; size: number } }>;
  return entries
    .filter((e) => e.type === 'file')
    .map((e) => ({ path: e.path, size: e.lfs?.size ?? e.size, oid: e.oid, ...(e.lfs ? { sha256: e.lfs.oid } : {}) }));
}

const ROOT_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

/**
 * The files a pack needs: root configs/tokenizer, both towers of one variant (with any external
 * `.onnx_data`), and the smallest combined graph, only read once for the score constants.
 */
export function selectPackFiles(files: HubFile[], requested?: string): { variant: Variant; files: HubFile[] } {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const withBoth = CPU_VARIANT_PREFERENCE.filter((v) => byPath.has(towerFile('vision', v)) && byPath.has(towerFile('text', v)));
  if (requested && !isVariant(requested)) throw new Error(`unknown variant "${requested}"`);
  const variant = requested ?? withBoth[0];
  if (!variant || !withBoth.includes(variant as Variant)) {
    throw new Error(
      requested
        ? `the repository has no ${requested} vision+text towers (available: ${withBoth.join(', ') || 'none'})`
        : 'the repository has no onnx/vision_model*.onnx + onnx/text_model*.onnx pair; not a Transformers.js ONNX pack',
    );
  }
  const v = variant as Variant;
  const wanted = new Set<string>(ROOT_FILES.filter((f) => byPath.has(f)));
  for (const f of [towerFile('vision', v), towerFile('text', v)]) {
    wanted.add(f);
    for (const side of files) if (side.path.startsWith(`${f}_data`)) wanted.add(side.path);
  }
  const combined = files
    .filter((f) => /^onnx\/model(_[a-z0-9]+)?\.onnx$/.test(f.path))
    .sort((a, b) => a.size - b.size)[0];
  if (combined) wanted.add(combined.path);
  return { variant: v, files: files.filter((f) => wanted.has(f.path)) };
}

/** Git's blob id: sha1("blob <size>\0" + content), which the tree API gives for non-LFS files. */
async function gitBlobSha1(file: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`);
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function verify(file: string, entry: HubFile): Promise<void> {
  const { size } = await fs.stat(file);
  if (size !== entry.size) throw new Error(`${entry.path}: size mismatch (expected ${entry.size} bytes, got ${size})`);
  if (entry.sha256) {
    const got = await sha256File(file);
    if (got !== entry.sha256) throw new Error(`${entry.path}: sha256 mismatch (expected ${entry.sha256}, got ${got}); the download is corrupt`);
  } else if (/^[0-9a-f]{40}$/.test(entry.oid)) {
    const got = await gitBlobSha1(file, size);
    if (got !== entry.oid) throw new Error(`${entry.path}: checksum mismatch (git blob ${got}, expected ${entry.oid}); the download is corrupt`);
  }
}

/**
 * Downloads one file into `dest`, resuming `<dest>.part` with a Range request when a previous
 * attempt was cut off. Retries a dropped connection a few times before giving up; the .part file
 * stays for the next install attempt.
 */
export async function downloadFile(
  url: string,
  entry: HubFile,
  dest: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
  attempts = 4,
): Promise<void> {
  const part = `${dest}.part`;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    signal?.throwIfAborted();
    const have = (await fs.stat(part).catch(() => null))?.size ?? 0;
    if (have > entry.size) await fs.rm(part);
    const from = have > entry.size ? 0 : have;
    if (from < entry.size || entry.size === 0) {
      try {
        const res = await fetch(url, { signal, headers: from > 0 ? { Range: `bytes=${from}-` } : {} });
        if (res.status === 404) throw new Error(`${entry.path}: not found on the Hub (HTTP 404)`);
        if (!res.ok || !res.body) throw new Error(`${entry.path}: HTTP ${res.status}`);
        // A server that ignores Range sends the whole file (200): start over.
        const append = from > 0 && res.status === 206;
        if (!append && from > 0) onBytes(-from);
        const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
        body.on('data', (chunk: Buffer) => onBytes(chunk.length));
        await pipeline(body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
      } catch (err) {
        if (signal?.aborted) throw err;
        if (err instanceof Error && /HTTP 4\d\d/.test(err.message)) throw err;
        lastError = err;
        continue;
      }
    }
    try {
      await verify(part, entry);
    } catch (err) {
      await fs.rm(part, { force: true });
      throw err;
    }
    await fs.rename(part, dest);
    return;
  }
  throw new Error(`${entry.path}: download interrupted (${lastError instanceof Error ? lastError.message : lastError}); run the install again to resume`);
}

/** Downloads a pack's files into `dir` (kept between attempts so an interrupted install resumes). */
export async function downloadPack(
  repo: string,
  dir: string,
  options: { endpoint: string; variant?: string; signal?: AbortSignal; progress?: (p: DownloadProgress) => void },
): Promise<{ variant: Variant; files: HubFile[] }> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const listing = await listHubFiles(repo, endpoint, options.signal);
  const { variant, files } = selectPackFiles(listing, options.variant);
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  let doneBytes = 0;
  for (const entry of files) {
    const dest = path.join(dir, ...entry.path.split('/'));
    const existing = await fs.stat(dest).catch(() => null);
    if (existing?.size === entry.size) {
      doneBytes += entry.size;
      continue;
    }
    const partSize = (await fs.stat(`${dest}.part`).catch(() => null))?.size ?? 0;
    doneBytes += Math.min(partSize, entry.size);
    const url = `${endpoint}/${repo}/resolve/main/${entry.path.split('/').map(encodeURIComponent).join('/')}`;
    await downloadFile(
      url,
      entry,
      dest,
      (n) => {
        doneBytes += n;
        options.progress?.({ file: entry.path, doneBytes, totalBytes });
      },
      options.signal,
    );
  }
  options.progress?.({ file: '', doneBytes: totalBytes, totalBytes });
  return { variant, files };
}
