import type { Progress } from '../api/schemas/common.js';

/**
 * Renders progress on stderr: a redrawn bar on a terminal, a line every few seconds in logs. The
 * first report of each phase and the last of each count always show, so a short phase is not lost
 * between two lines of a log.
 */
export function progressPrinter(stream: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean }, clock: () => number = Date.now) {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let phase: string | null = null;
  let open = false;
  return {
    update(p: Progress): void {
      const now = clock();
      const finished = p.total !== undefined && p.done >= p.total;
      const newPhase = p.phase !== phase;
      phase = p.phase;
      if (!finished && !newPhase && now - last < (tty ? 100 : 2000)) return;
      last = now;
      const line = formatProgress(p);
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        open = true;
      } else stream.write(`${line}\n`);
    },
    end(): void {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

export function formatProgress(p: Progress): string {
  const parts: string[] = [p.phase];
  if (p.total !== undefined && p.total > 0) {
    const ratio = Math.min(1, p.done / p.total);
    const width = 24;
    const filled = Math.round(ratio * width);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}`);
  } else parts.push(String(p.done));
  if (p.cached) parts.push(`cached ${p.cached}`);
  if (p.failed) parts.push(`failed ${p.failed}`);
  if (p.ratePerSecond !== undefined) parts.push(`${p.ratePerSecond.toFixed(1)}/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${Math.ceil(p.etaSeconds)}s`);
  if (p.message) parts.push(p.message);
  return parts.join('  ');
}
