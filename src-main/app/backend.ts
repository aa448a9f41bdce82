// Runs in the Electron main process: starts the backend (src-main/backend/entry.ts, bundled
// as out/main/backend.js) as a utilityProcess, so inference and SQLite never block the window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import type { BackendProcess } from '../backend/client.js';
import type { FromBackend } from '../backend/protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function forkUtilityBackend(env: NodeJS.ProcessEnv): BackendProcess {
  const child = utilityProcess.fork(path.join(here, 'backend.js'), [], { env, serviceName: 'Lookalike backend', stdio: 'inherit' });
  // A fatal error inside the utility process (V8 OOM, a native crash) arrives here before 'exit';
  // without a listener Electron treats it as unhandled. The exit that follows restarts the backend.
  child.on('error', (type, location) => console.error(`backend process error: ${type} at ${location}`));
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
