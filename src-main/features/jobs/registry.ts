import path from 'node:path';
import { serializeError } from '../../api/errors.js';
import { AppError } from '../../shared/errors.js';
import type { CallContext } from '../context.js';
import type { Progress } from '../../shared/progress.js';
import type { JobInfo, JobKind, JobState } from '../../api/schemas/jobs.js';
import type { Catalog } from '../../catalog/catalog.js';
import { catalogStorageError } from '../../catalog/storage-errors.js';
import { processAlive } from '../../catalog/ingest-writer.js';
import type { Services } from '../services.js';

/**
 * Runs one job's method with the job's own signal and progress. In production it is the dispatch's
 * invoke (dispatch/jobs.ts), given by the caller that starts the job: features sit below the dispatch.
 */
export type JobRunner = (kind: JobKind, input: unknown, ctx: CallContext) => Promise<unknown>;

/** Jobs that write the catalog's images: one at a time per backend, and their summaries are kept. */
const CATALOG_KINDS: ReadonlySet<JobKind> = new Set(['catalog.import', 'catalog.loadDemo', 'catalog.repair']);
/**
 * Jobs the backend starts by itself when their work is due (images left without vectors; duplicate
 * hashes and pairs after an import): stopped by an import, which starts them again, never resumed.
 */
const AUTOMATIC_KINDS: ReadonlySet<JobKind> = new Set(['catalog.repair', 'duplicates.prepare']);
/** Progress is written to the jobs table at most this often (other processes and a restarted backend read it). */
const SAVE_PROGRESS_MS = 1000;
/** A job run by another process (the CLI) is re-read this often while someone watches it. */
const POLL_OTHER_MS = 500;
/** Finished jobs whose (possibly large) results stay in memory for jobs.get / jobs.watch. */
const KEEP_RESULTS = 16;

interface Live {
  id: number;
  kind: JobKind;
  abort: AbortController;
  progress: Progress | null;
  watchers: Set<(p: Progress) => void>;
  done: Promise<void>;
  savedAt: number;
}

interface JobRow {
  id: number;
  kind: JobKind;
  state: JobState;
  source: string;
  input: string;
  pid: number;
  started_at: number;
  finished_at: number | null;
  progress: string | null;
  result: string | null;
  error: string | null;
  resumed_by: number | null;
}

/**
 * The backend's jobs: long work that belongs to the backend process, not to the page or call that
 * started it. A page reload, a second tab or a reopened window lists them (jobs.list), follows one
 * (jobs.watch) and can cancel it. Every job is a row in the catalog's `jobs` table, so a job whose
 * process died (a crash, a restart, a killed CLI) shows as interrupted and can be resumed.
 */
export class JobRegistry {
  private readonly live = new Map<number, Live>();
  /** Signals of running jobs: a handler called with one is already inside its job. */
  private readonly jobSignals = new WeakSet<AbortSignal>();
  private readonly results = new Map<number, unknown>();
  private startupRepairDone = false;
  private closing = false;

  constructor(
    private readonly services: Services,
    private readonly runner?: JobRunner,
  ) {
    this.markDeadInterrupted();
  }

  private get catalog(): Catalog {
    return this.services.catalog;
  }

  /** Starts a job and returns at once; its progress goes to watchers, its end to the jobs table. */
  async start(kind: JobKind, input: unknown, runner = this.runner): Promise<JobInfo> {
    if (!runner) throw new Error('no job runner: start jobs through the dispatch (jobs.start)');
    // Only a catalog job waits for room: any other is registered before start() yields.
    if (CATALOG_KINDS.has(kind)) await this.makeRoomFor(kind);
    return this.get(this.launch(kind, input, runner).id);
  }

  private launch(kind: JobKind, input: unknown, runner: JobRunner): Live {
    const abort = new AbortController();
    const live = this.register(kind, input, abort);
    const ctx: CallContext = { services: this.services, signal: abort.signal, progress: (p) => this.onProgress(live, p) };
    live.done = runner(kind, input, ctx).then(
      async (result) => {
        await this.finish(live, 'completed', result);
        // A finished import changed the catalog: the Duplicates page's work for it is prepared now.
        if (CATALOG_KINDS.has(kind) && !this.closing) this.startPreparation(runner);
      },
      (err: unknown) => this.finish(live, abort.signal.aborted ? 'cancelled' : 'failed', undefined, err),
    );
    return live;
  }

