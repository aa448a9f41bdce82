import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../src-main/api/contract';
import { call, mediaUrl } from '../api/client';
import { EmptyPage, EmptyState, ErrorNotice, Kbd, Spinner } from '../components/Common';
import { Histogram } from '../components/Histogram';
import { Icon } from '../components/icons';
import { Thumb } from '../components/ListingCard';
import { VirtualList } from '../components/VirtualList';
import { downloadText } from '../download';
import { familyLabel } from '../family-label';
import { formatNumber, formatProbability, formatScore } from '../format';
import { useCall } from '../hooks/useCall';
import { useHotkeys } from '../hooks/useHotkeys';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import type { StringKey } from '../i18n/strings';
import { plausibleAlternatives, scoresDisagree } from '../mismatch-signals';
import { useToasts } from '../state/toasts';
import type { PageProps } from './page-props';

type ListOutput = MethodOutput<'mismatch.list'>;
type Item = ListOutput['items'][number];
type Decision = 'accept' | 'flag' | 'skip';
type DecisionFilter = 'any' | 'undecided' | 'accept' | 'flag' | 'skip';

const DECISION_LABEL: Record<Decision, StringKey> = { accept: 'mm.decision.accept', flag: 'mm.decision.flag', skip: 'mm.decision.skip' };
const DECISION_TONE: Record<Decision, string> = { accept: 'badge ok', flag: 'badge danger', skip: 'badge' };

export const DEFAULT_BELOW = 0.5;

