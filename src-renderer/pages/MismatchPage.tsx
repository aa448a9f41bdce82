import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';
import { EmptyPage, EmptyState, ErrorNotice } from '../components/Common';
import { Icon } from '../components/icons';
import { JobProgress } from '../components/JobProgress';
import { downloadText } from '../download';
import { formatProbability, formatScore } from '../format';
import { useHotkeys } from '../hooks/useHotkeys';
import { useJobCall } from '../hooks/useJobCall';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import { markCatalogChanged } from '../state/catalog-changes';
import { useToasts } from '../state/toasts';
import type { Decision } from './mismatch/decisions';
import { MismatchItem } from './mismatch/MismatchItem';
import { ReviewQueue } from './mismatch/ReviewQueue';
import { ScoreCharts } from './mismatch/ScoreCharts';
import type { PageProps } from './page-props';

type Item = MethodOutput<'mismatch.list'>['items'][number];
type DecisionFilter = 'any' | 'undecided' | 'accept' | 'flag' | 'skip';

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
  // A job of the backend: a reload or another tab finds it running, and Cancel stops it.
  const list = useJobCall('mismatch.list', { ...(below < 1 ? { below } : {}), decision: filter, limit: 1000, alternatives: 3, bins: 20 });
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
      markCatalogChanged();
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
      markCatalogChanged();
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

      <JobProgress state={list} hint={t('mm.loading')} testId="mm-job" />

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

      {data ? <ScoreCharts data={data} below={below} /> : null}

      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {data && items.length === 0 ? (
        <EmptyState icon={<Icon name="check" size={28} />} title={t('mm.none.title')}>
          <p>{t('mm.none.body')}</p>
        </EmptyState>
      ) : null}

      {item && data ? (
        <div className="review">
          <ReviewQueue items={items} total={data.total} decided={decided} loading={list.loading} index={index} setIndex={setIndex} scoreLabel={(i) => scoreText(score(i))} />
          <MismatchItem item={item} data={data} decide={decide} undo={undo} />
        </div>
      ) : null}
    </section>
  );
}
