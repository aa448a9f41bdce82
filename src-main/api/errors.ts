import { AppError, type ErrorCode } from '../shared/errors.js';

export interface SerializedError {
  code: ErrorCode;
  message: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  return { code: 'failed', message: err instanceof Error ? err.message : String(err) };
}

export function reviveError(e: SerializedError): AppError {
  return new AppError(e.code, e.message);
}

/**
 * What a desktop IPC call returns: the result or the error as data. Errors thrown through Electron's
 * ipcMain.handle reach the renderer as "Error invoking remote method …" with their code lost.
 */
export type CallEnvelope = { ok: true; output: unknown } | { ok: false; error: SerializedError };

export async function toEnvelope(result: Promise<unknown>): Promise<CallEnvelope> {
  try {
    return { ok: true, output: await result };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
