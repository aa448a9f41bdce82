import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';
import { EmptyPage, Kbd } from '../components/Common';
import { Histogram, binsFromEdges, trimBins } from '../components/Histogram';
import { DuplicateAgainstView, DuplicateListingsView, ResultNotices } from '../components/DuplicateListings';
import { ListingCard, Thumb } from '../components/ListingCard';
import { VirtualList } from '../components/VirtualList';
import { downloadText } from '../download';
import { formatNumber, formatScore } from '../format';
import { useCall } from '../hooks/useCall';
import { useHotkeys } from '../hooks/useHotkeys';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import type { StringKey } from '../i18n/strings';
import { baseName, photoCount, photoName, photosOnly } from '../photo-name';
import { useToasts } from '../state/toasts';
import type { PageProps } from './page-props';

type Tier = 'exact' | 'near' | 'similar';
type Mode = 'images' | 'listings' | 'against';

const MODES: Array<{ id: Mode; label: StringKey }> = [
  { id: 'images', label: 'dup.mode.images' },
  { id: 'listings', label: 'dup.mode.listings' },
  { id: 'against', label: 'dup.mode.against' },
];
type Group = MethodOutput<'duplicates.find'>['groups'][number];
type Verdict = 'duplicate' | 'not_duplicate';

const TIERS: Array<{ id: Tier; label: StringKey; hint: StringKey }> = [
  { id: 'exact', label: 'dup.tier.exact', hint: 'dup.tier.exactHint' },
  { id: 'near', label: 'dup.tier.near', hint: 'dup.tier.nearHint' },
  { id: 'similar', label: 'dup.tier.similar', hint: 'dup.tier.similarHint' },
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
      {mode === 'listings' ? <DuplicateListingsView /> : <DuplicateAgainstView />}
    </section>
  );
}

