/** Progress of a long call, streamed to the UI (progress bar) and the CLI (stderr). */
export interface Progress {
  phase: string;
  done: number;
  total?: number;
  cached?: number;
  failed?: number;
  ratePerSecond?: number;
  etaSeconds?: number;
  message?: string;
}
