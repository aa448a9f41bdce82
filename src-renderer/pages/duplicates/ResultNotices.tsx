import type { DuplicatesWarning } from '../../../src-main/api/schemas/duplicates';
import { EmptyState, ErrorNotice, Spinner } from '../../components/Common';
import { Icon } from '../../components/icons';
import type { CallState } from '../../hooks/useCall';
import { useI18n } from '../../i18n';

/**
 * Error, warnings, first-load spinner and "nothing found" of a duplicates call; `spinner: false`
 * where the page shows the work's progress itself (a backend job's).
 */
export function ResultNotices({ state, empty, emptyBody, spinner = true }: { state: CallState<{ warnings: DuplicatesWarning[] }>; empty: boolean; emptyBody: string; spinner?: boolean }) {
  const { t } = useI18n();
  const word = (w: DuplicatesWarning) =>
    w.code === 'hashes_only'
      ? t('dup.warn.hashesOnly')
      : w.code === 'missing_vectors'
        ? t('dup.warn.missingVectors', { n: w.count ?? 0, total: w.total ?? 0, model: w.model ?? '' })
        : w.code === 'no_listings'
          ? t('dup.warn.noListings')
          : t('dup.warn.noSimilar');
  return (
    <>
      {state.error ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {state.data?.warnings.map((w) => (
        <div key={w.code} className="notice warn" role="note">
          {word(w)}
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
