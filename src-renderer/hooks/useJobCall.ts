import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../src-main/api/contract';
import type { JobInfo, JobKind } from '../../src-main/api/schemas/jobs';
import { ApiCallError, call } from '../api/client';
import { catalogChangedAt } from '../state/catalog-changes';
import { type Job, UI_KIND, useJobs } from '../state/jobs';
import type { CallState } from './useCall';

/** The analyses pages run as jobs of the backend, so a reload, a second tab or a reopened window finds them. */
export type AnalysisKind = Extract<JobKind, 'duplicates.find' | 'mismatch.list' | 'compare.catalog'>;

export interface JobCallState<T> extends CallState<T> {
  /** The backend job computing the next answer, once known and while it runs: its progress, label, cancel. */
  job?: Job;
  /** The run was cancelled (here, in another tab, from the status bar); reload() runs it again. */
  cancelled: boolean;
  cancel: () => void;
}

/** Jobs that change the catalog's images: an answer computed before one of them ran is not reused. */
const WRITERS: JobKind[] = ['catalog.import', 'catalog.loadDemo', 'catalog.repair'];
const WRITER_UI_KINDS = new Set(WRITERS.map((k) => UI_KIND[k]));
/** A finished job's answer is reused this long (the backend keeps the last few in memory). */
const REUSE_MS = 10 * 60_000;
/** JSON with object keys sorted: the same input whatever order its keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A finished job whose answer still describes the catalog: recent, after this window's last change, before any import. */
function reusable(job: JobInfo, writers: JobInfo[]): boolean {
  if (job.state !== 'completed' || !job.hasResult || Date.now() - (job.finishedAt ?? 0) > REUSE_MS || job.startedAt < catalogChangedAt()) return false;
  return !writers.some((w) => w.finishedAt === null || w.finishedAt > job.startedAt);
}

/**
 * A long analysis run as a job the backend owns instead of a call this page holds open. For an
 * input, it reattaches to a job of that kind and input already running (started before a reload,
 * in another tab), shows the answer of one that finished recently, or starts one; its progress is
 * the job's. An input change leaves the previous job to finish (its answer is then reusable).
 * `input` undefined: nothing is started; with `adopt`, the newest job of the kind (any input)
 * is picked up when it runs or finished recently (a page whose input is chosen by a click).
 * When an import ends after the answer on show was started (the page was opened while it ran),
 * the analysis runs again by itself, once per import: the page never stays on a partial catalog.
 */
export function useJobCall<K extends AnalysisKind>(kind: K, input: MethodInput<K> | undefined, options: { adopt?: boolean } = {}): JobCallState<MethodOutput<K>> {
  const { watch, jobs } = useJobs();
  const [data, setData] = useState<MethodOutput<K>>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(input !== undefined);
  const [cancelled, setCancelled] = useState(false);
  const [jobId, setJobId] = useState<number>();
  /** When the job whose answer is on show started (the backend's clock). */
  const [answerFrom, setAnswerFrom] = useState<number>();
  const [nonce, setNonce] = useState(0);
  /** reload() wants a fresh answer, not a kept one. */
  const fresh = useRef(false);
  const cancelWanted = useRef(false);
  const latest = useRef(0);
  const key = input === undefined ? (options.adopt ? 'adopt' : undefined) : canonical(input);

  useEffect(() => {
    if (key === undefined) return;
    const ticket = ++latest.current;
    const current = () => ticket === latest.current;
    const force = fresh.current;
    fresh.current = false;
    cancelWanted.current = false;
    // Adopting shows progress only once a running job is found, not on every visit.
    setLoading(key !== 'adopt');
    setError(undefined);
    setCancelled(false);
    setJobId(undefined);

    const follow = async (info: JobInfo): Promise<JobInfo> => {
      if (!current()) return info;
      setLoading(true);
      setJobId(info.id);
      if (cancelWanted.current) void call('jobs.cancel', { id: info.id }).catch(() => undefined);
      return watch(info);
    };

    const run = async (): Promise<JobInfo | undefined> => {
      const [mine, writers] = await Promise.all([call('jobs.list', { kinds: [kind], limit: 20 }), call('jobs.list', { kinds: WRITERS, limit: 5 })]);
      if (!current()) return undefined;
      const same = key === 'adopt' ? mine.jobs : mine.jobs.filter((j) => canonical(j.input) === key);
      const running = same.find((j) => j.state === 'running');
      if (running) return follow(running);
      const newest = same[0];
      if (newest && !force && reusable(newest, writers.jobs)) return newest;
      if (key === 'adopt') return undefined;
      // Cancelled a moment ago (here before a reload, or in another tab): not started again by itself.
      if (newest?.state === 'cancelled' && !force && Date.now() - (newest.finishedAt ?? 0) < REUSE_MS) return newest;
      return follow(await call('jobs.start', { kind, input: JSON.parse(key) as Record<string, unknown> }));
    };

    // A job's end seen through jobs.list (a dropped connection, another tab) comes without the
    // analysis's answer, which only jobs.get carries.
    const withAnswer = async (info: JobInfo | undefined) => (info?.state === 'completed' && info.result === null && info.hasResult ? call('jobs.get', { id: info.id }) : info);
    run()
      .then(withAnswer)
      .then((final) => {
        if (!current() || !final) return;
        if (final.state === 'completed' && final.result !== null) {
          setData(final.result as MethodOutput<K>);
          setAnswerFrom(final.startedAt);
        } else if (final.state === 'cancelled') setCancelled(true);
        else if (final.state !== 'completed') setError(new ApiCallError('failed', final.error ?? final.state));
        else if (!force) {
          // Finished, but its answer already left the backend's memory: once more, computed afresh.
          fresh.current = true;
          setNonce((n) => n + 1);
        }
      })
      .catch((err: unknown) => {
        if (current()) setError(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        if (!current()) return;
        setLoading(false);
        setJobId(undefined);
      });
    return () => {
      // Unmounted or a new input: this run's answer is no longer wanted (its job goes on).
      if (latest.current === ticket) latest.current++;
    };
  }, [kind, key, nonce, watch]);

  const reload = useCallback(() => {
    fresh.current = true;
    setNonce((n) => n + 1);
  }, []);

  // The newest end of an import (or demo load, repair) this window knows of.
  const catalogWrittenAt = jobs.reduce((at, j) => (WRITER_UI_KINDS.has(j.kind) && j.state !== 'running' ? Math.max(at, j.finishedAt ?? 0) : at), 0);
  const rerunFor = useRef(0);
  useEffect(() => {
    if (answerFrom === undefined || catalogWrittenAt <= answerFrom || catalogWrittenAt <= rerunFor.current) return;
    rerunFor.current = catalogWrittenAt;
    reload();
  }, [answerFrom, catalogWrittenAt, reload]);
  const cancel = useCallback(() => {
    if (jobId === undefined) cancelWanted.current = true;
    else void call('jobs.cancel', { id: jobId }).catch(() => undefined);
  }, [jobId]);
  const job = jobId === undefined ? undefined : jobs.find((j) => j.backendId === jobId && j.state === 'running');
  return { data, error, loading, reload, job, cancelled, cancel };
}
