import os from 'node:os';
import { invoke } from '../dispatch/invoke.js';
import type { CallContext, Handlers } from '../features/context.js';
import { serializeError } from '../api/errors.js';
import type { Services } from '../features/services.js';
import type { Channel, ToBackend } from './protocol.js';

/** Niceness of the backend process: below normal, so the UI wins a core whenever it needs one. */
export const BACKEND_NICENESS = 10;

/**
 * Serves API calls arriving on a channel. Runs in the backend process, so decoding, inference and
 * SQLite work never block the HTTP event loop or the Electron main thread.
 */
export function serveChannel(channel: Channel, services: Services, handlers: Handlers): void {
  // Inference uses every core (engine/providers.ts defaultThreads); set before any thread starts,
  // since ONNX Runtime's and libuv's threads inherit it.
  try {
    os.setPriority(BACKEND_NICENESS);
  } catch {
    // Not permitted here (some sandboxes): runs at normal priority.
  }
  const running = new Map<number, AbortController>();

  channel.onMessage((message: ToBackend) => {
    if (message.type === 'ping') {
      channel.send({ type: 'pong' });
      return;
    }
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const { id, method, input } = message;
    const abort = new AbortController();
    running.set(id, abort);
    const ctx: CallContext = {
      services,
      signal: abort.signal,
      progress: (progress) => channel.send({ type: 'progress', id, progress }),
    };
    invoke(handlers, method, input, ctx)
      .then((output) => channel.send({ type: 'result', id, output }))
      .catch((err: unknown) => channel.send({ type: 'error', id, error: serializeError(err) }))
      .finally(() => running.delete(id));
  });
  channel.send({ type: 'ready' });
}
