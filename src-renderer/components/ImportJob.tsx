import { useState } from 'react';
import type { ImportSummary } from '../../src-main/api/schemas/catalog';
import { formatNumber } from '../format';
import type { useCall } from '../hooks/useCall';
import { useI18n } from '../i18n';
import { useJobs } from '../state/jobs';
import { ErrorNotice } from './Common';
import { ProgressBar, useDurationLabel } from './ProgressBar';

/**
 * The latest import the backend knows of: its progress and Cancel while it runs (also after a
 * reload or in another tab), Resume when it was cancelled or interrupted, and the report once done.
 */
export function ImportJobView({ kind = 'import' }: { kind?: 'import' | 'demo' | 'repair' }) {
  const { t } = useI18n();
  const jobs = useJobs();
  const job = jobs.latest(kind);
  if (!job) return null;
  const source = job.source ? <span className="import-source" title={job.source}>{job.source}</span> : null;
  if (job.state === 'running') {
    return (
      <div className="import-job" data-testid="import-running">
        <div className="import-job-head">
          <strong>{job.label}</strong> {source}
        </div>
        <ProgressBar progress={job.progress} label={job.label} />
        <button type="button" onClick={job.cancel}>
          {t('common.cancel')}
        </button>
      </div>
    );
  }
  if (job.state === 'cancelled' || job.state === 'interrupted') {
    return (
      <div className="notice warn" role="status" data-testid={`import-${job.state}`}>
        <span>
          {t(job.state === 'cancelled' ? 'catalog.cancelled' : 'catalog.interrupted')} {source}
        </span>
        {job.resume ? (
          <button type="button" onClick={job.resume}>
            {t('catalog.resume')}
          </button>
        ) : null}
        {job.error && job.state === 'cancelled' && job.error !== 'cancelled' ? <span className="small">{job.error}</span> : null}
      </div>
    );
  }
  if (job.state === 'failed') {
    return (
      <div className="notice error" role="alert" data-testid="import-failed">
        <span>{t('catalog.failed', { message: job.error ?? '' })}</span>
        {job.resume ? (
          <button type="button" onClick={job.resume}>
            {t('common.retry')}
          </button>
        ) : null}
      </div>
    );
  }
  return job.result ? <ImportReport summary={job.result as ImportSummary} /> : null;
}

/** What an import did, with failed files and listing problems counted apart, as the history and the CLI count them. */
export function ImportReport({ summary: s }: { summary: ImportSummary }) {
  const { t, language } = useI18n();
  const duration = useDurationLabel();
  const [open, setOpen] = useState<'failures' | 'problems'>();
  const problems = s.problemCount ?? s.rowProblems.length + s.missingCount;
  const clean = s.failedCount === 0 && problems === 0;
  return (
    <div className="import-summary" data-testid="import-summary">
      <div className={clean ? 'notice' : 'notice warn'} role="status">
        <strong>{t(clean ? 'catalog.done' : 'catalog.doneWithProblems')}</strong>
        <span>{t('catalog.done.detail', { indexed: formatNumber(language, s.indexed), cached: formatNumber(language, s.cached), listings: formatNumber(language, s.listings), time: duration(s.seconds) })}</span>
        {s.repaired > 0 ? <span>{t('catalog.repaired', { n: formatNumber(language, s.repaired) })}</span> : null}
      </div>
      <div className="row">
        {s.failedCount > 0 ? (
          <button type="button" className="danger" aria-expanded={open === 'failures'} onClick={() => setOpen((v) => (v === 'failures' ? undefined : 'failures'))}>
            {t('catalog.failedFiles', { n: formatNumber(language, s.failedCount) })}
          </button>
        ) : (
          <span className="badge ok">{t('catalog.noFailures')}</span>
        )}
        {problems > 0 ? (
          <button type="button" className="warn" aria-expanded={open === 'problems'} onClick={() => setOpen((v) => (v === 'problems' ? undefined : 'problems'))}>
            {t('catalog.problems', { n: formatNumber(language, problems) })}
          </button>
        ) : s.listings > 0 ? (
          <span className="badge ok">{t('catalog.noProblems')}</span>
        ) : null}
        {s.pending > 0 ? <span className="badge danger">{t('catalog.stillPending', { n: formatNumber(language, s.pending) })}</span> : null}
      </div>
      {open === 'failures' && s.failedCount > 0 ? <FailureTable failures={s.failed} total={s.failedCount} /> : null}
      {open === 'problems' ? (
        <ProblemTable
          rows={[
            ...s.rowProblems.map((r) => ({ where: r.where, what: r.skipped ? `${r.error} (${t('catalog.rowSkipped')})` : r.error })),
            ...s.missing.map((m) => ({ where: m.where, what: `${m.listing}: ${m.image} — ${m.reason}` })),
          ]}
          total={problems}
        />
      ) : null}
    </div>
  );
}

export function FailureTable({ failures, total }: { failures: Array<{ path: string; error: string }>; total: number }) {
  const { t } = useI18n();
  return <ProblemTable label={t('catalog.failuresTable')} head={[t('catalog.col.file'), t('catalog.col.error')]} rows={failures.map((f) => ({ where: f.path, what: f.error }))} total={total} />;
}

