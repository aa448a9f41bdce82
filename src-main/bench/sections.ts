// bench/: `lookalike bench`, the speed, memory and quality measurements docs/PERFORMANCE.md cites.
// Runs in the CLI process (some sections start child processes to time a cold start).
import type { BenchSection } from './report.js';

/**
 * Sections `lookalike bench` runs, in order; add yours here. Each loads when it runs, so the CLI
 * (`lookalike --help`, every other command) starts without the engine, the catalog and the peer.
 */
const loaders = {
  models: async () => (await import('./models.js')).modelsSection,
  threads: async () => (await import('./threads.js')).threadsSection,
  startup: async () => (await import('./startup.js')).startupSection,
  peer: async () => (await import('./peer.js')).peerSection,
  import: async () => (await import('./import.js')).importSection,
  search: async () => (await import('./search.js')).searchSection,
  duplicates: async () => (await import('./duplicates.js')).duplicatesSection,
  'duplicates-quality': async () => (await import('./duplicates-quality.js')).duplicatesQualitySection,
  'duplicates-visit': async () => (await import('./duplicates-visit.js')).duplicatesVisitSection,
} satisfies Record<string, () => Promise<BenchSection>>;

export type BenchSectionName = keyof typeof loaders;
export const benchSectionNames = Object.keys(loaders) as BenchSectionName[];

export function loadBenchSection(name: BenchSectionName): Promise<BenchSection> {
  return loaders[name]();
}
