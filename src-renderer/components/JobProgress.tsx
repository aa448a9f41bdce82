import { useEffect, useState } from 'react';
import type { JobCallState } from '../hooks/useJobCall';
import { useI18n } from '../i18n';
import { ProgressBar } from './ProgressBar';

/** An answer on show is replaced in the page by a bar only when its recompute takes longer than this. */
const QUICK_MS = 1000;

/**
 * A page's analysis while its backend job runs: what is happening, the job's progress and Cancel;
 * once cancelled, a notice with Run again. While an earlier answer is on show, only when the new
 * one takes a while, or `always` (a slider move's quick regrouping would otherwise flash a bar).
 */
export function JobProgress({ state, hint, testId, always }: { state: JobCallState<unknown>; hint: string; testId: string; always?: boolean }) {
  const { t } = useI18n();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (!state.loading) return;
    const timer = setTimeout(() => setSlow(true), QUICK_MS);
    return () => clearTimeout(timer);
  }, [state.loading]);
  if (state.cancelled) {
    return (
      <div className="notice warn" role="status" data-testid={`${testId}-cancelled`}>
        <span>{t('jobs.cancelled')}</span>
        <button type="button" onClick={state.reload}>
          {t('jobs.runAgain')}
        </button>
      </div>
    );
  }
  if (!state.loading || (state.data !== undefined && !always && !slow)) return null;
  return (
    <div className="job-progress" data-testid={testId} data-job-id={state.job?.backendId}>
      <span className="job-progress-hint">{hint}</span>
      <ProgressBar progress={state.job?.progress} label={state.job?.label ?? hint} />
      <button type="button" onClick={state.cancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
