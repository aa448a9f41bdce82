/**
 * Every phase a long call reports. The UI words each in its language
 * (src-renderer/components/ProgressBar.tsx maps all of them), the CLI prints them as they are.
 */
export const PROGRESS_PHASES = [
  'scanning',
  'listings',
  'indexing',
  'embedding images',
  'repairing',
  'hashing images',
  'finding neighbours',
  'scoring titles',
  'loading vectors',
  'building vector index',
  'updating vector index',
  'pushing to Qdrant',
  'sampling',
  'measuring',
  'downloading',
  'unzipping',
  'copying',
] as const;
export type ProgressPhase = (typeof PROGRESS_PHASES)[number];

/** Progress of a long call, streamed to the UI (progress bar) and the CLI (stderr). */
export interface Progress {
  phase: ProgressPhase;
  done: number;
  total?: number;
  cached?: number;
  failed?: number;
  ratePerSecond?: number;
  etaSeconds?: number;
  message?: string;
}
