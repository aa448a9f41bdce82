import type { Progress } from '../../shared/progress.js';

export interface RunCtx {
  progress: (p: Progress) => void;
  signal: AbortSignal;
}

/**
 * One run of some work that several callers wait for (the duplicates preparation job and a page's
 * find both asking for the same graph): it runs under the signal of the caller that started it,
 * and every waiting caller gets its progress and may stop waiting on its own signal.
 */
export class SharedRun<T> {
  readonly done: Promise<T>;
  private readonly watchers = new Set<(p: Progress) => void>();
  private last: Progress | undefined;

  constructor(
    readonly signal: AbortSignal,
    work: (ctx: RunCtx) => Promise<T>,
  ) {
    this.done = work({ signal, progress: (p) => this.report(p) });
  }

  async wait({ progress, signal }: RunCtx): Promise<T> {
    if (this.last) progress(this.last);
    this.watchers.add(progress);
    let stop = () => {};
    const stopped = new Promise<never>((_, reject) => {
      stop = () => reject(signal.reason);
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    try {
      return await Promise.race([this.done, stopped]);
    } finally {
      signal.removeEventListener('abort', stop);
      this.watchers.delete(progress);
    }
  }

  private report(p: Progress): void {
    this.last = p;
    for (const w of this.watchers) {
      try {
        w(p);
      } catch {
        // A watcher whose channel closed does not stop the work.
      }
    }
  }
}
