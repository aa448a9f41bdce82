import type { MethodInput, MethodName, MethodOutput } from '../../src-main/api/contract';
import type { CallEnvelope } from '../../src-main/api/errors';
import type { Progress } from '../../src-main/api/schemas/common';

/** Shape of the preload bridge in the desktop app (src-main/app/preload.ts). */
export interface DesktopBridge {
  call(callId: string, method: string, input: unknown, onProgress?: (p: Progress) => void): Promise<CallEnvelope>;
  cancel(callId: string): void;
  mediaUrl(kind: 'thumb' | 'image', sha256: string): string;
  /** Real path of a dropped file or folder (Electron webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    lookalike?: DesktopBridge;
  }
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** The single API client: IPC in the desktop app, HTTP (NDJSON progress stream) in browser mode. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>, options: CallOptions = {}): Promise<MethodOutput<M>> {
  const bridge = window.lookalike;
  if (bridge) {
    const callId = crypto.randomUUID();
    options.signal?.addEventListener('abort', () => bridge.cancel(callId), { once: true });
    const envelope = await bridge.call(callId, method, input, options.onProgress);
    if (!envelope.ok) throw new ApiCallError(envelope.error.code, envelope.error.message);
    return envelope.output as MethodOutput<M>;
  }
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
    body: JSON.stringify(input),
    signal: options.signal,
    credentials: 'same-origin',
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    // 401: this page has no valid key (browser restarted, server restarted): the UI asks for the link.
    throw new ApiCallError(res.status === 401 ? 'unauthorized' : (body?.error?.code ?? 'failed'), body?.error?.message ?? `HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as { progress?: Progress; result?: unknown; error?: { code: string; message: string } };
      if (msg.progress) options.onProgress?.(msg.progress);
      else if (msg.error) throw new ApiCallError(msg.error.code, msg.error.message);
      else if ('result' in msg) return msg.result as MethodOutput<M>;
    }
  }
  throw new ApiCallError('failed', 'the connection closed before a result arrived');
}

/** URL of a catalog image (thumbnail or full size) for <img src>. */
export function mediaUrl(kind: 'thumb' | 'image', sha256: string): string {
  return window.lookalike ? window.lookalike.mediaUrl(kind, sha256) : `/media/${kind}/${sha256}`;
}

/** True in the Electron app, where dropped files have real paths and imports can take them directly. */
export function isDesktop(): boolean {
  return window.lookalike !== undefined;
}

/** Path on disk of a dropped file in the desktop app; undefined in browser mode (browsers hide paths). */
export function pathForFile(file: File): string | undefined {
  return window.lookalike?.pathForFile(file) || undefined;
}

/** Reads a dropped or pasted file as base64 for an ImageRef `{bytes}`. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
