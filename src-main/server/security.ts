import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'lookalike_token';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The token from the Authorization header or the session cookie, checked in constant time. */
export function hasValidToken(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && sameToken(auth.slice(7), token)) return true;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === TOKEN_COOKIE && v && sameToken(v, token)) return true;
  }
  return false;
}

/**
 * Host must name this loopback server (defeats DNS rebinding); Origin, when a browser sends one,
 * must be this server too (defeats cross-site requests from other pages in the same browser).
 */
export function checkHostAndOrigin(req: IncomingMessage, port: number): string | undefined {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (!req.headers.host || !allowed.has(req.headers.host)) return 'forbidden host';
  const origin = req.headers.origin;
  if (origin !== undefined && !(origin.startsWith('http://') && allowed.has(origin.slice(7)))) return 'forbidden origin';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'forbidden cross-site request';
  return undefined;
}
