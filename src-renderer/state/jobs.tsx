import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { MethodInput } from '../../src-main/api/contract';
import type { Progress } from '../../src-main/api/schemas/common';
import type { JobInfo, JobKind } from '../../src-main/api/schemas/jobs';
import { ApiCallError, call } from '../api/client';
import { useI18n } from '../i18n';
import type { StringKey } from '../i18n/strings';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface Job {
  /** "b12" for the backend's job 12, "l3" for work this page runs itself (a model install). */
  key: string;
  /** What kind of work ("import", "demo", "model", ...), so pages find their own jobs. */
  kind: string;
  /** Already translated, shown in the status bar. */
  label: string;
  state: JobState;
  progress?: Progress;
  error?: string;
  result?: unknown;
  startedAt: number;
  /** When a backend job ended (the backend's clock, like startedAt); undefined while it runs. */
  finishedAt?: number;
  /** What the job was started with, so it can be resumed or shown again. */
  input?: unknown;
  /** The backend's words for what it works on ("~/photos + listings.csv"). */
  source?: string;
  /** The backend's job id; undefined for page-run work. */
  backendId?: number;
  cancel: () => void;
  /** Starts an interrupted, cancelled or failed backend job again (a new job with the same input). */
  resume?: () => void;
}

/** The backend's job kinds, as the pages name them. */
export const UI_KIND: Record<JobKind, string> = {
  'catalog.import': 'import',
  'catalog.loadDemo': 'demo',
  'catalog.repair': 'repair',
  'duplicates.find': 'duplicates',
  'duplicates.prepare': 'duplicates-prepare',
  'mismatch.list': 'mismatch',
  'compare.catalog': 'compare',
};
const LABEL: Record<JobKind, StringKey> = {
  'catalog.import': 'catalog.jobLabel',
  'catalog.loadDemo': 'demo.jobLabel',
  'catalog.repair': 'jobs.repairLabel',
  'duplicates.find': 'jobs.duplicatesLabel',
  'duplicates.prepare': 'jobs.prepareLabel',
  'mismatch.list': 'jobs.mismatchLabel',
  'compare.catalog': 'jobs.compareLabel',
};
const STATE: Record<JobInfo['state'], JobState> = { running: 'running', completed: 'done', failed: 'failed', cancelled: 'cancelled', interrupted: 'interrupted' };

/** Jobs started in another tab or window (or by the CLI) are picked up this often. */
const POLL_MS = 3000;
/** A finished job stays on show this long after a reload; interrupted and cancelled ones until resumed. */
const SHOW_DONE_MS = 10 * 60_000;

/**
 * The backend's jobs, asked for as soon as this code runs (before React's first render), so that a
 * reloaded page shows a running import's progress at once. Used by the first poll only.
 */
const prefetched = { at: Date.now(), list: call('jobs.list', { limit: 20 }) };
prefetched.list.catch(() => undefined);
const PREFETCH_FRESH_MS = 2000;

interface Jobs {
  jobs: Job[];
  /** Runs a long call with progress in this page (work the backend does not keep as a job). */
  run: <T>(
    kind: string,
    label: string,
    work: (onProgress: (p: Progress) => void, signal: AbortSignal) => Promise<T>,
    input?: unknown,
  ) => Promise<T | undefined>;
  /**
   * Starts a job the backend owns and follows it: it goes on when this page reloads or closes, and
   * any page picks it up again. Resolves with the method's output, or undefined when cancelled.
   */
  start: <K extends JobKind>(kind: K, input: MethodInput<K>) => Promise<unknown>;
  /** Follows a backend job (started here, in another tab, or before a reload) and resolves with it once it ends. */
  watch: (info: JobInfo) => Promise<JobInfo>;
  latest: (kind: string) => Job | undefined;
  running: Job[];
}

const JobContext = createContext<Jobs | undefined>(undefined);

