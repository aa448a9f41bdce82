import type { SerializedError } from '../api/errors.js';
import type { Progress } from '../shared/progress.js';

/** Messages between a front door (HTTP server, Electron main) and the backend process. */
export type ToBackend =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'cancel'; id: number }
  | { type: 'ping' };

export type FromBackend =
  | { type: 'ready' }
  | { type: 'pong' }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; output: unknown }
  | { type: 'error'; id: number; error: SerializedError };

/** The part of a process/port the host needs: Node's child process channel and Electron's parentPort both fit. */
export interface Channel {
  send(message: FromBackend): void;
  onMessage(listener: (message: ToBackend) => void): void;
}
