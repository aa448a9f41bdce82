import { EmptyState, ErrorNotice, Spinner } from '../../components/Common';
import { Icon } from '../../components/icons';
import type { CallState } from '../../hooks/useCall';
import { useI18n } from '../../i18n';

/**
 * Error, warnings, first-load spinner and "nothing found" of a duplicates call; `spinner: false`
 * where the page shows the work's progress itself (a backend job's).
 */
export function ResultNotices({ state, empty, emptyBody, spinner = true }: { state: CallState<{ warnings: string[] }>; empty: boolean; emptyBody: string; spinner?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {state.error ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {state.data?.warnings.map((w) => (
        <div key={w} className="notice warn">
          {w}
        </div>
      ))}
      {spinner && !state.data && state.loading ? <Spinner label={t('dup.loading')} /> : null}
      {state.data && empty ? (
        <EmptyState icon={<Icon name="check" size={28} />} title={t('dup.none.title')}>
          <p>{emptyBody}</p>
        </EmptyState>
      ) : null}
    </>
  );
}
