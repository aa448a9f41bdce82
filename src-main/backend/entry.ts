// Entry of the backend process. Runs as an Electron utilityProcess in the desktop app (bundled as
// out/main/backend.js) and as a Node child process in browser mode and the CLI (forked by
// BackendClient); the same file serves both, so the bundle can be tested with plain Node.
import { handlers } from '../dispatch/handlers.js';
import { Services } from '../features/services.js';
import { loadConfig } from '../shared/config.js';
import { serveChannel } from './host.js';
import type { Channel, FromBackend, ToBackend } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function openChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message: FromBackend) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data as ToBackend)),
    };
  }
  if (process.send) {
    return {
      send: (message: FromBackend) => process.send?.(message),
      onMessage: (listener) => process.on('message', (m) => listener(m as ToBackend)),
    };
  }
  throw new Error('the backend must be started by the app: as an Electron utilityProcess or with an IPC channel (child_process.fork)');
}

const services = new Services({ config: loadConfig() });
serveChannel(openChannel(), services, handlers);
// Node child: the front door closing its channel means "finish". (A utilityProcess is killed instead.)
process.on('disconnect', () => {
  services.close();
  process.exit(0);
});
