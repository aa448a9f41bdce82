import type { Progress } from '../../src-main/api/schemas/common';
import type { ProgressPhase } from '../../src-main/shared/progress';
import { formatDecimal, formatNumber, splitDuration } from '../format';
import { useI18n } from '../i18n';
import type { StringKey } from '../i18n/strings';

/** Every phase the backend reports (shared/progress.ts), in the UI's words. */
const PHASES: Record<ProgressPhase, StringKey> = {
  scanning: 'phase.scan',
  listings: 'phase.read',
  indexing: 'phase.index',
  'embedding images': 'phase.embed',
  repairing: 'phase.repair',
  'hashing images': 'phase.hash',
  'finding neighbours': 'phase.pairs',
  'scoring titles': 'phase.titles',
  'loading vectors': 'phase.loadVectors',
  'building vector index': 'phase.buildIndex',
  'updating vector index': 'phase.updateIndex',
  'pushing to Qdrant': 'phase.qdrant',
  sampling: 'phase.sample',
  measuring: 'phase.measure',
  downloading: 'phase.download',
  unzipping: 'phase.unzip',
  copying: 'phase.copy',
};

export function usePhaseLabel(): (phase: ProgressPhase) => string {
  const { t } = useI18n();
  // A backend newer than this page may report a phase it does not know yet: shown as it is.
  return (phase) => (phase in PHASES ? t(PHASES[phase]) : phase);
}

export function useDurationLabel(): (seconds: number) => string {
  const { t } = useI18n();
  return (seconds) => {
    if (seconds < 10) return t('time.s', { s: formatDecimal(seconds, 1) });
    const { h, m, s } = splitDuration(seconds);
    if (h > 0) return t('time.hm', { h, m });
    if (m > 0) return t('time.ms', { m, s: String(s).padStart(2, '0') });
    return t('time.s', { s });
  };
}

interface Props {
  progress?: Progress;
  /** Compact: one line for the status bar. */
  compact?: boolean;
  label?: string;
}

/** A real progress bar: count, rate, ETA and failures, or an indeterminate stripe before the total is known. */
export function ProgressBar({ progress, compact, label }: Props) {
  const { t, language } = useI18n();
  const phaseLabel = usePhaseLabel();
  const duration = useDurationLabel();
  const total = progress?.total;
  const done = progress?.done ?? 0;
  const fraction = total ? Math.min(1, done / total) : undefined;
  const parts: string[] = [];
  if (progress) {
    parts.push(phaseLabel(progress.phase));
    parts.push(total !== undefined ? t('progress.count', { done: formatNumber(language, done), total: formatNumber(language, total) }) : formatNumber(language, done));
    if (!compact && progress.ratePerSecond !== undefined) parts.push(t('progress.rate', { rate: formatNumber(language, progress.ratePerSecond, progress.ratePerSecond < 10 ? 1 : 0) }));
    if (progress.etaSeconds !== undefined && Number.isFinite(progress.etaSeconds)) parts.push(t('progress.eta', { eta: duration(progress.etaSeconds) }));
    if (!compact && progress.cached) parts.push(t('progress.cached', { n: formatNumber(language, progress.cached) }));
    if (progress.failed) parts.push(t('progress.failed', { n: formatNumber(language, progress.failed) }));
  } else parts.push(t('progress.starting'));
  const text = parts.join(' · ');
  return (
    <div className={compact ? 'progress compact' : 'progress'}>
      <div
        className={fraction === undefined ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-label={label ?? t('progress.label')}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total !== undefined ? done : undefined}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={fraction !== undefined ? { width: `${(fraction * 100).toFixed(1)}%` } : undefined} />
      </div>
      <div className="progress-text">
        {text}
        {progress?.message && !compact ? <span className="muted"> — {progress.message}</span> : null}
      </div>
    </div>
  );
}
