import path from 'node:path';
import { defaultDbPath, userDataDir } from './paths.js';

export interface ServiceOptions {
  /** SQLite catalog file; everything else derived from the catalog sits next to it. */
  dbPath?: string;
}

/**
 * The long-lived state behind the API handlers: catalog database, model registry, vector stores.
 * Each piece opens lazily on first use so that `lookalike --help` or a bad argument costs nothing.
 */
export class Services {
  readonly dbPath: string;
  readonly dataDir: string;
  private readonly closers: Array<() => void> = [];

  constructor(options: ServiceOptions = {}) {
    this.dbPath = path.resolve(options.dbPath ?? defaultDbPath());
    this.dataDir = options.dbPath ? path.dirname(this.dbPath) : userDataDir();
  }

  /** Registers cleanup for a lazily opened piece; run in reverse order by close(). */
  protected onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.reverse()) fn();
    this.closers.length = 0;
  }
}