export function MismatchPage({ status, navigate }: PageProps) {
  const { t, language } = useI18n();
  const toasts = useToasts();
  // The queue opens on what needs review (scores below one half), not on every listing.
  const [below, setBelow] = usePersistentState<number>('mm.threshold', DEFAULT_BELOW);
  const [draft, setDraft] = useState(below);
  const [filter, setFilter] = usePersistentState<DecisionFilter>('mm.filter', 'any');
  useEffect(() => {
    if (draft === below) return;
    const timer = setTimeout(() => setBelow(draft), 350);
    return () => clearTimeout(timer);
  }, [draft, below, setBelow]);
  const list = useCall('mismatch.list', { ...(below < 1 ? { below } : {}), decision: filter, limit: 1000, alternatives: 3, bins: 20 });
  const [items, setItems] = useState<Item[]>([]);
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (list.data) setItems(list.data.items);
  }, [list.data]);
  const item = items[Math.min(index, items.length - 1)];
  const data = list.data;
  const sigmoid = data?.scoreField === 'probability';

  const setDecisionOf = (listing: string, decision: Item['decision']) => setItems((old) => old.map((i) => (i.listing === listing ? { ...i, decision } : i)));

  const decide = async (decision: Decision) => {
    if (!item) return;
    try {
      const out = await call('mismatch.decide', { listing: item.listing, decision, model: data?.model.id });
      setDecisionOf(item.listing, out.decision);
      setIndex((i) => Math.min(items.length - 1, i + 1));
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  const undo = async () => {
    try {
      const out = await call('mismatch.undo', {});
      if (!out.undone) return toasts.show({ kind: 'info', message: t('mm.nothingToUndo') });
      setDecisionOf(out.undone.listing, out.current);
      const at = items.findIndex((i) => i.listing === out.undone?.listing);
      if (at >= 0) setIndex(at);
      toasts.show({ kind: 'info', message: t('mm.undone', { id: out.undone.listing }) });
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  const exportCsv = async () => {
    try {
      const out = await call('mismatch.export', { format: 'csv', what: 'decisions' });
      downloadText(out.text, out.filename, out.mime);
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  useHotkeys({
    a: () => void decide('accept'),
    f: () => void decide('flag'),
    s: () => void decide('skip'),
    u: () => void undo(),
    'mod+z': () => void undo(),
    j: () => setIndex((i) => Math.min(items.length - 1, i + 1)),
    ArrowDown: () => setIndex((i) => Math.min(items.length - 1, i + 1)),
    k: () => setIndex((i) => Math.max(0, i - 1)),
    ArrowUp: () => setIndex((i) => Math.max(0, i - 1)),
  });

  const score = (i: Item) => (sigmoid ? i.probability : i.relativeScore);
  const scoreText = (v: number | null) => (v === null ? '—' : sigmoid ? formatProbability(language, v) : formatScore(v));
  const decided = useMemo(() => items.filter((i) => i.decision).length, [items]);
  const alternatives = item ? plausibleAlternatives(item, item.alternatives) : [];
  const disagreement = item ? scoresDisagree(item) : null;

  if (status && status.listings === 0) {
    return <EmptyPage heading={t('nav.mismatch')} icon="mismatch" title={t('mm.empty.title')} body={t('mm.empty.body')} action={{ label: t('common.goCatalog'), onClick: () => navigate('catalog') }} />;
  }

  return (
    <section className="page" aria-labelledby="mm-title">
      <div className="page-head">
        <div>
          <h1 id="mm-title">{t('nav.mismatch')}</h1>
          <p className="lead">{t('mm.lead')}</p>
        </div>
        <button type="button" onClick={() => void exportCsv()}>
          {t('mm.export')}
        </button>
      </div>

      <div className="toolbar">
        <label className="slider">
          <span>{sigmoid || !data ? t('mm.below') : t('mm.belowRelative')}</span>
          <input type="range" min={0} max={1} step={0.01} value={draft} onChange={(e) => setDraft(Number(e.target.value))} aria-valuetext={draft >= 1 ? t('mm.belowAll') : formatScore(draft)} />
          <output>{draft >= 1 ? t('mm.belowAll') : sigmoid ? formatProbability(language, draft) : formatScore(draft)}</output>
        </label>
        <label className="inline-field">
          <span>{t('mm.show')}</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as DecisionFilter)}>
            <option value="any">{t('mm.filter.any')}</option>
            <option value="undecided">{t('mm.filter.undecided')}</option>
            <option value="flag">{t('mm.filter.flag')}</option>
            <option value="accept">{t('mm.filter.accept')}</option>
            <option value="skip">{t('mm.filter.skip')}</option>
          </select>
        </label>
        {data ? (
          <span className="muted small">
            {t('mm.model', { model: data.model.name })}
            {data.relativeModel ? ` · ${t('mm.relativeModel', { model: data.relativeModel.name })}` : ''}
          </span>
        ) : null}
      </div>

      {data?.notices.map((n) => (
        <div key={n.code} className={n.code === 'relative_only' ? 'notice info' : 'notice warn'} role="note">
          {n.code === 'language_warning'
            ? t('mm.notice.language', { n: n.count ?? 0 })
            : n.code === 'relative_only'
              ? t('mm.notice.relativeOnly')
              : n.code === 'unreadable_images'
                ? t('mm.notice.unreadable', { n: n.count ?? 0 })
                : t('mm.notice.noCategories')}
        </div>
      ))}

      {data ? (
        <div className="chart-pair">
          <div className="card chart-card">
            <div className="chart-head">
              <h2>{sigmoid ? t('mm.chart.probability') : t('mm.chart.relative')}</h2>
              <span className="muted small">{t('mm.chart.scored', { n: formatNumber(language, data.coverage.scored) })}</span>
            </div>
            <Histogram
              bins={data.histogram}
              label={t('mm.chart.label')}
              markers={below < 1 ? [{ value: below, label: t('mm.chart.threshold') }] : []}
              highlight={below < 1 ? { from: 0, to: below } : undefined}
              xLabel={sigmoid ? t('mm.chart.xProbability') : t('mm.chart.xRelative')}
              height={140}
            />
          </div>
          {data.relativeHistogram && data.relativeModel ? (
            <div className="card chart-card">
              <div className="chart-head">
                <h2>{t('mm.chart.relative')}</h2>
                <span className="muted small">{data.relativeModel.id}</span>
              </div>
              <Histogram bins={data.relativeHistogram} label={t('mm.chart.relativeLabel')} xLabel={t('mm.chart.xRelative')} height={140} />
            </div>
          ) : null}
        </div>
      ) : null}

      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {!data && list.loading ? <Spinner label={t('mm.loading')} /> : null}
      {data && items.length === 0 ? (
        <EmptyState icon={<Icon name="check" size={28} />} title={t('mm.none.title')}>
          <p>{t('mm.none.body')}</p>
        </EmptyState>
      ) : null}

      {item && data ? (
        <div className="review">
          <div className="review-list">
            <div className="review-list-head muted small">
              {t('mm.queue', { n: formatNumber(language, data.total), decided: formatNumber(language, decided) })}
              {list.loading ? <span className="spinner" aria-hidden="true" /> : null}
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
                      {scoreText(score(i))}
                      {i.languageWarning ? ` · ${t('mm.langShort')}` : ''}
                    </span>
                  </span>
                  {i.decision ? <span className={DECISION_TONE[i.decision.decision]}>{t(DECISION_LABEL[i.decision.decision])}</span> : null}
                </button>
              )}
            />
          </div>
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
        </div>
      ) : null}
    </section>
  );
}

function Meter({ value, tone }: { value: number; tone?: 'b' }) {
  return (
    <div className={tone === 'b' ? 'meter tone-b' : 'meter'} aria-hidden="true">
      <div style={{ width: `${Math.max(1, Math.min(100, value * 100))}%` }} />
    </div>
  );
}