  /**
   * Runs a call as a job in the caller's own time (the CLI's `index`, an API client calling
   * catalog.import and waiting): listed like any job; the caller's progress and cancel apply.
   * Inside a job already (started by start()), the work just runs.
   */
  async runInline<T>(kind: JobKind, input: unknown, ctx: CallContext, work: (ctx: CallContext) => Promise<T>): Promise<T> {
    if (this.jobSignals.has(ctx.signal)) return work(ctx);
    await this.makeRoomFor(kind);
    const abort = new AbortController();
    const onAbort = () => abort.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const live = this.register(kind, input, abort);
    let settle = () => {};
    live.done = new Promise<void>((resolve) => (settle = resolve));
    live.watchers.add(ctx.progress);
    let outcome: { ok: true; value: T } | { ok: false; err: unknown };
    try {
      outcome = { ok: true, value: await work({ ...ctx, signal: abort.signal, progress: (p) => this.onProgress(live, p) }) };
    } catch (err) {
      outcome = { ok: false, err };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    await (outcome.ok ? this.finish(live, 'completed', outcome.value) : this.finish(live, abort.signal.aborted ? 'cancelled' : 'failed', undefined, outcome.err));
    settle();
    if (!outcome.ok) throw outcome.err;
    return outcome.value;
  }

  list(options: { kinds?: JobKind[]; limit?: number } = {}): JobInfo[] {
    this.markDeadInterrupted();
    const kinds = options.kinds?.length ? options.kinds : undefined;
    const rows = this.catalog.db
      .prepare(`SELECT * FROM jobs ${kinds ? 'WHERE kind IN (SELECT value FROM json_each(?))' : ''} ORDER BY id DESC LIMIT ?`)
      .all(...(kinds ? [JSON.stringify(kinds)] : []), options.limit ?? 20) as JobRow[];
    // An analysis's answer (a duplicates grouping, a mismatch queue) can be megabytes and pages poll
    // this list: it carries only whether there is one (hasResult); jobs.get gives it.
    return rows.map((r) => this.toInfo(r, CATALOG_KINDS.has(r.kind)));
  }

  get(id: number): JobInfo {
    const row = this.row(id);
    if (row.state === 'running' && !this.live.has(id) && !this.runningElsewhere(row)) {
      this.markDeadInterrupted();
      return this.toInfo(this.row(id));
    }
    return this.toInfo(row);
  }

  /** Streams a job's progress until it ends (or `signal` stops the watching) and returns it. */
  async watch(id: number, progress: (p: Progress) => void, signal: AbortSignal): Promise<JobInfo> {
    const live = this.live.get(id);
    if (live) {
      if (live.progress) progress(live.progress);
      live.watchers.add(progress);
      try {
        await Promise.race([live.done, aborted(signal)]);
      } finally {
        live.watchers.delete(progress);
      }
      return this.get(id);
    }
    // Run by another process (a CLI import): follow its row.
    let info = this.get(id);
    let last = '';
    while (info.state === 'running' && !signal.aborted) {
      const text = JSON.stringify(info.progress);
      if (info.progress && text !== last) progress(info.progress);
      last = text;
      await Promise.race([new Promise((r) => setTimeout(r, POLL_OTHER_MS)), aborted(signal)]);
      info = this.get(id);
    }
    return info;
  }

  async cancel(id: number): Promise<JobInfo> {
    const live = this.live.get(id);
    if (live) {
      live.abort.abort();
      await live.done;
      return this.get(id);
    }
    const info = this.get(id);
    if (info.state === 'running') {
      const row = this.row(id);
      throw new AppError('unavailable', `job ${id} runs in another process (pid ${row.pid}, e.g. "lookalike import" in a terminal); stop it there with Ctrl+C`);
    }
    return info;
  }

  async resume(id: number, runner = this.runner): Promise<JobInfo> {
    const info = this.get(id);
    if (!info.resumable) {
      throw new AppError('bad_request', info.state === 'running' ? `job ${id} is still running` : info.resumedBy ? `job ${id} was already resumed as job ${info.resumedBy}` : `job ${id} ${info.state}; nothing to resume`);
    }
    const next = await this.start(info.kind, info.input, runner);
    this.catalog.db.prepare('UPDATE jobs SET resumed_by = ? WHERE id = ?').run(next.id, id);
    return next;
  }

  /**
   * Once per backend: images an earlier import stored without their vectors (it was cancelled,
   * killed, or the backend restarted) are embedded by a repair job. Returns it when it started one.
   */
  async startupRepair(runner = this.runner): Promise<JobInfo | undefined> {
    if (this.startupRepairDone) return undefined;
    this.startupRepairDone = true;
    if ([...this.live.values()].some((l) => CATALOG_KINDS.has(l.kind))) return undefined;
    const waiting = this.catalog.pendingByModel().filter((p) => p.count > p.failed);
    // The repair is an import: the duplicates preparation follows it.
    if (waiting.length > 0) return this.start('catalog.repair', { models: [...new Set(waiting.map((p) => p.modelId))] }, runner);
    // Images without duplicate hashes (a catalog imported before they were computed at import), or no
    // kept candidate graph of the catalog as it is: prepared now, with progress, not on the first visit.
    // (A catalog the check cannot read is left to the Duplicates page, which says what is wrong.)
    const due = await this.services.duplicates.prepared().then(
      (prepared) => !prepared,
      () => false,
    );
    return due ? this.startPreparation(runner) : undefined;
  }

  /** Starts the duplicates preparation (duplicates.prepare) unless an import or a preparation runs. */
  private startPreparation(runner: JobRunner | undefined): JobInfo | undefined {
    if (!runner || [...this.live.values()].some((l) => CATALOG_KINDS.has(l.kind) || l.kind === 'duplicates.prepare')) return undefined;
    try {
      return this.get(this.launch('duplicates.prepare', {}, runner).id);
    } catch {
      // A catalog that refuses the job's row (read-only, full): the first Duplicates visit does the work.
      return undefined;
    }
  }

  /** Whether a handler runs inside a job (started by start() or runInline()). */
  isJobSignal(signal: AbortSignal): boolean {
    return this.jobSignals.has(signal);
  }

  /** Cancels this process's jobs and waits for them to wind up (the backend is closing). */
  async close(): Promise<void> {
    this.closing = true;
    const running = [...this.live.values()];
    for (const l of running) l.abort.abort();
    await Promise.allSettled(running.map((l) => l.done));
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * A catalog job waits for a running repair to stop (an import finishes the same images) and for a
   * duplicates preparation to stop (the import changes what it prepares; it starts again after);
   * a second import is refused.
   */
  private async makeRoomFor(kind: JobKind): Promise<void> {
    if (!CATALOG_KINDS.has(kind)) return;
    for (const prep of [...this.live.values()].filter((l) => l.kind === 'duplicates.prepare')) {
      prep.abort.abort();
      await prep.done;
    }
    for (const other of [...this.live.values()].filter((l) => CATALOG_KINDS.has(l.kind))) {
      if (other.kind === 'catalog.repair' && kind !== 'catalog.repair') {
        other.abort.abort();
        await other.done;
      } else {
        const info = this.get(other.id);
        throw new AppError('unavailable', `an import is already running (job ${other.id}: ${info.source}); wait for it to finish or cancel it first`);
      }
    }
  }

  private register(kind: JobKind, input: unknown, abort: AbortController): Live {
    const now = Date.now();
    let id: number;
    try {
      id = Number(
        this.catalog.db
          .prepare("INSERT INTO jobs (kind, state, source, input, pid, started_at) VALUES (?, 'running', ?, ?, ?, ?)")
          .run(kind, describeSource(kind, input), JSON.stringify(input ?? {}), process.pid, now).lastInsertRowid,
      );
    } catch (err) {
      // A read-only or full catalog refuses the job's own row: the work never started.
      throw catalogStorageError(this.catalog.dbPath, err, CATALOG_KINDS.has(kind) ? 'nothing was imported' : `${kind} did not start`) ?? err;
    }
    const live: Live = { id, kind, abort, progress: null, watchers: new Set(), done: Promise.resolve(), savedAt: 0 };
    this.live.set(id, live);
    this.jobSignals.add(abort.signal);
    return live;
  }

  private onProgress(live: Live, p: Progress): void {
    live.progress = p;
    for (const w of live.watchers) {
      try {
        w(p);
      } catch {
        // A watcher whose channel closed does not stop the job.
      }
    }
    if (Date.now() - live.savedAt >= SAVE_PROGRESS_MS) {
      live.savedAt = Date.now();
      try {
        this.catalog.db.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(JSON.stringify(p), live.id);
      } catch {
        // Progress is a courtesy; a busy or full disk must not stop the work.
      }
    }
  }

  private async finish(live: Live, state: JobState, result?: unknown, err?: unknown): Promise<void> {
    const error = err === undefined ? null : state === 'cancelled' ? 'cancelled' : serializeError(err).message;
    if (state === 'completed') {
      this.results.set(live.id, result);
      while (this.results.size > KEEP_RESULTS) this.results.delete(this.results.keys().next().value as number);
    }
    try {
      this.catalog.db
        .prepare('UPDATE jobs SET state = ?, finished_at = ?, progress = ?, result = ?, error = ? WHERE id = ?')
        .run(state, Date.now(), live.progress ? JSON.stringify(live.progress) : null, state === 'completed' && CATALOG_KINDS.has(live.kind) ? JSON.stringify(result ?? null) : null, error, live.id);
    } catch {
      // Storage refused the write: the row stays 'running' and is marked interrupted once this process is gone.
    }
    this.live.delete(live.id);
  }

  private row(id: number): JobRow {
    const row = this.catalog.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new AppError('not_found', `no job ${id}`);
    return row;
  }

  private runningElsewhere(row: JobRow): boolean {
    return row.pid !== process.pid && processAlive(row.pid);
  }

  /** Rows left 'running' by a process that is gone (or by an earlier backend with this pid) become 'interrupted'. */
  private markDeadInterrupted(): void {
    const running = this.catalog.db.prepare("SELECT id, pid FROM jobs WHERE state = 'running'").all() as Array<{ id: number; pid: number }>;
    const mark = this.catalog.db.prepare(
      "UPDATE jobs SET state = 'interrupted', finished_at = ?, error = 'the backend stopped before the job finished (a crash, a restart, or the app was closed)' WHERE id = ? AND state = 'running'",
    );
    for (const r of running) {
      const gone = r.pid === process.pid ? !this.live.has(r.id) : !processAlive(r.pid);
      if (gone) mark.run(Date.now(), r.id);
    }
  }

  private toInfo(r: JobRow, withResult = true): JobInfo {
    const live = this.live.get(r.id);
    const ended = r.state === 'interrupted' || r.state === 'cancelled' || r.state === 'failed';
    const result = this.results.get(r.id) ?? (r.result ? parse(r.result) : null);
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      source: r.source,
      input: parse(r.input),
      progress: live?.progress ?? (r.progress ? (parse(r.progress) as Progress) : null),
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      result: withResult ? result : null,
      hasResult: result !== null,
      error: r.error,
      cancellable: live !== undefined,
      resumable: ended && r.resumed_by === null && !AUTOMATIC_KINDS.has(r.kind),
      resumedBy: r.resumed_by,
    };
  }
}

/** What a job works on, in a few words people recognise: "~/photos/shoes + listings.csv". */
export function describeSource(kind: JobKind, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const models = Array.isArray(i.models) && i.models.length ? ` (${(i.models as string[]).join(', ')})` : '';
  switch (kind) {
    case 'catalog.import': {
      const paths = Array.isArray(i.paths) ? (i.paths as string[]) : [];
      const parts = [...paths.slice(0, 3), ...(paths.length > 3 ? [`+${paths.length - 3} more`] : [])];
      if (typeof i.listings === 'string') parts.push(path.basename(i.listings));
      return parts.join(' + ') + models;
    }
    case 'catalog.loadDemo':
      return `demo catalog${models}`;
    case 'catalog.repair':
      return `images waiting for vectors${models}`;
    case 'duplicates.find':
      return `duplicates${typeof i.tier === 'string' ? `: ${i.tier}` : ''}${typeof i.model === 'string' ? ` (${i.model})` : ''}`;
    case 'duplicates.prepare':
      return `duplicate hashes and look-alike pairs${typeof i.model === 'string' ? ` (${i.model})` : ''}`;
    case 'mismatch.list':
      return `title mismatch${typeof i.model === 'string' ? ` (${i.model})` : ''}`;
    case 'compare.catalog':
      return `catalog comparison${models}`;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const registries = new WeakMap<Services, JobRegistry>();

/** The job registry of a Services instance (one per backend process, or per CLI run). */
export function jobsOf(services: Services): JobRegistry {
  let registry = registries.get(services);
  if (!registry) {
    registry = new JobRegistry(services);
    registries.set(services, registry);
  }
  return registry;
}
