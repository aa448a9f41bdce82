import { EmptyPage } from '../components/Common';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import type { StringKey } from '../i18n/strings';
import { AgainstSource } from './duplicates/AgainstSource';
import { ImageDuplicates } from './duplicates/ImageDuplicates';
import { ListingDuplicates } from './duplicates/ListingDuplicates';
import type { PageProps } from './page-props';

type Mode = 'images' | 'listings' | 'against';

const MODES: Array<{ id: Mode; label: StringKey }> = [
  { id: 'images', label: 'dup.mode.images' },
  { id: 'listings', label: 'dup.mode.listings' },
  { id: 'against', label: 'dup.mode.against' },
];

export function DuplicatesPage({ navigate, status }: PageProps) {
  const { t } = useI18n();
  const [mode, setMode] = usePersistentState<Mode>('dup.mode', 'images');
  if (status && status.images === 0) {
    return <EmptyPage heading={t('nav.duplicates')} icon="duplicates" title={t('dup.empty.title')} body={t('dup.empty.body')} action={{ label: t('common.goCatalog'), onClick: () => navigate('catalog') }} />;
  }
  const modes = (
    <div className="segmented" role="group" aria-label={t('dup.mode')}>
      {MODES.map((m) => (
        <button key={m.id} type="button" aria-pressed={mode === m.id} onClick={() => setMode(m.id)}>
          {t(m.label)}
        </button>
      ))}
    </div>
  );
  if (mode === 'images') return <ImageDuplicates modes={modes} />;
  return (
    <section className="page" aria-labelledby="dup-title">
      <div className="page-head">
        <div>
          <h1 id="dup-title">{t('nav.duplicates')}</h1>
        </div>
        {modes}
      </div>
      {mode === 'listings' ? <ListingDuplicates /> : <AgainstSource />}
    </section>
  );
}
