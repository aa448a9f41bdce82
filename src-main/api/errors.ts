/** Error codes every front door maps the same way (HTTP status, CLI exit code, UI message). */
export type ApiErrorCode = 'bad_request' | 'not_found' | 'unavailable' | 'cancelled' | 'failed';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface SerializedError {
  code: ApiErrorCode;
  message: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  return { code: 'failed', message: err instanceof Error ? err.message : String(err) };
}

export function reviveError(e: SerializedError): ApiError {
  return new ApiError(e.code, e.message);
}
