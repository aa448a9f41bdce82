import type http from 'node:http';

/** The page's own policy: no script at all; its one form goes back to this server. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The token in a pasted link (http://127.0.0.1:7411/?token=…), or a bare token; undefined when there is none. */
export function tokenFromLink(link: string | null): string | undefined {
  const value = (link ?? '').trim();
  if (!value) return undefined;
  if (/^[A-Za-z0-9_-]{16,}$/.test(value)) return value;
  try {
    return new URL(value).searchParams.get('token') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What someone sees who opens an old or mistyped link (the server was restarted and printed a new
 * one): what happened and what to do, and a box to paste the new link, instead of raw JSON.
 */
export function tokenPage(reason: 'wrong' | 'empty'): string {
  const lead =
    reason === 'wrong'
      ? 'This link is out of date or mistyped. Each time Lookalike starts in browser mode it prints a new link with a new key, and old links stop working.'
      : 'Paste the link Lookalike printed to connect this browser.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lookalike: open the current link</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: light-dark(#f5f6f8, #16181d); color: light-dark(#1d2330, #e6e8ee); }
  main { max-width: 36rem; margin: 2rem; padding: 2rem; border-radius: 12px; background: light-dark(#fff, #1f232b); box-shadow: 0 1px 3px rgb(0 0 0 / 0.15); }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  ol { padding-left: 1.25rem; line-height: 1.5; }
  code { font-size: 0.9em; background: light-dark(#eef0f4, #2a2f39); padding: 1px 4px; border-radius: 4px; }
  form { display: flex; gap: 0.5rem; margin-top: 1.25rem; flex-wrap: wrap; }
  label { width: 100%; font-weight: 600; }
  input { flex: 1; min-width: 14rem; padding: 0.5rem 0.6rem; font: inherit; border-radius: 6px; border: 1px solid light-dark(#c5cad3, #3a404c); background: inherit; color: inherit; }
  button { padding: 0.5rem 1rem; font: inherit; font-weight: 600; border: 0; border-radius: 6px; background: #3d63dd; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<main>
<h1>Open the link Lookalike printed</h1>
<p>${lead}</p>
<ol>
  <li>Find the terminal where you started <code>npx lookalike serve</code> (or <code>npm start</code>).</li>
  <li>Copy the line <code>Lookalike is running at http://127.0.0.1:…/?token=…</code> and open that link, or paste it below.</li>
  <li>Nothing there? Start it again: <code>npx lookalike serve</code>, then open the new link.</li>
</ol>
<form method="get" action="/connect">
  <label for="link">Link from the terminal</label>
  <input id="link" name="link" type="text" placeholder="http://127.0.0.1:7411/?token=…" autocomplete="off" spellcheck="false" required>
  <button type="submit">Connect</button>
</form>
</main>
</body>
</html>
`;
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Content-Security-Policy': PAGE_CSP });
  res.end(html);
}
