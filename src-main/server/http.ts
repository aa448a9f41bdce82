// server/: browser mode's HTTP front door (`lookalike serve`, `npm start` without Electron). Runs in
// the serve process on the event loop, so it only checks the token and origin, serves the built UI
// and forwards calls to the backend process (BackendClient); nothing heavy runs here.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serializeError } from '../api/errors.js';
import { AppError, type ErrorCode } from '../shared/errors.js';
import type { Progress } from '../shared/progress.js';
import { TOKEN_COOKIE, checkHostAndOrigin, hasValidToken, newToken, sameToken } from './security.js';
import { sendHtml, tokenFromLink, tokenPage } from './token-page.js';

export type CallFn = (
  method: string,
  input: unknown,
  options: { onProgress?: (p: Progress) => void; signal?: AbortSignal },
) => Promise<unknown>;

export interface ServerOptions {
  call: CallFn;
  /** Built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
  maxBodyBytes?: number;
  maxConcurrentCalls?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATUS: Record<ErrorCode, number> = { bad_request: 400, not_found: 404, unavailable: 503, cancelled: 409, failed: 500 };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Browser mode: the React UI and the API on 127.0.0.1 only, behind a per-launch token.
 * The API runs in the backend process; this loop only moves bytes.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const maxBody = options.maxBodyBytes ?? 48 * 1024 * 1024;
  const maxCalls = options.maxConcurrentCalls ?? 32;
  const staticRoot = path.resolve(options.staticDir);
  let inFlight = 0;
  let port = 0;

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const refused = checkHostAndOrigin(req, port);
    if (refused) return sendJson(res, 403, { error: { code: 'bad_request', message: refused } });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    // The link "lookalike serve" printed (or one pasted into the connect form): its token sets the session cookie.
    const given = req.method === 'GET' ? (url.searchParams.get('token') ?? (url.pathname === '/connect' ? tokenFromLink(url.searchParams.get('link')) : undefined)) : undefined;
    if (given !== undefined || (req.method === 'GET' && url.pathname === '/connect')) {
      if (!given || !sameToken(given, token)) return sendHtml(res, 401, tokenPage(url.pathname === '/connect' && !url.searchParams.get('link') ? 'empty' : 'wrong'));
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.writeHead(303, { Location: url.pathname === '/connect' ? '/' : url.pathname + url.search });
      return res.end();
    }
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) {
      if (!hasValidToken(req, token)) {
        return sendJson(res, 401, { error: { code: 'bad_request', message: 'missing or wrong token: open the URL that "lookalike serve" printed' } });
      }
      if (inFlight >= maxCalls) return sendJson(res, 503, { error: { code: 'unavailable', message: 'too many requests in flight' } });
      inFlight++;
      res.once('close', () => inFlight--);
      if (url.pathname.startsWith('/api/')) return void handleApi(req, res, url.pathname.slice(5));
      return void handleMedia(res, url.pathname.slice(7));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'bad_request', message: 'method not allowed' } });
    serveStatic(res, url.pathname);
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'bad_request', message: 'use POST' } });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { error: { code: 'bad_request', message: 'expected Content-Type: application/json' } });
    }
    let input: unknown;
    try {
      input = JSON.parse((await readBody(req, maxBody)).toString('utf8') || '{}');
    } catch (err) {
      const e = serializeError(err);
      res.setHeader('Connection', 'close');
      return sendJson(res, 400, { error: { code: 'bad_request', message: e.code === 'failed' ? 'body is not valid JSON' : e.message } });
    }
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const stream = (req.headers.accept ?? '').includes('application/x-ndjson');
    if (stream) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    try {
      const result = await options.call(method, input, {
        signal: abort.signal,
        onProgress: stream ? (progress) => res.write(`${JSON.stringify({ progress })}\n`) : undefined,
      });
      if (stream) res.end(`${JSON.stringify({ result })}\n`);
      else sendJson(res, 200, { result });
    } catch (err) {
      const error = serializeError(err);
      if (stream) res.end(`${JSON.stringify({ error })}\n`);
      else sendJson(res, STATUS[error.code], { error });
    }
  }

  async function handleMedia(res: http.ServerResponse, rest: string): Promise<void> {
    const [kind, sha] = rest.split('/');
    const methodName = kind === 'thumb' ? 'catalog.thumbnail' : kind === 'image' ? 'catalog.image' : undefined;
    if (!methodName || !sha || !/^[0-9a-f]{64}$/.test(sha)) return sendJson(res, 404, { error: { code: 'not_found', message: 'no such media' } });
    try {
      const media = (await options.call(methodName, { sha256: sha }, {})) as { mime: string; bytes: Uint8Array };
      res.writeHead(200, { 'Content-Type': media.mime, 'Cache-Control': 'private, max-age=86400', 'Content-Length': media.bytes.byteLength });
      res.end(Buffer.from(media.bytes.buffer, media.bytes.byteOffset, media.bytes.byteLength));
    } catch (err) {
      const error = serializeError(err);
      sendJson(res, STATUS[error.code], { error });
    }
  }

  function serveStatic(res: http.ServerResponse, pathname: string): void {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendJson(res, 400, { error: { code: 'bad_request', message: 'bad path' } });
    }
    const file = path.resolve(staticRoot, `.${path.posix.normalize(rel)}`);
    const inside = file.startsWith(staticRoot + path.sep);
    const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(staticRoot, 'index.html');
    if (!fs.existsSync(target)) {
      return sendJson(res, 500, { error: { code: 'failed', message: 'the UI is not built: run "npm run build"' } });
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(target)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': target.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    fs.createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  server.requestTimeout = 0; // imports stream progress for minutes
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${n} bytes`;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answer first, then drop the connection: destroying the socket now would lose the answer.
        req.removeAllListeners('data');
        req.resume();
        reject(new AppError('bad_request', `request body over ${formatBytes(limit)}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
