import { type ReactNode, useEffect, useState } from 'react';
import { call } from '../../api/client';
import { JobProgress } from '../../components/JobProgress';
import { downloadText } from '../../download';
import { useCall } from '../../hooks/useCall';
import { useHotkeys } from '../../hooks/useHotkeys';
import { useJobCall } from '../../hooks/useJobCall';
import { usePersistentState } from '../../hooks/usePersistentState';
import { useI18n } from '../../i18n';
import { useToasts } from '../../state/toasts';
import { GroupDetail } from './GroupDetail';
import { GroupList } from './GroupList';
import { ResultNotices } from './ResultNotices';
import { ScoreChart } from './ScoreChart';
import type { Tier } from './tiers';
import { type GroupSort, TierToolbar } from './TierToolbar';
import { useGroupReview } from './useGroupReview';

/** Groups of images (exact, near, similar) with decisions: the Duplicates page's first mode. */
export function ImageDuplicates({ modes }: { modes: ReactNode }) {
  const { t } = useI18n();
  const toasts = useToasts();
  const [tier, setTier] = usePersistentState<Tier>('dup.tier', 'near');
  const [thresholds, setThresholds] = usePersistentState<Partial<Record<Tier, number>>>('dup.thresholds', {});
  const [sort, setSort] = usePersistentState<GroupSort>('dup.sort', 'size');
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
  // A job of the backend: a reload or another tab finds it running, and Cancel stops it.
  const find = useJobCall('duplicates.find', { ...settings, sort, limit: 5000 });
  // Asked once the job is done, so it reads the candidate graph the job built instead of building
  // it a second time beside the job (and a Cancel stops all the work).
  const dist = useCall('duplicates.distribution', { ...settings, bins: 100 }, find.data !== undefined && !find.loading);
  const [index, setIndex] = useState(0);
  const groups = find.data?.groups ?? [];
  const group = groups[Math.min(index, groups.length - 1)];
  const applied = find.data?.settings ?? dist.data?.settings;
  const shownThreshold = draft ?? applied?.threshold ?? undefined;

  const move = (delta: number) => setIndex((i) => Math.max(0, Math.min(groups.length - 1, i + delta)));

  const { keep, setKeep, verdicts, setVerdict, save } = useGroupReview(group, () => {
    find.reload();
    move(1);
  });

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

      <TierToolbar tier={tier} setTier={setTier} threshold={shownThreshold} setThreshold={setDraft} sort={sort} setSort={setSort} />

      <JobProgress state={find} hint={t('dup.loading')} testId="dup-job" />

      {dist.data ? <ScoreChart distribution={dist.data} threshold={shownThreshold} marked={tier !== 'exact'} /> : null}

      <ResultNotices state={find} empty={groups.length === 0} emptyBody={t('dup.none.body')} spinner={false} />

      {group ? (
        <div className="review">
          <GroupList groups={groups} total={find.data?.totalGroups ?? groups.length} loading={find.loading} index={index} onSelect={setIndex} />
          <GroupDetail group={group} keep={keep} setKeep={setKeep} verdicts={verdicts} setVerdict={setVerdict} onSave={() => void save()} onAll={(v) => void save(v)} />
        </div>
      ) : null}
    </section>
  );
}
