import { useCallback } from 'react';
import type { ImportSummary } from '../../src-main/api/schemas/catalog';
import { call } from '../api/client';
import { useI18n } from '../i18n';
import { useIntents } from '../state/intents';
import { useJobs } from '../state/jobs';
import { useSearchControls } from '../state/search';
import { useToasts } from '../state/toasts';

/** A query the demo catalog answers well, so the first search already shows results. */
export const DEMO_QUERY = 'striped mug';

/**
 * First run: loads the bundled demo catalog embedded with every bundled demo model (so Compare
 * works too), then lands on Search with results, unless the user went to another page while it
 * loaded (the toast says it is ready; they are not pulled away). Fully offline.
 */
export function useDemoLoader(onDone?: () => void) {
  const { t } = useI18n();
  const jobs = useJobs();
  const intents = useIntents();
  const toasts = useToasts();
  const { hasUserSearch } = useSearchControls();
  const job = jobs.latest('demo');
  const load = useCallback(async () => {
    let navigated = false;
    const onNavigate = () => {
      navigated = true;
    };
    window.addEventListener('hashchange', onNavigate);
    try {
      const { models } = await call('models.list', {});
      const demo = models.filter((m) => m.demo && m.status === 'ok').map((m) => m.id);
      // A job of the backend: it goes on through a reload, and any page shows its progress.
      const summary = (await jobs.start('catalog.loadDemo', demo.length ? { models: demo } : {})) as ImportSummary | undefined;
      if (!summary) return;
      onDone?.();
      toasts.show({ kind: 'success', message: t('demo.loaded', { listings: summary.listings, images: summary.indexed + summary.cached }) });
      // Land on a search with results, unless the user has a search of their own or is busy elsewhere.
      if (!hasUserSearch() && !navigated) intents.requestSearch({ text: DEMO_QUERY });
    } catch (err) {
      toasts.show({ kind: 'error', message: t('demo.failed', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      window.removeEventListener('hashchange', onNavigate);
    }
  }, [jobs, t, intents, toasts, hasUserSearch, onDone]);
  return { load, running: job?.state === 'running', job };
}
