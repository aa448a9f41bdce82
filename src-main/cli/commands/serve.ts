import path from 'node:path';
import { appRoot } from '../../shared/paths.js';
import { type Command, numberOption } from '../command.js';

export const DEFAULT_PORT = 7411;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Browser mode: the app UI and API on 127.0.0.1, behind a per-launch token',
  usage: 'serve [--port N] [--db FILE]   (--port 0 picks a free port)',
  options: { port: { type: 'string', short: 'p' } },
  async run(values, _positionals, io) {
    const port = numberOption(values, 'port', { min: 0, max: 65535, integer: true }) ?? DEFAULT_PORT;
    const [{ BackendClient }, { startServer }] = await Promise.all([import('../../backend/client.js'), import('../../server/http.js')]);
    const backend = new BackendClient({ dbPath: io.dbPath });
    backend.on('crash', ({ code, signal }) => io.log(`backend stopped (${signal ?? `exit ${code}`}); restarted`));
    const server = await startServer({
      port,
      staticDir: path.join(appRoot, 'dist', 'renderer'),
      call: (method, input, options) => backend.call(method, input, { ...options, retryOnCrash: method === 'catalog.import' }),
    }).catch(async (err: NodeJS.ErrnoException) => {
      await backend.close();
      if (err.code === 'EADDRINUSE') throw new Error(`port ${port} is in use; pass --port N or --port 0`);
      throw err;
    });
    io.emit({ url: server.url, port: server.port });
    io.log(`Lookalike is running at ${server.url}  (Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    await backend.close();
    return undefined;
  },
};
