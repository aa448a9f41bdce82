// backend/: the backend process (entry.ts, host.ts serve API calls on a channel) and the client the
// front doors use to start, call and watch it (this file: runs in Electron main, `lookalike serve`).
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { reviveError } from '../api/errors.js';
import { AppError } from '../shared/errors.js';
import type { Progress } from '../shared/progress.js';
import { moduleEntry } from './node-runtime.js';
import type { FromBackend, ToBackend } from './protocol.js';

/** A started backend process: a Node child process here, an Electron utilityProcess in the desktop app. */
export interface BackendProcess {
  readonly pid: number | undefined;
  send(message: ToBackend): void;
  onMessage(listener: (message: FromBackend) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Asks it to finish (it exits when its channel closes). */
  stop(): void;
  kill(): void;
}

/** Forks the backend entry (src-main/backend/entry.ts unless another build of it is named) as a Node child process. */
export function forkNodeBackend(env: NodeJS.ProcessEnv, entry = moduleEntry('./entry.ts')): BackendProcess {
  const { file, execArgv } = entry;
  const child = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromBackend)),
    onExit: (l) => child.once('exit', (code, signal) => l(code, signal)),
    stop: () => {
      if (child.connected) child.disconnect();
    },
    kill: () => child.kill('SIGKILL'),
  };
}

export interface CallOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Re-send the call once after a backend crash: only for idempotent, resumable work such as imports. */
  retryOnCrash?: boolean;
}

interface Pending {
  method: string;
  input: unknown;
  options: CallOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  retried: boolean;
}

export interface BackendClientOptions {
  dbPath?: string;
  /** Extra environment for the backend process (tests use it to inject faults). */
  env?: NodeJS.ProcessEnv;
  /** How to start the backend; a Node child process unless the desktop app passes a utilityProcess. */
  spawn?: (env: NodeJS.ProcessEnv) => BackendProcess;
  /** A backend that answers no ping for this long is taken as hung, killed and restarted. */
  hangTimeoutMs?: number;
}

/**
 * Front-door side of the backend process: forks it, sends calls, routes progress and results back,
 * and restarts it when it dies so one crashing decode or model never takes the app down.
 */
export class BackendClient extends EventEmitter {
  private child: BackendProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastPong = 0;
  restarts = 0;

  constructor(private readonly options: BackendClientOptions = {}) {
    super();
  }

  /** PID of the current backend process (tests kill it to prove recovery). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  call(method: string, input: unknown, options: CallOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'backend is closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { method, input, options, resolve, reject, retried: false });
      options.signal?.addEventListener('abort', () => this.post({ type: 'cancel', id }), { once: true });
      this.dispatch(id);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const child = this.child;
    this.child = undefined;
    for (const [, p] of this.pending) p.reject(new AppError('unavailable', 'backend is closing'));
    this.pending.clear();
    if (child && this.alive) {
      const exited = new Promise<void>((r) => child.onExit(() => r()));
      child.stop();
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    }
  }

  private dispatch(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.start()
      .then(() => this.post({ type: 'call', id, method: p.method, input: p.input }))
      .catch((err: unknown) => {
        this.pending.delete(id);
        p.reject(err);
      });
  }

  private alive = false;

  private post(message: ToBackend): void {
    this.child?.send(message);
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const env = { ...process.env, ...this.options.env, ...(this.options.dbPath ? { LOOKALIKE_DB: this.options.dbPath } : {}) };
    const child = (this.options.spawn ?? forkNodeBackend)(env);
    this.child = child;
    this.alive = true;
    this.ready = new Promise<void>((resolve, reject) => {
      child.onMessage((m) => {
        if (m.type === 'ready' || m.type === 'pong') this.lastPong = Date.now();
        if (m.type === 'ready') {
          // The hang clock starts once it has started: loading code and opening the catalog can
          // take seconds on a loaded machine, and a backend still starting is not hung.
          this.watch(child);
          resolve();
        } else if (m.type !== 'pong') this.onMessage(m);
      });
      child.onExit((code, signal) => {
        this.alive = false;
        reject(new AppError('unavailable', `backend process exited before it was ready (${signal ?? code})`));
        this.onExit(child, code, signal);
      });
    });
    return this.ready;
  }

  /**
   * Pings the backend; one that stays silent past hangTimeoutMs (a native call stuck, a deadlock)
   * is killed, which restarts it like a crash. Its event loop stays free during inference and
   * decoding (both run on native threads), so a healthy backend always answers.
   */
  private watch(child: BackendProcess): void {
    const timeout = this.options.hangTimeoutMs ?? 60_000;
    this.lastPong = Date.now();
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (this.child !== child || !this.alive) return;
      if (Date.now() - this.lastPong > timeout) {
        this.emit('hang');
        child.kill();
      } else child.send({ type: 'ping' });
    }, Math.max(50, Math.min(5000, timeout / 4)));
    this.heartbeat.unref();
  }

  private onMessage(m: Exclude<FromBackend, { type: 'ready' } | { type: 'pong' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.options.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.output);
    else p.reject(reviveError(m.error));
  }

  private onExit(child: BackendProcess, code: number | null, signal: string | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.ready = undefined;
    if (this.closed) return;
    this.restarts++;
    this.emit('crash', { code, signal });
    for (const [id, p] of this.pending) {
      if (p.options.retryOnCrash && !p.retried) {
        p.retried = true;
        this.dispatch(id);
      } else {
        this.pending.delete(id);
        p.reject(new AppError('unavailable', `the backend stopped (${signal ?? `exit ${code}`}) and was restarted; try again`));
      }
    }
  }
}
