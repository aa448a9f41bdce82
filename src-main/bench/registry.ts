import path from 'node:path';
import { ModelRegistry } from '../engine/registry.js';
import { resourcesDir } from '../shared/paths.js';
import type { BenchContext } from './report.js';

/** The packs a bench measures: bundled, installed in the configured home, and --models-dir folders. */
export function benchRegistry(ctx: BenchContext): ModelRegistry {
  return new ModelRegistry({
    bundledDir: path.join(resourcesDir, 'models'),
    installedDir: path.join(ctx.config.home, 'models'),
    extraDirs: ctx.modelsDirs,
    embedder: { provider: ctx.config.engine.provider },
    log: ctx.log,
  });
}
