import { Worker } from 'node:worker_threads';

/**
 * Peak resident memory of this process over a stretch of work. A worker thread samples the RSS
 * every `intervalMs`: onnxruntime-node runs a model synchronously on the main thread, so a timer
 * there would miss exactly the moments of interest. `process.resourceUsage().maxRSS` cannot be
 * reset, so it only gives the whole process's peak (reported as well).
 */
export class MemorySampler {
  private static readonly SLOTS = 16;
  /** Slot 0: latest sample (KiB); slots 1..: running maxima of the open windows, -1 when free. */
  private readonly shared = new Int32Array(new SharedArrayBuffer(4 * MemorySampler.SLOTS));
  private readonly worker: Worker;

  constructor(readonly intervalMs = 20) {
    this.shared.fill(-1, 1);
    Atomics.store(this.shared, 0, Math.round(process.memoryUsage.rss() / 1024));
    const code = `
      const { workerData } = require('node:worker_threads');
      const a = new Int32Array(workerData.buffer);
      setInterval(() => {
        const kib = Math.round(process.memoryUsage.rss() / 1024);
        Atomics.store(a, 0, kib);
        for (let i = 1; i < a.length; i++) {
          const m = Atomics.load(a, i);
          if (m >= 0 && kib > m) Atomics.compareExchange(a, i, m, kib);
        }
      }, workerData.intervalMs);`;
    this.worker = new Worker(code, { eval: true, workerData: { buffer: this.shared.buffer, intervalMs } });
    this.worker.unref();
  }

  /** Starts a window; its `peakMiB()` is the highest RSS sampled since (including now). */
  window(): { startMiB: number; peakMiB(): number; close(): void } {
    const now = Math.round(process.memoryUsage.rss() / 1024);
    let slot = -1;
    for (let i = 1; i < MemorySampler.SLOTS && slot < 0; i++) if (Atomics.compareExchange(this.shared, i, -1, now) === -1) slot = i;
    if (slot < 0) throw new Error('too many open memory windows');
    const toMiB = (kib: number) => Math.round(kib / 102.4) / 10;
    return {
      startMiB: toMiB(now),
      peakMiB: () => toMiB(Math.max(Atomics.load(this.shared, slot), Math.round(process.memoryUsage.rss() / 1024))),
      close: () => {
        Atomics.store(this.shared, slot, -1);
      },
    };
  }

  /** Peak RSS of the whole process so far (from the OS). */
  static processPeakMiB(): number {
    return Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
