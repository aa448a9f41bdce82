// Electron main process: window, preload bridge, media protocol, IPC wiring. Everything heavy lives
// in the backend utilityProcess; this file only moves messages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, protocol, session } from 'electron';
import { toEnvelope } from '../api/errors.js';
import { BackendClient } from '../backend/client.js';
import { forkUtilityBackend } from './backend.js';
import { harden } from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url));

protocol.registerSchemesAsPrivileged([{ scheme: 'lookalike-media', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// The backend reads its configuration (LOOKALIKE_DB, ...) from the environment it inherits.
const backend = new BackendClient({ spawn: forkUtilityBackend });
const calls = new Map<string, AbortController>();

// Results and errors travel as an envelope (api/errors.ts), so the renderer keeps the error's code.
ipcMain.handle('lookalike:call', (event, callId: unknown, method: unknown, input: unknown) => {
  if (typeof callId !== 'string' || typeof method !== 'string') return toEnvelope(Promise.reject(new Error('bad IPC call')));
  const abort = new AbortController();
  calls.set(callId, abort);
  const sender = event.sender;
  const result = backend.call(method, input, {
    signal: abort.signal,
    retryOnCrash: method === 'catalog.import',
    // The window may be closed while an import runs: its progress then has nowhere to go.
    onProgress: (p) => {
      if (!sender.isDestroyed()) sender.send('lookalike:progress', callId, p);
    },
  });
  return toEnvelope(result).finally(() => calls.delete(callId));
});
ipcMain.on('lookalike:cancel', (_e, callId: unknown) => {
  if (typeof callId === 'string') calls.get(callId)?.abort();
});

function registerMediaProtocol(): void {
  // lookalike-media://thumb/<sha256> — only images that belong to the catalog, looked up by hash.
  protocol.handle('lookalike-media', async (request) => {
    const url = new URL(request.url);
    const sha = url.pathname.replace(/^\//, '');
    const method = url.host === 'thumb' ? 'catalog.thumbnail' : url.host === 'image' ? 'catalog.image' : undefined;
    if (!method || !/^[0-9a-f]{64}$/.test(sha)) return new Response('not found', { status: 404 });
    try {
      const media = (await backend.call(method, { sha256: sha })) as { mime: string; bytes: Uint8Array };
      return new Response(Buffer.from(media.bytes), { headers: { 'Content-Type': media.mime } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Lookalike',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(path.join(here, '../renderer/index.html'));
}

app
  .whenReady()
  .then(async () => {
    harden(session.defaultSession);
    registerMediaProtocol();
    await createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  })
  .catch((err: unknown) => {
    // A window that failed to load would stay hidden forever: say why and quit.
    dialog.showErrorBox('Lookalike could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void backend.close());
