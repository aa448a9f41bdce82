import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/shared/errors.js';
import { type RunningServer, startServer } from '../../src-main/server/http.js';

/** Raw HTTP so the test controls Host and Origin exactly as an attacker's browser or script would. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('browser-mode HTTP server', () => {
  let server: RunningServer;
  let staticDir: string;
  const calls: Array<{ method: string; input: unknown }> = [];

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
    fs.writeFileSync(path.join(os.tmpdir(), 'lookalike-secret.txt'), 'secret');
    server = await startServer({
      staticDir,
      maxBodyBytes: 1024,
      call: async (method, input, { onProgress }) => {
        calls.push({ method, input });
        if (method === 'fail.bad') throw new AppError('bad_request', 'nope');
        if (method === 'catalog.thumbnail') return { mime: 'image/webp', bytes: new Uint8Array([1, 2, 3]) };
        onProgress?.({ phase: 'indexing', done: 1, total: 2 });
        return { echo: input };
      },
    });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' });

  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    expect((await request(server.port, { method: 'POST', path: '/api/app.status', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    const wrong = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('answers an authorised call with the result', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/app.status', headers: auth(), body: '{"a":1}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ result: { echo: { a: 1 } } });
  });

  it('streams progress then the result as NDJSON when asked', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/x.y', headers: { ...auth(), Accept: 'application/x-ndjson' }, body: '{}' });
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ progress: { phase: 'indexing', done: 1, total: 2 } });
    expect(lines[1]).toEqual({ result: { echo: {} } });
  });

  it('maps API errors to HTTP statuses', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/fail.bad', headers: auth(), body: '{}' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toEqual({ code: 'bad_request', message: 'nope' });
  });

  it('rejects malformed JSON and oversized bodies', async () => {
    expect((await request(server.port, { method: 'POST', path: '/api/app.status', headers: auth(), body: '{nope' })).status).toBe(400);
    const big = await request(server.port, { method: 'POST', path: '/api/app.status', headers: auth(), body: JSON.stringify({ x: 'a'.repeat(4000) }) });
    expect(big.status).toBe(400);
    expect(big.body).toMatch(/request body over/);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site)', async () => {
    const rebinding = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth(), Host: `evil.example:${server.port}` }, body: '{}' });
    expect(rebinding.status).toBe(403);
    const crossSite = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth(), Origin: 'http://evil.example' }, body: '{}' });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth(), Origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(sameOrigin.status).toBe(200);
  });

  it('exchanges the URL token for an HttpOnly SameSite cookie', async () => {
    const r = await request(server.port, { path: `/?token=${server.token}` });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { 'Content-Type': 'application/json', Cookie: cookie.split(';')[0] ?? '' }, body: '{}' });
    expect(withCookie.status).toBe(200);
  });

  it('a stale or wrong token gets an HTML page that says what to do, with a box for the link', async () => {
    const stale = await request(server.port, { path: '/?token=an-old-token-from-yesterday-0123456789' });
    expect(stale.status).toBe(401);
    expect(stale.headers['content-type']).toMatch(/^text\/html/);
    expect(stale.headers['set-cookie']).toBeUndefined();
    expect(stale.body).toMatch(/out of date or mistyped/);
    expect(stale.body).toMatch(/lookalike serve/);
    expect(stale.body).toMatch(/<form method="get" action="\/connect">/);
    // The page runs no script at all; its form may only come back here.
    expect(stale.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(stale.headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(stale.body).not.toMatch(/<script/i);

    // Pasting the right link (from the page's form or the app's connect box) signs this browser in.
    const link = encodeURIComponent(server.url);
    const pasted = await request(server.port, { path: `/connect?link=${link}` });
    expect(pasted.status).toBe(303);
    expect(pasted.headers.location).toBe('/');
    expect(pasted.headers['set-cookie']?.[0]).toMatch(/HttpOnly/);
    const wrongLink = await request(server.port, { path: `/connect?link=${encodeURIComponent('http://127.0.0.1:1/?token=nope')}` });
    expect(wrongLink.status).toBe(401);
    expect(wrongLink.body).toMatch(/out of date or mistyped/);
    const empty = await request(server.port, { path: '/connect?link=' });
    expect(empty.status).toBe(401);
    expect(empty.body).toMatch(/Paste the link/);
  });

  it('serves catalog media only by sha256, never by path', async () => {
    const ok = await request(server.port, { path: `/media/thumb/${'a'.repeat(64)}`, headers: auth() });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/webp');
    for (const p of ['/media/thumb/%2e%2e%2fetc%2fpasswd', '/media/file/x', `/media/thumb/${'A'.repeat(64)}`, '/media/thumb/']) {
      expect((await request(server.port, { path: p, headers: auth() })).status).toBe(404);
    }
    // Dot segments are resolved before routing: this lands on the UI shell, not on a file.
    const dotted = await request(server.port, { path: '/media/thumb/../../etc/passwd', headers: auth() });
    expect(dotted.body).not.toMatch(/root:/);
  });

  it('never serves files outside the UI folder', async () => {
    for (const p of ['/../lookalike-secret.txt', '/%2e%2e/lookalike-secret.txt', '/..%2flookalike-secret.txt', '/assets/../../lookalike-secret.txt']) {
      const r = await request(server.port, { path: p });
      expect(r.body).not.toContain('secret');
    }
    const shell = await request(server.port, { path: '/' });
    expect(shell.status).toBe(200);
    expect(shell.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });
});
