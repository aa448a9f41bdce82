import { type Session, app, shell } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' blob: data: lookalike-media:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The electron-vite dev server during development: its pages and its live-reload socket. */
export function isDevServer(url: string): boolean {
  return /^(http|ws):\/\/(localhost|127\.0\.0\.1):\d+\//.test(url);
}

/** Electron security checklist: no remote content, no navigation, no new windows, no permissions. */
export function harden(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Anything not served from the app bundle is refused: the app works offline and loads nothing remote.
  session.webRequest.onBeforeRequest((details, callback) => {
    const ok = /^(file|lookalike-media|devtools|data|blob):/.test(details.url) || (!app.isPackaged && isDevServer(details.url));
    callback({ cancel: !ok });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