function ProblemTable({ rows, total, label, head }: { rows: Array<{ where: string; what: string }>; total: number; label?: string; head?: [string, string] }) {
  const { t, language } = useI18n();
  return (
    <div className="failures">
      <table className="data" aria-label={label ?? t('catalog.problemsTable')}>
        <thead>
          <tr>
            <th>{head?.[0] ?? t('catalog.col.where')}</th>
            <th>{head?.[1] ?? t('catalog.col.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <code>{r.where}</code>
              </td>
              <td>{r.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length ? <p className="muted small">{t('catalog.moreFailures', { n: formatNumber(language, total - rows.length) })}</p> : null}
    </div>
  );
}

type Run = NonNullable<ReturnType<typeof useCall<'catalog.errors'>>['data']>['runs'][number];

/** Recent import runs: when, what they imported (folders, listing file), how they ended, failed files and listing problems apart. */
export function RunHistory({ runs, error, onRetry }: { runs?: Run[]; error?: Error; onRetry: () => void }) {
  const { t, language } = useI18n();
  if (error) return <ErrorNotice error={error} onRetry={onRetry} />;
  if (!runs || runs.length === 0) return null;
  const when = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <div className="card">
      <h2>{t('catalog.history')}</h2>
      <div className="table-scroll">
        <table className="data run-history" data-testid="run-history">
          <thead>
            <tr>
              <th>{t('catalog.col.when')}</th>
              <th>{t('catalog.col.source')}</th>
              <th>{t('catalog.col.status')}</th>
              <th className="num">{t('catalog.col.seen')}</th>
              <th className="num">{t('catalog.col.indexed')}</th>
              <th className="num">{t('catalog.col.cached')}</th>
              <th className="num">{t('catalog.col.failed')}</th>
              <th className="num">{t('catalog.col.problems')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} run={r} when={when.format(new Date(r.startedAt))} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const STATUS_KEY = {
  completed: 'catalog.status.completed',
  cancelled: 'catalog.status.cancelled',
  running: 'catalog.status.running',
  interrupted: 'catalog.status.interrupted',
  failed: 'catalog.status.failed',
} as const;

/** The end of a long path, where folders differ: "…/products/shoes". */
function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return p.length <= 28 || parts.length <= 2 ? p : `…/${parts.slice(-2).join('/')}`;
}

/** "…/photos/shoes + listings.csv": the folders and listing file a run was given (the full paths on hover). */
export function runSource(inputs: unknown): string {
  const i = (inputs ?? {}) as { paths?: unknown; listings?: unknown };
  const paths = Array.isArray(i.paths) ? i.paths.filter((p): p is string => typeof p === 'string').map(shortPath) : [];
  const parts = paths.slice(0, 2);
  if (paths.length > 2) parts.push(`+${paths.length - 2}`);
  if (typeof i.listings === 'string') parts.push(i.listings.split(/[\\/]/).pop() ?? i.listings);
  return parts.join(' + ');
}

function RunRow({ run, when }: { run: Run; when: string }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState<'failures' | 'problems'>();
  const status = run.status in STATUS_KEY ? STATUS_KEY[run.status as keyof typeof STATUS_KEY] : 'catalog.status.failed';
  const source = runSource(run.inputs) || t('catalog.source.repair');
  const full = [...(((run.inputs ?? {}) as { paths?: string[] }).paths ?? []), ((run.inputs ?? {}) as { listings?: string }).listings].filter(Boolean).join('\n');
  return (
    <>
      <tr>
        <td>{when}</td>
        <td className="run-source" title={full || undefined}>
          {source}
        </td>
        <td>
          <span className={run.status === 'completed' ? 'badge ok' : run.status === 'running' ? 'badge accent' : 'badge danger'}>{t(status)}</span>
          {run.message && run.message !== run.status ? (
            <span className="run-message muted small" title={run.message}>
              {run.message}
            </span>
          ) : null}
        </td>
        <td className="num">{formatNumber(language, run.filesSeen)}</td>
        <td className="num">{formatNumber(language, run.indexed)}</td>
        <td className="num">{formatNumber(language, run.cached)}</td>
        {(['failures', 'problems'] as const).map((which) => {
          const n = which === 'failures' ? run.errorCount || run.failed : run.problems;
          return (
            <td className="num" key={which}>
              {n > 0 ? (
                <button type="button" className="link" aria-expanded={open === which} onClick={() => setOpen((v) => (v === which ? undefined : which))}>
                  {formatNumber(language, n)}
                </button>
              ) : (
                formatNumber(language, n)
              )}
            </td>
          );
        })}
      </tr>
      {open ? (
        <tr>
          <td colSpan={8}>
            {open === 'failures' ? (
              <FailureTable failures={run.errors} total={run.errorCount} />
            ) : (
              <ProblemTable rows={run.problemList.map((p) => ({ where: p.path, what: p.error }))} total={run.problems} />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}
