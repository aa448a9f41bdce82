import { EmptyState } from '../../components/Common';
import { Icon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { useDemoLoader } from '../../hooks/useDemoLoader';
import { useI18n } from '../../i18n';

/** An empty catalog: offer the bundled demo (with its progress) or an import. */
export function FirstRun({ navigate }: { navigate: (page: string) => void }) {
  const { t } = useI18n();
  const demo = useDemoLoader();
  return (
    <EmptyState
      icon={<Icon name="search" size={28} />}
      title={t('search.firstRun.title')}
      actions={
        <>
          <button type="button" className="primary" onClick={() => void demo.load()} disabled={demo.running}>
            {t('demo.button')}
          </button>
          <button type="button" onClick={() => navigate('catalog')}>
            {t('search.firstRun.import')}
          </button>
        </>
      }
    >
      <p>{t('search.firstRun.body')}</p>
      {demo.running ? (
        <div className="first-run-progress">
          <ProgressBar progress={demo.job?.progress} label={t('demo.loading')} />
        </div>
      ) : null}
    </EmptyState>
  );
}
