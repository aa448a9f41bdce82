import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-main/api/contract';
import { call } from '../../api/client';
import { useI18n } from '../../i18n';
import { markCatalogChanged } from '../../state/catalog-changes';
import { useToasts } from '../../state/toasts';

export type Group = MethodOutput<'duplicates.find'>['groups'][number];
export type Verdict = 'duplicate' | 'not_duplicate';

/**
 * The decision on one group: which image to keep and a verdict on each of the others, starting
 * from what was saved before; save() records it (every other image gets `all` when given).
 */
export function useGroupReview(group: Group | undefined, onSaved: () => void) {
  const { t } = useI18n();
  const toasts = useToasts();
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
      markCatalogChanged();
      toasts.show({ kind: 'success', message: t('dup.saved') });
      onSaved();
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };

  const setVerdict = (sha: string, v: Verdict) => setVerdicts((old) => ({ ...old, [sha]: v }));
  return { keep, setKeep, verdicts, setVerdict, save };
}
