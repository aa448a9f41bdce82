import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import type { BackendProcess } from '../backend/client.js';
import type { FromBackend } from '../backend/protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the backend as an Electron utilityProcess (its own process, so the window never freezes). */
export function forkUtilityBackend(env: NodeJS.ProcessEnv): BackendProcess {
  const child = utilityProcess.fork(path.join(here, 'backend.js'), [], { env, serviceName: 'Lookalike backend', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    send: (m) => child.postMessage(m),
    onMessage: (l) => child.on('message', (m: FromBackend) => l(m)),
    onExit: (l) => child.once('exit', (code) => l(code, null)),
    stop: () => child.kill(),
    kill: () => child.kill(),
  };
}
