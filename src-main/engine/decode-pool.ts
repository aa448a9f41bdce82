import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type DecodeLimits, ImageDecodeError, type ImageSpec } from './preprocess.js';

/**
 * Decoding and preprocessing on a worker thread. onnxruntime-node runs a model synchronously on
 * the main thread, so decoding on the main thread only progresses in sharp's own threads while a
 * batch runs: the JavaScript steps between (the second sharp call, HWC to CHW) wait. On a worker
 * the next batch is fully prepared while the model runs, so small and 8-bit towers stop waiting
 * for their input.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const { ImagePreprocessor } = await import(workerData.preprocess);
  const pre = new ImagePreprocessor(workerData.spec, workerData.limits);
  parentPort.on('message', async ({ id, images, indexOffset }) => {
    try {
      const pixels = await pre.batch(images, indexOffset);
      parentPort.postMessage({ id, pixels }, [pixels.buffer]);
    } catch (err) {
      parentPort.postMessage({ id, error: err && err.message ? err.message : String(err), index: err && typeof err.index === 'number' ? err.index : null });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((err) => parentPort.postMessage({ fatal: String(err && err.stack ? err.stack : err) }));
`;

interface Pending {
  resolve: (pixels: Float32Array) => void;
  reject: (err: Error) => void;
}

export class DecodePool {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly ready: Promise<void>;
  private failure: Error | null = null;

  constructor(spec: ImageSpec, limits: DecodeLimits) {
    // The preprocessing module next to this one: TypeScript through tsx in development, JavaScript when compiled.
    const preprocess = new URL(`./preprocess${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    const tsx = import.meta.url.endsWith('.ts') ? `file://${createRequire(import.meta.url).resolve('tsx/esm/api')}` : null;
    this.worker = new Worker(WORKER_CODE, { eval: true, workerData: { preprocess, tsx, spec, limits } });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (msg: { ready?: boolean; fatal?: string; id?: number; pixels?: Float32Array; error?: string; index?: number | null }) => {
        if (msg.ready) return resolve();
        if (msg.fatal) {
          this.fail(new Error(`decode worker failed to start: ${msg.fatal}`));
          return reject(this.failure);
        }
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        if (msg.pixels) p.resolve(msg.pixels);
        else p.reject(msg.index !== null && msg.index !== undefined ? new ImageDecodeError(msg.error!, msg.index) : new Error(msg.error));
      });
      this.worker.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
    });
    this.ready.catch(() => undefined);
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Same result as ImagePreprocessor.batch, computed on the worker. */
  async batch(images: Uint8Array[], indexOffset = 0): Promise<Float32Array> {
    await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const result = new Promise<Float32Array>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.ref();
    this.worker.postMessage({ id, images, indexOffset });
    try {
      return await result;
    } finally {
      if (this.pending.size === 0) this.worker.unref();
    }
  }

  async close(): Promise<void> {
    this.fail(new Error('decode worker closed'));
    await this.worker.terminate();
  }
}
