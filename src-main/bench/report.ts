import os from 'node:os';
import { appVersion } from '../shared/version.js';
import type { MemorySampler } from './memory.js';
import type { Config } from '../shared/config.js';

/**
 * `lookalike bench` output: machine facts plus one section per area. The engine fills `models`;
 * other features add their own section with a loader in bench/sections.ts.
 */
export interface BenchReport {
  version: string;
  startedAt: string;
  quick: boolean;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryGiB: number; node: string };
  /** Sections run (all, or those named by --only). */
  sections: string[];
  /** Peak RSS of the bench process while each section ran, and the OS's peak for the whole run. */
  peakMemory: { sections: Record<string, { startMiB: number; peakMiB: number }>; processPeakMiB: number; method: string };
  [section: string]: unknown;
}

export interface BenchContext {
  quick: boolean;
  /** Extra pack folders (real-size timing packs) from --models-dir / LOOKALIKE_REALSIZE_DIR. */
  modelsDirs: string[];
  /** Only these pack ids, when given. */
  modelIds: string[];
  /** Only these weight variants ("fp32", "quantized", ...), when given; else every installed one. */
  variants: string[];
  /** The run's configuration: home (installed packs), engine settings (--provider over LOOKALIKE_PROVIDER). */
  config: Config;
  /** Catalog sizes for the search, duplicates and duplicates-visit sections (--sizes), instead of their defaults. */
  sizes?: number[];
  /** The search section's synthetic set (--dataset); "catalog" by default. */
  dataset?: SearchDataset;
  /** Seed of the duplicates-quality corpus (--seed); 7 by default. */
  seed?: number;
  /** Peak-RSS windows for figures finer than a section (e.g. per model variant). */
  memory: MemorySampler;
  log: (line: string) => void;
  signal: AbortSignal;
}

/**
 * Which synthetic set the search section searches. "catalog" (the default, the figures the targets
 * apply to) has the shape of product-photo embeddings: a component every photo shares (embeddings
 * sit in a cone), ~1,000 photos per category and ~10 per product, weighted so that unrelated photos
 * score a cosine of ~0.2, photos of the same category ~0.5 and of the same product ~0.8.
 * "clusters" is a stress test: ~50 vectors around each of n/50 unrelated random centres, all
 * mutually orthogonal, so nothing in the data leads a graph search towards the right cluster.
 */
export const searchDatasets = ['catalog', 'clusters'] as const;
export type SearchDataset = (typeof searchDatasets)[number];

export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<unknown>;
  /** Readable table for stderr. */
  table(result: unknown): string;
}

export function newReport(quick: boolean, sections: string[], samplerMs: number): BenchReport {
  return {
    version: appVersion,
    startedAt: new Date().toISOString(),
    quick,
    sections,
    peakMemory: { sections: {}, processPeakMiB: 0, method: `RSS sampled every ${samplerMs} ms by a worker thread` },
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpus: os.availableParallelism?.() ?? os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
  };
}

/** Fixed-width table: first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}
