// Entry of the backend in the desktop app: an Electron utilityProcess forked by src-main/app/main.ts.
import { handlers } from '../api/handlers.js';
import { Services } from '../services.js';
import { serveChannel } from './host.js';
import type { FromBackend, ToBackend } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('electron-entry must run in an Electron utilityProcess');

serveChannel(
  {
    send: (message: FromBackend) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (e) => listener(e.data as ToBackend)),
  },
  new Services({ dbPath: process.env.LOOKALIKE_DB || undefined }),
  handlers,
);