export function JobProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [jobs, setJobs] = useState<Job[]>([]);
  const next = useRef(1);
  /** Backend jobs this page follows (one jobs.watch each), with who waits for their end. */
  const watched = useRef(new Map<number, Array<(info: JobInfo) => void>>());
  /** Who waits for a job whose watch dropped: handed on when a poll finds it running again, or told when it ended. */
  const orphans = useRef(new Map<number, Array<(info: JobInfo) => void>>());
  const stopWatching = useRef(new AbortController());
  const orphan = useCallback((id: number, waiters: Array<(info: JobInfo) => void>) => {
    if (waiters.length) orphans.current.set(id, [...(orphans.current.get(id) ?? []), ...waiters]);
  }, []);
  const update = useCallback((key: string, patch: Partial<Job>) => setJobs((js) => js.map((j) => (j.key === key ? { ...j, ...patch } : j))), []);
  const tRef = useRef(t);
  tRef.current = t;

  const put = useCallback((job: Job) => {
    // One job per kind on show besides running ones: the newest.
    setJobs((js) => [...js.filter((j) => j.key !== job.key && (j.state === 'running' || j.kind !== job.kind)), job].sort((a, b) => a.startedAt - b.startedAt));
  }, []);

  const fromInfo = useCallback(
    (info: JobInfo): Job => {
      const key = `b${info.id}`;
      const job: Job = {
        key,
        kind: UI_KIND[info.kind],
        label: tRef.current(LABEL[info.kind]),
        state: STATE[info.state],
        progress: info.progress ?? undefined,
        error: info.error ?? undefined,
        result: info.result ?? undefined,
        startedAt: info.startedAt,
        finishedAt: info.finishedAt ?? undefined,
        input: info.input,
        source: info.source,
        backendId: info.id,
        cancel: () => {
          void call('jobs.cancel', { id: info.id }).catch(() => undefined);
        },
      };
      if (info.resumable) job.resume = () => void resumeRef.current(info.id);
      return job;
    },
    [],
  );

  /** Follows a backend job until it ends: progress into the job list, then its final state. */
  const follow = useCallback(
    (info: JobInfo, onEnd?: (info: JobInfo) => void) => {
      const waiting = watched.current.get(info.id);
      if (waiting) {
        if (onEnd) waiting.push(onEnd);
        return;
      }
      const before = orphans.current.get(info.id) ?? [];
      orphans.current.delete(info.id);
      watched.current.set(info.id, onEnd ? [...before, onEnd] : before);
      put(fromInfo(info));
      const key = `b${info.id}`;
      const end = (final: JobInfo) => {
        const waiters = watched.current.get(info.id) ?? [];
        watched.current.delete(info.id);
        put(fromInfo(final));
        for (const w of waiters) w(final);
      };
      call('jobs.watch', { id: info.id }, { signal: stopWatching.current.signal, onProgress: (progress) => update(key, { progress }) })
        .then(end)
        .catch(() => {
          // The connection dropped (the backend restarted, the page is closing): the next poll
          // finds the job again, running or interrupted.
          orphan(info.id, watched.current.get(info.id) ?? []);
          watched.current.delete(info.id);
        });
    },
    [fromInfo, put, update, orphan],
  );

  const resumeRef = useRef<(id: number) => Promise<void>>(async () => {});
  resumeRef.current = async (id: number) => {
    try {
      follow(await call('jobs.resume', { id }));
    } catch (err) {
      setJobs((js) => js.map((j) => (j.backendId === id ? { ...j, error: err instanceof Error ? err.message : String(err) } : j)));
    }
  };

  // On load and every few seconds: the backend's running jobs (started by this page before a
  // reload, another tab, or the CLI) and the latest ended ones that can be resumed.
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const fresh = Date.now() - prefetched.at < PREFETCH_FRESH_MS;
        const { jobs: list } = await (fresh ? prefetched.list : call('jobs.list', { limit: 20 }));
        if (stopped) return;
        const newestPerKind = new Set<string>();
        for (const info of list) {
          if (info.state === 'running') {
            follow(info);
            continue;
          }
          const waiting = orphans.current.get(info.id);
          orphans.current.delete(info.id);
          for (const w of waiting ?? []) w(info);
          if (newestPerKind.has(info.kind)) continue;
          newestPerKind.add(info.kind);
          const recent = info.state === 'completed' && Date.now() - (info.finishedAt ?? 0) < SHOW_DONE_MS;
          if (!info.resumable && !recent) continue;
          const key = `b${info.id}`;
          setJobs((js) => {
            const known = js.find((j) => j.key === key);
            if (known && known.state === STATE[info.state] && Boolean(known.resume) === info.resumable) return js;
            const newer = js.some((j) => j.kind === UI_KIND[info.kind] && j.startedAt > info.startedAt);
            if (newer && !known) return js;
            const job = fromInfo(info);
            return [...js.filter((j) => j.key !== key && (j.state === 'running' || j.kind !== job.kind)), job].sort((a, b) => a.startedAt - b.startedAt);
          });
        }
      } catch (err) {
        // Offline or not signed in: the status bar says so; nothing to follow.
        if (!(err instanceof ApiCallError)) throw err;
      }
    };
    void poll();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, POLL_MS);
    // A tab brought back to the front catches up at once.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVisible);
    const abort = stopWatching.current;
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      abort.abort();
      stopWatching.current = new AbortController();
      for (const [id, waiters] of watched.current) orphan(id, waiters);
      watched.current.clear();
    };
  }, [follow, fromInfo, orphan]);

  const watch = useCallback<Jobs['watch']>((info) => new Promise<JobInfo>((resolve) => follow(info, resolve)), [follow]);

  const start = useCallback<Jobs['start']>(
    async (kind, input) => {
      const final = await watch(await call('jobs.start', { kind, input: input as Record<string, unknown> }));
      if (final.state === 'completed') return final.result ?? undefined;
      if (final.state === 'cancelled') return undefined;
      throw new ApiCallError('failed', final.error ?? final.state);
    },
    [watch],
  );

  const run = useCallback<Jobs['run']>(
    async (kind, label, work, input) => {
      const key = `l${next.current++}`;
      const abort = new AbortController();
      put({ key, kind, label, state: 'running', startedAt: Date.now(), input, cancel: () => abort.abort() });
      try {
        const result = await work((progress) => update(key, { progress }), abort.signal);
        update(key, { state: 'done', result });
        return result;
      } catch (err) {
        const cancelled = abort.signal.aborted || (err instanceof ApiCallError && err.code === 'cancelled');
        update(key, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? undefined : err instanceof Error ? err.message : String(err) });
        if (!cancelled) throw err;
        return undefined;
      }
    },
    [put, update],
  );

  const value = useMemo<Jobs>(
    () => ({
      jobs,
      run,
      start,
      watch,
      latest: (kind) => jobs.filter((j) => j.kind === kind).at(-1),
      running: jobs.filter((j) => j.state === 'running'),
    }),
    [jobs, run, start, watch],
  );
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>;
}

export function useJobs(): Jobs {
  const ctx = useContext(JobContext);
  if (!ctx) throw new Error('useJobs outside JobProvider');
  return ctx;
}