/** Groups of images (exact, near, similar) with decisions: the page's first mode. */
function ImageDuplicates({ modes }: { modes: ReactNode }) {
  const { t, language } = useI18n();
  const toasts = useToasts();
  const [tier, setTier] = usePersistentState<Tier>('dup.tier', 'near');
  const [thresholds, setThresholds] = usePersistentState<Partial<Record<Tier, number>>>('dup.thresholds', {});
  const [sort, setSort] = usePersistentState<'size' | 'sellers'>('dup.sort', 'size');
  const threshold = thresholds[tier];
  const [draft, setDraft] = useState<number | undefined>(threshold);
  useEffect(() => setDraft(threshold), [threshold, tier]);
  // The slider commits after the hand stops moving, not on every step.
  useEffect(() => {
    if (draft === threshold) return;
    const timer = setTimeout(() => setThresholds({ ...thresholds, [tier]: draft }), 350);
    return () => clearTimeout(timer);
  }, [draft, threshold, thresholds, tier, setThresholds]);

  const settings = { tier, ...(threshold !== undefined && tier !== 'exact' ? { threshold } : {}) };
  const find = useCall('duplicates.find', { ...settings, sort, limit: 5000 });
  const dist = useCall('duplicates.distribution', { ...settings, bins: 100 });
  const [index, setIndex] = useState(0);
  const groups = find.data?.groups ?? [];
  const group = groups[Math.min(index, groups.length - 1)];
  const applied = find.data?.settings ?? dist.data?.settings;
  const shownThreshold = draft ?? applied?.threshold ?? undefined;

  const move = (delta: number) => setIndex((i) => Math.max(0, Math.min(groups.length - 1, i + delta)));

  const [keep, setKeep] = useState<string>();
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  useEffect(() => {
    if (!group) return;
    const kept = group.images.find((i) => i.keep)?.sha256 ?? group.images[0]?.sha256;
    setKeep(kept);
    const v: Record<string, Verdict> = {};
    for (const p of group.pairs) {
      if (!p.decision) continue;
      if (p.a === kept) v[p.b] = p.decision;
      else if (p.b === kept) v[p.a] = p.decision;
    }
    setVerdicts(v);
  }, [group]);

  const save = async (all?: Verdict) => {
    if (!group || !keep) return;
    const others = group.images.map((i) => i.sha256).filter((s) => s !== keep);
    const verdictOf = (s: string): Verdict => all ?? verdicts[s] ?? 'duplicate';
    try {
      await call('duplicates.decide', {
        group: { keep, duplicates: others.filter((s) => verdictOf(s) === 'duplicate'), notDuplicates: others.filter((s) => verdictOf(s) === 'not_duplicate') },
      });
      toasts.show({ kind: 'success', message: t('dup.saved') });
      find.reload();
      move(1);
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  const exportAs = async (format: 'csv' | 'json', what: 'groups' | 'decisions') => {
    try {
      const out = await call('duplicates.export', { ...settings, format, what });
      downloadText(out.text, out.filename, out.mime);
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  useHotkeys({
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    d: () => void save('duplicate'),
    n: () => void save('not_duplicate'),
    Enter: () => void save(),
    ...Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [String(i + 1), () => group?.images[i] && setKeep(group.images[i]!.sha256)]),
    ),
  });

  const histogram = useMemo(() => {
    if (!dist.data) return undefined;
    const h = dist.data.cosine.all;
    const bins = binsFromEdges(h.edges, h.counts);
    return trimBins(bins, shownThreshold !== undefined ? [shownThreshold] : []);
  }, [dist.data, shownThreshold]);

  return (
    <section className="page" aria-labelledby="dup-title">
      <div className="page-head">
        <div>
          <h1 id="dup-title">{t('nav.duplicates')}</h1>
          <p className="lead">{t('dup.lead')}</p>
        </div>
        {modes}
        <button type="button" onClick={() => void exportAs('csv', 'groups')}>
          {t('dup.exportCsv')}
        </button>
        <button type="button" onClick={() => void exportAs('json', 'decisions')}>
          {t('dup.exportDecisions')}
        </button>
      </div>

      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('dup.tier')}>
          {TIERS.map((x) => (
            <button key={x.id} type="button" aria-pressed={tier === x.id} title={t(x.hint)} onClick={() => setTier(x.id)}>
              {t(x.label)}
            </button>
          ))}
        </div>
        {tier !== 'exact' ? (
          <label className="slider">
            <span>{t('dup.threshold')}</span>
            <input
              type="range"
              min={0.5}
              max={1}
              step={0.005}
              value={shownThreshold ?? 0.9}
              onChange={(e) => setDraft(Number(e.target.value))}
              aria-valuetext={formatScore(shownThreshold ?? 0.9)}
            />
            <output>{shownThreshold !== undefined ? formatScore(shownThreshold) : '—'}</output>
          </label>
        ) : null}
        <label className="inline-field">
          <span>{t('dup.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as 'size' | 'sellers')}>
            <option value="size">{t('dup.sort.size')}</option>
            <option value="sellers">{t('dup.sort.sellers')}</option>
          </select>
        </label>
      </div>
      <p className="muted small tier-hint">{t(TIERS.find((x) => x.id === tier)!.hint)}</p>

      {histogram && dist.data ? (
        <div className="card chart-card">
          <div className="chart-head">
            <h2>{t('dup.chart.title')}</h2>
            <span className="muted small">{t('dup.chart.pairs', { n: formatNumber(language, dist.data.pairs) })}</span>
          </div>
          <Histogram
            bins={histogram}
            label={t('dup.chart.label', { n: dist.data.pairs })}
            markers={shownThreshold !== undefined && tier !== 'exact' ? [{ value: shownThreshold, label: t('dup.chart.threshold', { v: formatScore(shownThreshold) }) }] : []}
            highlight={shownThreshold !== undefined && tier !== 'exact' ? { from: shownThreshold, to: 1 } : undefined}
            xLabel={t('dup.chart.x')}
            height={150}
          />
        </div>
      ) : null}

      <ResultNotices state={find} empty={groups.length === 0} emptyBody={t('dup.none.body')} />

      {group ? (
        <div className="review">
          <div className="review-list">
            <div className="review-list-head muted small">
              {t('dup.groups', { n: formatNumber(language, find.data?.totalGroups ?? groups.length) })} {find.loading ? <span className="spinner" aria-hidden="true" /> : null}
            </div>
            <VirtualList
              items={groups}
              rowHeight={64}
              label={t('dup.groupList')}
              activeIndex={index}
              getKey={(g) => g.id}
              renderItem={(g, i) => (
                <button type="button" className={i === index ? 'group-row active' : 'group-row'} aria-current={i === index ? 'true' : undefined} onClick={() => setIndex(i)}>
                  <Thumb sha256={g.images[0]!.sha256} alt="" size={44} />
                  <span className="group-row-text">
                    <span className="group-row-title">{photoName(g.images[0]!)}</span>
                    <span className="muted small">{photosOnly(g) ? t('dup.groupMetaPhotos', { n: photoCount(g) }) : t('dup.groupMeta', { size: g.size, sellers: g.sellers })}</span>
                  </span>
                  {g.images.some((im) => im.keep) ? (
                    <span className="badge ok" title={t('dup.reviewed')}>
                      ✓
                    </span>
                  ) : null}
                </button>
              )}
            />
          </div>
          <GroupDetail
            group={group}
            keep={keep}
            setKeep={setKeep}
            verdicts={verdicts}
            setVerdict={(sha, v) => setVerdicts((old) => ({ ...old, [sha]: v }))}
            onSave={() => void save()}
            onAll={(v) => void save(v)}
          />
        </div>
      ) : null}
    </section>
  );
}

function GroupDetail({
  group,
  keep,
  setKeep,
  verdicts,
  setVerdict,
  onSave,
  onAll,
}: {
  group: Group;
  keep?: string;
  setKeep: (s: string) => void;
  verdicts: Record<string, Verdict>;
  setVerdict: (sha: string, v: Verdict) => void;
  onSave: () => void;
  onAll: (v: Verdict) => void;
}) {
  const { t } = useI18n();
  const [allPairs, setAllPairs] = useState(false);
  const titleOf = (sha: string) => {
    const img = group.images.find((i) => i.sha256 === sha);
    return img?.listings[0]?.id ?? (img ? photoName(img) : sha.slice(0, 10));
  };
  const pairs = allPairs ? group.pairs : group.pairs.slice(0, 12);
  return (
    <div className="review-detail" data-testid="dup-group">
      <div className="row review-actions">
        <h2>{photosOnly(group) ? t('dup.groupTitlePhotos', { id: group.id, n: photoCount(group) }) : t('dup.groupTitle', { id: group.id, size: group.size, sellers: group.sellers })}</h2>
        <span className="spacer" />
        <button type="button" onClick={() => onAll('not_duplicate')} title={`${t('dup.allNot')} (N)`} aria-keyshortcuts="N">
          {t('dup.allNot')} <Kbd keys="n" />
        </button>
        <button type="button" className="primary" onClick={() => onAll('duplicate')} title={`${t('dup.allDup')} (D)`} aria-keyshortcuts="D">
          {t('dup.allDup')} <Kbd keys="d" />
        </button>
      </div>
      <p className="muted small">{t('dup.keysHint')}</p>
      <div className="group-images">
        {group.images.map((img, i) => {
          const listing = img.listings[0];
          const isKeep = img.sha256 === keep;
          const verdict = verdicts[img.sha256] ?? 'duplicate';
          return (
            <div key={img.sha256} className="group-image">
              <ListingCard
                sha256={img.sha256}
                name={photoName(img)}
                path={img.paths[0]}
                listing={listing ? { id: listing.id, title: listing.title, price: listing.price, seller: listing.seller, category: listing.category } : undefined}
                rank={i < 9 ? i + 1 : undefined}
                selected={isKeep}
                score={img.keep ? t('dup.kept') : img.centre ? t('dup.centre') : undefined}
                footer={
                  <div className="image-controls">
                    <label className="radio">
                      <input type="radio" name={`keep-${group.id}`} checked={isKeep} onChange={() => setKeep(img.sha256)} />
                      {t('dup.keepThis')}
                    </label>
                    {!isKeep ? (
                      <select aria-label={t('dup.verdictFor', { id: listing?.id ?? img.sha256.slice(0, 10) })} value={verdict} onChange={(e) => setVerdict(img.sha256, e.target.value as Verdict)}>
                        <option value="duplicate">{t('dup.verdict.duplicate')}</option>
                        <option value="not_duplicate">{t('dup.verdict.not')}</option>
                      </select>
                    ) : null}
                  </div>
                }
              />
              {img.listings.length > 1 ? <div className="muted small">{t('dup.moreListings', { n: img.listings.length - 1 })}</div> : null}
              {img.paths.length > 1 ? (
                <div className="muted small same-file" data-testid="dup-same-file">
                  {t('dup.sameFile', { n: img.paths.length })}
                  <ul>
                    {img.paths.map((p) => (
                      <li key={p} title={p}>
                        {baseName(p)}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="row">
        <button type="button" className="primary" onClick={onSave} title={`${t('dup.save')} (Enter)`}>
          {t('dup.save')}
        </button>
      </div>
      <h3>{t('dup.evidence')}</h3>
      <table className="data" aria-label={t('dup.evidence')}>
        <thead>
          <tr>
            <th>{t('dup.col.a')}</th>
            <th>{t('dup.col.b')}</th>
            <th className="num">{t('dup.col.hash')}</th>
            <th className="num">{t('dup.col.cosine')}</th>
            <th className="num" title={t('dup.col.alignment.hint')}>
              {t('dup.col.alignment')}
            </th>
            <th className="num" title={t('dup.col.frame.hint')}>
              {t('dup.col.frame')}
            </th>
            <th className="num" title={t('dup.col.colour.hint')}>
              {t('dup.col.colour')}
            </th>
            <th>{t('dup.col.tier')}</th>
            <th>{t('dup.col.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.a}-${p.b}`}>
              <td>
                <span className="pair-cell">
                  <Thumb sha256={p.a} alt="" size={28} /> {titleOf(p.a)}
                </span>
              </td>
              <td>
                <span className="pair-cell">
                  <Thumb sha256={p.b} alt="" size={28} /> {titleOf(p.b)}
                </span>
              </td>
              <td className="num">{t('dup.bits', { n: p.hashDistance })}</td>
              <td className="num">{p.cosine !== null ? formatScore(p.cosine) : '—'}</td>
              <td className="num">{p.alignment !== null ? formatScore(p.alignment) : '—'}</td>
              <td className="num">{p.frame !== null ? formatScore(p.frame) : '—'}</td>
              <td className="num">{p.colourDistance !== null ? t('dup.degrees', { n: Math.round(p.colourDistance) }) : '—'}</td>
              <td>
                {p.tier ? <span className="badge">{t(TIERS.find((x) => x.id === p.tier)!.label)}</span> : '—'}
                {p.otherColour ? (
                  <span className="badge accent" title={t('dup.otherColour.hint')}>
                    {t('dup.otherColour')}
                  </span>
                ) : null}
              </td>
              <td>
                {p.decision ? (
                  <span className={p.decision === 'duplicate' ? 'badge danger' : 'badge ok'}>{t(p.decision === 'duplicate' ? 'dup.verdict.duplicate' : 'dup.verdict.not')}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {group.pairs.length > pairs.length ? (
        <button type="button" className="link" onClick={() => setAllPairs(true)}>
          {t('dup.allPairs', { n: group.pairs.length })}
        </button>
      ) : null}
    </div>
  );
}
