// Entry of the backend child process in browser mode (forked by BackendClient).
import { handlers } from '../api/handlers.js';
import { Services } from '../services.js';
import { serveChannel } from './host.js';
import type { FromBackend, ToBackend } from './protocol.js';

if (!process.send) throw new Error('node-entry must be started with an IPC channel (child_process.fork)');

const services = new Services({ dbPath: process.env.LOOKALIKE_DB || undefined });
serveChannel(
  {
    send: (message: FromBackend) => process.send?.(message),
    onMessage: (listener) => process.on('message', (m) => listener(m as ToBackend)),
  },
  services,
  handlers,
);
process.on('disconnect', () => {
  services.close();
  process.exit(0);
});
