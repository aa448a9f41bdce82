import { type ChildProcess, spawn } from 'node:child_process';
import { logicalCpus } from '../engine/providers.js';

/**
 * A competing CPU job for "under load" figures: another process whose threads spin on every
 * logical CPU, the way a build or a video export would. It is bounded: it exits on its own after
 * `maxSeconds` even if this process dies, and `stop()` ends it at once.
 */
export class BusyLoad {
  private constructor(
    private readonly child: ChildProcess,
    readonly threads: number,
  ) {}

  static async start(options: { threads?: number; maxSeconds?: number } = {}): Promise<BusyLoad> {
    const threads = Math.max(1, options.threads ?? logicalCpus());
    const maxMs = Math.round((options.maxSeconds ?? 600) * 1000);
    const code = `
      const { Worker } = require('node:worker_threads');
      const spin = 'const end = Date.now() + ${maxMs}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 31 + i) | 0; }';
      for (let i = 0; i < ${threads}; i++) new Worker(spin, { eval: true });
      setTimeout(() => process.exit(0), ${maxMs}).unref();
      process.stdout.write('ready\\n');
    `;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => reject(new Error(`busy-loop process exited early (${c})`)));
      child.stdout!.once('data', () => resolve());
    });
    child.removeAllListeners('exit');
    // Let its threads get going before anything is timed.
    await new Promise((r) => setTimeout(r, 300));
    return new BusyLoad(child, threads);
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Runs `fn` while a BusyLoad competes for the CPUs. */
export async function underLoad<T>(fn: (load: BusyLoad) => Promise<T>, options?: { threads?: number; maxSeconds?: number }): Promise<T> {
  const load = await BusyLoad.start(options);
  try {
    return await fn(load);
  } finally {
    await load.stop();
  }
}
