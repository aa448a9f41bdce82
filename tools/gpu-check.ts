// Verifies the GPU execution providers on a machine that has a GPU: for each pack, creates the
// vision and text towers on the requested provider and on CPU through the engine's own provider
// code, times model-only batches, and checks that both providers compute the same embeddings.
//
// Usage: node --import tsx tools/gpu-check.ts [--provider webgpu] [--runs N] PACK_DIR...
// (tools/device/prepare.sh bundles it for a GPU machine that has no npm: see docs/PERFORMANCE.md.)
import { parseArgs } from 'node:util';
import { ort } from '../src-main/engine/ort.js';
import { inspectPack } from '../src-main/engine/pack.js';
import { createSession, parseProviderOrder } from '../src-main/engine/providers.js';
import { towerFile } from '../src-main/engine/variants.js';
import path from 'node:path';

const { values, positionals } = parseArgs({ options: { provider: { type: 'string', default: 'webgpu' }, runs: { type: 'string', default: '10' }, threads: { type: 'string' } }, allowPositionals: true });
const gpu = parseProviderOrder(values.provider)[0] ?? 'webgpu';
const runs = Number(values.runs);
const threads = Number(values.threads ?? Math.max(1, (await import('node:os')).availableParallelism() - 1));

function l2(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

function minCosine(a: Float32Array, b: Float32Array, dim: number): number {
  let min = 1;
  for (let i = 0; i < a.length / dim; i++) {
    const x = l2(a.subarray(i * dim, (i + 1) * dim));
    const y = l2(b.subarray(i * dim, (i + 1) * dim));
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (x[j] as number) * (y[j] as number);
    min = Math.min(min, dot);
  }
  return min;
}

async function time(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, output: string) {
  await session.run(feeds); // warm-up (shader compilation on GPU)
  const ms: number[] = [];
  let out: Float32Array = new Float32Array();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await session.run(feeds);
    ms.push(performance.now() - t);
    out = (r[output] as ort.Tensor).data as Float32Array;
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)] as number, out };
}

function seeded(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}

const report: Record<string, unknown>[] = [];
for (const dir of positionals) {
  const check = await inspectPack(path.resolve(dir));
  if (!check.ok) {
    report.push({ pack: dir, error: check.error });
    continue;
  }
  const pack = check.pack;
  const variant = pack.variants[0];
  if (!variant) continue;
  const pre = pack.preprocessor as { size?: { height?: number; shortest_edge?: number }; crop_size?: { height?: number } };
  const side = pre.crop_size?.height ?? pre.size?.height ?? pre.size?.shortest_edge ?? 224;
  const textCfg = (pack.config.text_config ?? {}) as { max_position_embeddings?: number; vocab_size?: number };
  const seq = textCfg.max_position_embeddings ?? 64;
  const vocab = Math.min(textCfg.vocab_size ?? 1000, 1000);
  for (const tower of ['vision', 'text'] as const) {
    const file = path.join(pack.dir, towerFile(tower, variant));
    const sessions = {} as Record<'gpu' | 'cpu', { session: ort.InferenceSession; createMs: number; provider: string; skipped: unknown }>;
    for (const [key, order] of [['gpu', [gpu]], ['cpu', ['cpu']]] as const) {
      const t = performance.now();
      try {
        const { session, report: r } = await createSession(file, { order: [...order], forced: true, intraOpThreads: threads, spinning: false });
        sessions[key] = { session, createMs: Math.round(performance.now() - t), provider: r.active, skipped: r.skipped };
      } catch (err) {
        report.push({ pack: pack.id, tower, provider: order[0], error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (!sessions.gpu || !sessions.cpu) continue;
    const output = sessions.cpu.session.outputNames.find((n) => ['pooler_output', 'image_embeds', 'text_embeds'].includes(n)) ?? (sessions.cpu.session.outputNames[0] as string);
    for (const batch of [1, 8, 32]) {
      const feeds: Record<string, ort.Tensor> =
        tower === 'vision'
          ? { pixel_values: new ort.Tensor('float32', seeded(batch * 3 * side * side, batch), [batch, 3, side, side]) }
          : { input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: batch * seq }, (_, i) => BigInt((i * 7919 + batch) % vocab)), [batch, seq]) };
      const g = await time(sessions.gpu.session, feeds, output);
      const c = await time(sessions.cpu.session, feeds, output);
      const dim = g.out.length / batch;
      report.push({
        pack: pack.id,
        tower,
        variant,
        batch,
        gpuProvider: sessions.gpu.provider,
        gpuSessionMs: sessions.gpu.createMs,
        gpuMedianMs: +g.medianMs.toFixed(2),
        cpuMedianMs: +c.medianMs.toFixed(2),
        gpuPerSecond: +((batch * 1000) / g.medianMs).toFixed(1),
        cpuPerSecond: +((batch * 1000) / c.medianMs).toFixed(1),
        cpuThreads: threads,
        minCosineGpuVsCpu: +minCosine(g.out, c.out, dim).toFixed(6),
      });
      console.error(JSON.stringify(report.at(-1)));
    }
    await sessions.gpu.session.release();
    await sessions.cpu.session.release();
  }
}
console.log(JSON.stringify({ provider: gpu, onnxruntime: ort.env.versions.node, results: report }, null, 1));
