import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { Progress } from '../../src-main/api/schemas/common';
import { ApiCallError } from '../api/client';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  /** What kind of work ("import", "demo", "model"), so pages find their own jobs. */
  kind: string;
  /** Already translated, shown in the status bar. */
  label: string;
  state: JobState;
  progress?: Progress;
  error?: string;
  result?: unknown;
  startedAt: number;
  /** What the job was started with, so it can be resumed or shown again. */
  input?: unknown;
  cancel: () => void;
}

interface Jobs {
  jobs: Job[];
  /** Runs a long call with progress; the job outlives the page that started it. */
  run: <T>(
    kind: string,
    label: string,
    work: (onProgress: (p: Progress) => void, signal: AbortSignal) => Promise<T>,
    input?: unknown,
  ) => Promise<T | undefined>;
  latest: (kind: string) => Job | undefined;
  running: Job[];
}

const JobContext = createContext<Jobs | undefined>(undefined);

export function JobProvider({ children }: { children: ReactNode }) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const next = useRef(1);
  const update = useCallback((id: number, patch: Partial<Job>) => setJobs((js) => js.map((j) => (j.id === id ? { ...j, ...patch } : j))), []);

  const run = useCallback<Jobs['run']>(
    async (kind, label, work, input) => {
      const id = next.current++;
      const abort = new AbortController();
      const job: Job = { id, kind, label, state: 'running', startedAt: Date.now(), input, cancel: () => abort.abort() };
      setJobs((js) => [...js.filter((j) => j.state === 'running' || j.kind !== kind), job]);
      try {
        const result = await work((progress) => update(id, { progress }), abort.signal);
        update(id, { state: 'done', result });
        return result;
      } catch (err) {
        const cancelled = abort.signal.aborted || (err instanceof ApiCallError && err.code === 'cancelled');
        update(id, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? undefined : err instanceof Error ? err.message : String(err) });
        if (!cancelled) throw err;
        return undefined;
      }
    },
    [update],
  );

  const value = useMemo<Jobs>(
    () => ({
      jobs,
      run,
      latest: (kind) => jobs.filter((j) => j.kind === kind).at(-1),
      running: jobs.filter((j) => j.state === 'running'),
    }),
    [jobs, run],
  );
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>;
}

export function useJobs(): Jobs {
  const ctx = useContext(JobContext);
  if (!ctx) throw new Error('useJobs outside JobProvider');
  return ctx;
}
