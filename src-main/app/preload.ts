// The only bridge between the sandboxed renderer and the app: one call function, one cancel, media URLs,
// and the real path of a dropped file (the sandboxed renderer cannot see it).
import { contextBridge, ipcRenderer, webUtils } from 'electron';

type ProgressListener = (p: unknown) => void;
const listeners = new Map<string, ProgressListener>();

ipcRenderer.on('lookalike:progress', (_e, callId: string, progress: unknown) => listeners.get(callId)?.(progress));

contextBridge.exposeInMainWorld('lookalike', {
  async call(callId: string, method: string, input: unknown, onProgress?: ProgressListener): Promise<unknown> {
    if (onProgress) listeners.set(callId, onProgress);
    try {
      // Resolves to a CallEnvelope (src-main/api/errors.ts); the renderer's client unwraps it.
      return await ipcRenderer.invoke('lookalike:call', callId, method, input);
    } finally {
      listeners.delete(callId);
    }
  },
  cancel(callId: string): void {
    ipcRenderer.send('lookalike:cancel', callId);
  },
  mediaUrl(kind: 'thumb' | 'image', sha256: string): string {
    return `lookalike-media://${kind}/${sha256}`;
  },
  /** Path on disk of a dropped File or folder; '' for files that have none (pasted images). */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
