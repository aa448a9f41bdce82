import type { MethodOutput } from '../../../src-main/api/contract';
import { mediaUrl } from '../../api/client';
import { Kbd } from '../../components/Common';
import { Icon } from '../../components/icons';
import { familyLabel } from '../../family-label';
import { formatProbability, formatScore } from '../../format';
import { useI18n } from '../../i18n';
import { plausibleAlternatives, scoresDisagree } from '../../mismatch-signals';
import { type Decision, DECISION_LABEL } from './decisions';

type ListOutput = MethodOutput<'mismatch.list'>;

interface Props {
  item: ListOutput['items'][number];
  /** The list the item is from: which models scored it. */
  data: ListOutput;
  decide: (decision: Decision) => Promise<void>;
  undo: () => Promise<void>;
}

/** One listing under review: its photo and title, the scores, what it looks more like, and the decision buttons. */
export function MismatchItem({ item, data, decide, undo }: Props) {
  const { t, language } = useI18n();
  const alternatives = plausibleAlternatives(item, item.alternatives);
  const disagreement = scoresDisagree(item);
  return (
    <article className="review-detail mm-item" data-testid="mm-item" aria-label={item.title}>
      <div className="mm-photo">
        <img src={mediaUrl('thumb', item.sha256)} alt={t('mm.photoOf', { id: item.listing })} />
      </div>
      <div className="mm-facts">
        <div className="muted small">
          {item.listing}
          {item.sku ? ` · ${item.sku}` : ''}
          {item.seller ? ` · ${item.seller}` : ''}
          {item.category ? ` · ${item.category}` : ''}
        </div>
        <h2 className="mm-title">{t('mm.quoted', { title: item.title })}</h2>
        {item.imagePath ? (
          <div className="muted small mm-path" title={item.imagePath}>
            {item.imagePath}
          </div>
        ) : null}
        {item.languageWarning ? (
          <div className="notice warn small" role="note">
            {t('mm.languageWarning', { script: item.script ?? '?' })}
          </div>
        ) : null}
        <div className="mm-scores">
          {item.probability !== null ? (
            <div className="score-block">
              <div className="score-label">{t('mm.probability', { model: data.model.kind === 'sigmoid' ? familyLabel(data.model.family) : data.model.id })}</div>
              <div className="score-value" data-testid="mm-probability">
                {formatProbability(language, item.probability)}
              </div>
              <Meter value={item.probability} />
              <div className="muted small">{t('mm.probabilityNote')}</div>
            </div>
          ) : null}
          {item.relativeScore !== null ? (
            <div className="score-block">
              <div className="score-label">{t('mm.relative', { model: (data.model.kind === 'softmax' ? data.model : data.relativeModel)?.id ?? 'CLIP' })}</div>
              <div className="score-value">{formatScore(item.relativeScore)}</div>
              <Meter value={item.relativeScore} tone="b" />
              <div className="muted small">{t('mm.relativeNote')}</div>
            </div>
          ) : null}
        </div>
        {disagreement ? (
          <div className="notice info small mm-disagree" role="note" data-testid="mm-disagree">
            {t(disagreement === 'clipHigher' ? 'mm.disagree.clipHigher' : 'mm.disagree.siglipHigher')}
          </div>
        ) : null}
        {alternatives.length ? (
          <div className="mm-alternatives" data-testid="mm-alternatives">
            <span className="muted small">{t('mm.alternatives')}</span>
            {alternatives.map((a) => (
              <span key={a.text} className="badge accent">
                {a.text} {a.probability !== null ? formatProbability(language, a.probability) : a.relativeScore !== null ? formatScore(a.relativeScore) : ''}
              </span>
            ))}
          </div>
        ) : null}
        <div className="row decision-row">
          <button type="button" className="ok-button" onClick={() => void decide('accept')} aria-keyshortcuts="A" title={`${t('mm.accept')} (A)`}>
            <Icon name="check" /> {t('mm.accept')} <Kbd keys="a" />
          </button>
          <button type="button" className="flag-button" onClick={() => void decide('flag')} aria-keyshortcuts="F" title={`${t('mm.flag')} (F)`}>
            <Icon name="flag" /> {t('mm.flag')} <Kbd keys="f" />
          </button>
          <button type="button" onClick={() => void decide('skip')} aria-keyshortcuts="S" title={`${t('mm.skip')} (S)`}>
            <Icon name="skip" /> {t('mm.skip')} <Kbd keys="s" />
          </button>
          <button type="button" className="ghost" onClick={() => void undo()} aria-keyshortcuts="U Control+Z" title={`${t('mm.undo')} (U, Ctrl+Z)`}>
            <Icon name="undo" /> {t('mm.undo')} <Kbd keys="u" />
          </button>
        </div>
        <div className="muted small" data-testid="mm-current-decision">
          {item.decision ? t('mm.current', { decision: t(DECISION_LABEL[item.decision.decision]) }) : t('mm.undecided')}
        </div>
      </div>
    </article>
  );
}

/** A score from 0 to 1 as a bar. */
function Meter({ value, tone }: { value: number; tone?: 'b' }) {
  return (
    <div className={tone === 'b' ? 'meter tone-b' : 'meter'} aria-hidden="true">
      <div style={{ width: `${Math.max(1, Math.min(100, value * 100))}%` }} />
    </div>
  );
}
