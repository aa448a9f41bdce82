import type { MethodOutput } from '../../../src-main/api/contract';
import { Thumb } from '../../components/ListingCard';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { DECISION_LABEL, DECISION_TONE } from './decisions';

type Item = MethodOutput<'mismatch.list'>['items'][number];

interface Props {
  items: Item[];
  /** All listings in the queue, of which `items` are the first. */
  total: number;
  decided: number;
  loading: boolean;
  index: number;
  setIndex: (index: number) => void;
  /** An item's score as the row shows it. */
  scoreLabel: (item: Item) => string;
}

/** The listings to review, one row each with its score and decision, the current one highlighted. */
export function ReviewQueue({ items, total, decided, loading, index, setIndex, scoreLabel }: Props) {
  const { t, language } = useI18n();
  return (
    <div className="review-list">
      <div className="review-list-head muted small">
        {t('mm.queue', { n: formatNumber(language, total), decided: formatNumber(language, decided) })}
        {loading ? <span className="spinner" aria-hidden="true" /> : null}
      </div>
      <VirtualList
        items={items}
        rowHeight={64}
        label={t('mm.queueLabel')}
        activeIndex={index}
        getKey={(i) => i.listing}
        renderItem={(i, n) => (
          <button type="button" className={n === index ? 'group-row active' : 'group-row'} aria-current={n === index ? 'true' : undefined} onClick={() => setIndex(n)}>
            <Thumb sha256={i.sha256} alt="" size={44} />
            <span className="group-row-text">
              <span className="group-row-title">{i.title}</span>
              <span className="muted small">
                {scoreLabel(i)}
                {i.languageWarning ? ` · ${t('mm.langShort')}` : ''}
              </span>
            </span>
            {i.decision ? <span className={DECISION_TONE[i.decision.decision]}>{t(DECISION_LABEL[i.decision.decision])}</span> : null}
          </button>
        )}
      />
    </div>
  );
}
